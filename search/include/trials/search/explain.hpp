// Why a trial matched a query (trials-search --explain NCT...): its score split into the
// top-level parts of the query (usually one per query word or phrase) and, within each part, the
// fields and terms that scored, with the terms the trial matched (Enquire::get_matching_terms).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "trials/search/searcher.hpp"

namespace trials::search {

// One query term (or phrase) the trial matched, as indexed.
struct TermMatch {
    std::string field;  // "title", "condition", ... ; "all" = the catch-all of every field;
                        // a facet name for filter terms
    std::string term;   // the word without prefix (a phrase: its words; MeSH: the descriptor id)
    std::string kind;   // "word", "stem", "phrase", "descriptor", "filter", "id"
    double weight = 0;  // its share of the score (0 for filters)
    // For a catch-all word or stem: the trial's fields that hold it, with the part of `weight`
    // each brings (split in proportion to the field's share of the catch-all's wdf).
    std::vector<std::pair<std::string, double>> in_fields;
};

struct ExplainedPart {
    std::string text;      // the part as the query wrote it, roughly ("tocilizumab", "\"a b\"")
    bool matched = false;  // the trial matches this part on its own
    double weight = 0;     // its share of the score
    std::vector<TermMatch> terms;  // what scored within it, highest weight first
};

struct Explanation {
    std::string nct_id;
    std::string query;
    bool in_database = false;
    bool matches = false;
    double score = 0;                  // the trial's score for the whole query (as in the results)
    nlohmann::json data;               // stored document data (title, status, ...)
    std::vector<ExplainedPart> parts;  // top-level scored parts of the query, in query order
    std::vector<std::pair<std::string, double>> fields;  // score per field, highest first
    std::vector<TermMatch> matching_terms;  // every query term the trial contains (incl. filters)
};

// Runs the request's query restricted to the trial. Throws trials::QueryError on a bad query,
// trials::IndexError on database errors.
[[nodiscard]] Explanation explain(Searcher& searcher, const SearchRequest& request,
                                  std::string_view nct_id);

void print_explanation(std::ostream& out, const Explanation& e);
// {"nct_id", "title", "in_database", "matches", "score", "parts": [{"query", "matched",
//  "weight", "terms": [{"field", "term", "kind", "weight", "in_fields"?}]}],
//  "fields": {"title": w, ...}, "matching_terms": [{"field", "term", "kind"}]}
[[nodiscard]] nlohmann::json explanation_to_json(const Explanation& e);

}  // namespace trials::search
