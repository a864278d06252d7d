// Concepts: the curated synonym groups (data/synonyms.txt) recognised in indexed text. Wherever a
// phrase of a group occurs in a field, the document gets one concept term for that field, so a
// query matches the group with one term per field instead of one phrase per alternative
// (`covid-19` ORed with five phrases of common words was the slowest keyword query).
//
// Term shape: "XG" + field prefix + ":" + concept id, e.g. "XG:covid19" (catch-all field) and
// "XGXT:covid19" (titles). The id is the group's first phrase as analysed, spaces as '_'. The
// synonym table maps every phrase of a group to kConceptPrefix + id ("XG:covid19"); the query
// builder expands that to the concept term of each field it searches.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "trials/analysis/analyzer.hpp"
#include "trials/analysis/registry.hpp"

namespace trials::analysis {

inline constexpr std::string_view kConceptPrefix = "XG:";

struct TokenUnit;  // token_units.hpp (private)

// The concept id of a group: its first (preferred) phrase key with spaces as '_'.
[[nodiscard]] std::string concept_id(const SynonymGroup& group);
// "XG" + field prefix + ":" + id.
[[nodiscard]] std::string concept_term(std::string_view field_prefix, std::string_view id);
// The id of a synonym-table alternative "XG:id"; empty when `alternative` is not a concept.
[[nodiscard]] std::string_view concept_of_alternative(std::string_view alternative);
// The field prefix and id of an indexed concept term ("XGXT:covid19" -> "XT", "covid19");
// false when `term` is not a concept term.
[[nodiscard]] bool decode_concept_term(std::string_view term, std::string_view& field_prefix,
                                       std::string_view& id);

// A one-word key split where letters meet digits, when every piece of letters has two bytes or
// more: "covid19" -> "covid 19", "il6" -> "il 6", "2019ncov" -> "2019 ncov"; empty otherwise
// ("b12", "covid", "coronavirus disease 2019"). The way such a compound reads written apart.
[[nodiscard]] std::string split_at_digits(std::string_view key);

// Finds the phrases of synonym groups in analysed tokens, the way the query builder reads query
// text: word units (a compound is one unit), keys as phrase_key() gives them, and at most one
// removed stop word between neighbouring units ("quality of life"). Every phrase found counts,
// overlapping ones too ("acute myocardial infarction" also holds "myocardial infarction"). A
// one-word phrase of letters and digits is also found written apart ("COVID 19" as "covid19",
// split_at_digits), so the concept stands for every spelling the query "covid-19" matches.
class ConceptMatcher {
public:
    ConceptMatcher() = default;
    explicit ConceptMatcher(const std::vector<SynonymGroup>& groups);

    [[nodiscard]] bool empty() const { return phrases_.empty(); }
    // Appends the id of every concept occurrence in `tokens` (one entry per occurrence and
    // group: an id can repeat) to `ids`.
    void match(const std::vector<Token>& tokens, std::vector<std::string>& ids) const;

private:
    void match_inside(const std::vector<Token>& tokens, const TokenUnit& unit,
                      std::vector<std::size_t>& reps, std::vector<std::string>& ids) const;

    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    // phrase key -> the ids of the groups holding it
    std::unordered_map<std::string, std::vector<std::string>, Hash, std::equal_to<>> phrases_;
    // the first unit key of every phrase: most words start none, and cost one lookup
    std::unordered_set<std::string, Hash, std::equal_to<>> first_units_;
    // compounds written apart (split_at_digits): their words must be neighbours
    std::unordered_set<std::string, Hash, std::equal_to<>> apart_;
    std::size_t max_units_ = 0;
};

}  // namespace trials::analysis
