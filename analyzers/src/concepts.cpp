// Concepts: synonym-group phrases recognised in analysed text (see concepts.hpp).
#include "trials/analysis/concepts.hpp"

#include <algorithm>

#include "token_units.hpp"

namespace trials::analysis {
namespace {

std::size_t word_count(std::string_view key) {
    return key.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(key.begin(), key.end(), ' '));
}

std::string_view first_word(std::string_view key) { return key.substr(0, key.find(' ')); }

}  // namespace

std::string split_at_digits(std::string_view key) {
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (key.empty() || key.find(' ') != std::string_view::npos) return {};
    std::string out;
    std::size_t piece = 0;  // start of the current piece
    bool pieces = false;
    for (std::size_t k = 0; k <= key.size(); ++k) {
        if (k < key.size() && (k == piece || digit(key[k]) == digit(key[k - 1]))) continue;
        const std::string_view part = key.substr(piece, k - piece);
        if (!digit(part.front()) && part.size() < 2) return {};
        if (!out.empty()) {
            out.push_back(' ');
            pieces = true;
        }
        out.append(part);
        piece = k;
    }
    return pieces ? out : std::string();
}

std::string concept_id(const SynonymGroup& group) {
    std::string id = group.phrases.empty() ? std::string() : group.phrases.front();
    std::replace(id.begin(), id.end(), ' ', '_');
    return id;
}

std::string concept_term(std::string_view field_prefix, std::string_view id) {
    std::string term("XG");
    term.append(field_prefix).append(":").append(id);
    return term;
}

std::string_view concept_of_alternative(std::string_view alternative) {
    if (alternative.size() <= kConceptPrefix.size() ||
        alternative.compare(0, kConceptPrefix.size(), kConceptPrefix) != 0) {
        return {};
    }
    return alternative.substr(kConceptPrefix.size());
}

bool decode_concept_term(std::string_view term, std::string_view& field_prefix,
                         std::string_view& id) {
    if (term.size() < 4 || term.compare(0, 2, "XG") != 0) return false;
    const auto colon = term.find(':', 2);
    if (colon == std::string_view::npos || colon + 1 == term.size()) return false;
    field_prefix = term.substr(2, colon - 2);
    if (!std::all_of(field_prefix.begin(), field_prefix.end(),
                     [](char c) { return c >= 'A' && c <= 'Z'; })) {
        return false;
    }
    id = term.substr(colon + 1);
    return true;
}

ConceptMatcher::ConceptMatcher(const std::vector<SynonymGroup>& groups) {
    std::unordered_set<std::string_view> group_phrases;
    for (const SynonymGroup& g : groups) group_phrases.insert(g.phrases.begin(), g.phrases.end());
    const auto add = [&](const std::string& form, const std::string& id) {
        auto& ids = phrases_[form];
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
        first_units_.emplace(first_word(form));
        max_units_ = std::max(max_units_, word_count(form));
    };
    for (const SynonymGroup& g : groups) {
        const std::string id = concept_id(g);
        if (id.empty()) continue;
        for (const std::string& phrase : g.phrases) {
            if (phrase.empty()) continue;
            add(phrase, id);
            // A group's own phrase keeps its allowance for a removed stop word.
            if (std::string apart = split_at_digits(phrase);
                !apart.empty() && !group_phrases.contains(apart)) {
                add(apart, id);
                apart_.insert(std::move(apart));
            }
        }
    }
}

void ConceptMatcher::match(const std::vector<Token>& tokens, std::vector<std::string>& ids) const {
    if (phrases_.empty() || tokens.empty()) return;
    std::vector<TokenUnit> units;
    group_units(tokens, units);
    std::vector<std::string> keys;
    keys.reserve(units.size());
    for (const TokenUnit& u : units) keys.push_back(unit_key(tokens, u));
    std::string key;
    std::vector<std::size_t> reps;
    for (std::size_t i = 0; i < units.size(); ++i) {
        if (!apart_.empty() && units[i].last - units[i].first > 2) {
            match_inside(tokens, units[i], reps, ids);
        }
        if (!first_units_.contains(first_word(keys[i]))) continue;
        key = keys[i];
        const std::size_t from = ids.size();
        std::size_t words = word_count(key);
        bool gap = false;
        for (std::size_t n = 1; i + n <= units.size() && words <= max_units_; ++n) {
            if (n > 1) {
                // One removed stop word at most between neighbouring units, as phrase queries
                // of synonyms allow.
                if (units[i + n - 1].position > units[i + n - 2].end_position + 1) break;
                gap = gap || units[i + n - 1].position > units[i + n - 2].end_position;
                key.push_back(' ');
                key += keys[i + n - 1];
                words += word_count(keys[i + n - 1]);
                if (words > max_units_) break;
            }
            const auto it = phrases_.find(key);
            if (it == phrases_.end() || (gap && apart_.contains(key))) continue;
            for (const std::string& id : it->second) {
                // Two phrases of one group starting at one word are one occurrence.
                if (std::find(ids.begin() + static_cast<std::ptrdiff_t>(from), ids.end(), id) ==
                    ids.end()) {
                    ids.push_back(id);
                }
            }
        }
    }
}

// A compound holding a compound written apart among its parts ("non-COVID-19": non covid 19)
// holds its concept too, as the phrase of the parts that a query for covid-19 once added found
// it. The whole compound is a unit of its own, matched by its key.
void ConceptMatcher::match_inside(const std::vector<Token>& tokens, const TokenUnit& unit,
                                  std::vector<std::size_t>& reps,
                                  std::vector<std::string>& ids) const {
    unit_representatives(tokens, unit, reps);
    std::string key;
    for (std::size_t j = 0; j + 1 < reps.size(); ++j) {
        key = tokens[reps[j]].term;
        const std::size_t from = ids.size();
        for (std::size_t n = 2; j + n <= reps.size() && n <= max_units_; ++n) {
            key.push_back(' ');
            key += tokens[reps[j + n - 1]].term;
            if (n == reps.size() || !apart_.contains(key)) continue;
            for (const std::string& id : phrases_.find(key)->second) {
                if (std::find(ids.begin() + static_cast<std::ptrdiff_t>(from), ids.end(), id) ==
                    ids.end()) {
                    ids.push_back(id);
                }
            }
        }
    }
}

}  // namespace trials::analysis
