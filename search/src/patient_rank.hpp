// Patient search internals (private): the ranking engine shared by search and explain, and the
// eligibility check used to re-rank.
#pragma once

#include <xapian.h>

#include <nlohmann/json.hpp>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "trials/analysis/database.hpp"
#include "trials/search/patient.hpp"

namespace trials::search::detail {

// `s` with its ASCII letters in lower case (what the note and criteria matchers compare).
inline std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

struct QueryPart {
    std::string label;
    Xapian::Query query;
};

// Age, sex and exclusion-criteria checks of one trial against the patient: a score multiplier,
// and one line per demotion saying why.
class EligibilityCheck {
public:
    EligibilityCheck(const analysis::AnalyzerRegistry& registry, const PatientProfile& profile,
                     const PatientOptions& options);
    [[nodiscard]] double factor(const Xapian::Document& doc, const nlohmann::json& data,
                                std::vector<std::string>& why) const;

private:
    using Words = std::vector<std::string>;
    [[nodiscard]] Words words(std::string_view text) const;

    const analysis::Analyzer& analyzer_;
    const PatientProfile& profile_;
    const PatientOptions& options_;
    struct Concept {
        std::string text;                      // as the Why line quotes it
        Words words;                           // its stems, matched in the criteria
        std::vector<std::string> descriptors;  // its MeSH descriptor ids ("D029424")
    };
    std::vector<Concept> concepts_;
};

class PatientEngine {
public:
    PatientEngine(Searcher& searcher, const PatientOptions& options);

    struct Ranked {
        std::string nct_id;
        Xapian::Document doc;
        nlohmann::json data;
        double base = 0, factor = 1, score = 0;
        std::vector<std::string> adjustments;
    };
    struct Ranking {
        PatientProfile profile;
        std::vector<QueryPart> parts;
        std::vector<std::string> feedback_terms;
        std::vector<std::string> dropped_words;  // too common to search (PatientOptions::max_words)
        Xapian::Query query;
        std::uint64_t total = 0;
        bool total_exact = false;  // Xapian's bounds on the number of matches agree
        std::vector<Ranked> docs;  // re-ranked, best first
    };

    [[nodiscard]] PatientProfile profile(std::string_view text) const;
    // The first `depth` matches (all of only_ids when given), re-ranked. Only the first `need`
    // of the result are sure to be there: matches that cannot reach them are not checked.
    [[nodiscard]] Ranking rank(const PatientRequest& req, std::size_t depth,
                               std::size_t need = static_cast<std::size_t>(-1)) const;
    [[nodiscard]] Xapian::Query restriction(const PatientRequest& req) const;
    [[nodiscard]] Xapian::BM25Weight weighting() const;
    [[nodiscard]] static Xapian::Query filtered(const Xapian::Query& q,
                                                const Xapian::Query& filter);

private:
    [[nodiscard]] std::vector<QueryPart> base_parts(const PatientProfile& p,
                                                    std::vector<std::string>* dropped) const;
    [[nodiscard]] Xapian::Query concept_phrases(const analysis::AnalyzerRegistry& registry,
                                                const PatientProfile& p) const;
    [[nodiscard]] static Xapian::Query combine(const std::vector<QueryPart>& parts);
    void rerank(Xapian::Enquire& e, Xapian::doccount n, bool may_stop, std::size_t need,
                const EligibilityCheck& check, Ranking& r) const;
    [[nodiscard]] Xapian::MSet exact_mset(Xapian::Enquire& e, Xapian::doccount size) const;
    [[nodiscard]] std::vector<std::string> feedback(const Xapian::Query& query,
                                                    const Xapian::Query& filter) const;

    Searcher& searcher_;
    const PatientOptions& options_;
    analysis::DatabaseSynonyms synonyms_;
};

// "patient: 58 years (58-year-old), female (woman, she x3); concepts: chest pain, ..."
[[nodiscard]] std::string describe_profile(const PatientProfile& p);

}  // namespace trials::search::detail
