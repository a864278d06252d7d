// Spelling corrections: the query words no trial contains, each with the closest word of the
// database's spelling table (trials-index fills it from titles, conditions, keywords,
// interventions and MeSH names), and the query text with them replaced.
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "trials/analysis/registry.hpp"
#include "trials/search/query_parser.hpp"
#include "trials/search/searcher.hpp"

namespace trials::search::detail {

struct Correction {
    std::size_t start;  // byte range of the word in the query text
    std::size_t end;
    std::string word;        // as typed
    std::string suggestion;  // as indexed (lower case, folded)
};

struct SpellingCheck {
    std::vector<Correction> corrections;  // in query order; empty: nothing to correct
    std::string corrected_query;          // the query with every correction applied
    bool unavailable = false;             // the database cannot give suggestions (remote shards)
    std::string unavailable_reason;
};

// A word is unknown when none of its terms (exact or stem, in the catch-all or its field) is in
// the database. Words that are numbers or shorter than 3 bytes are left alone. Throws
// Xapian::Error for database errors other than spelling being unsupported.
[[nodiscard]] SpellingCheck check_spelling(const Xapian::Database& db,
                                           const analysis::AnalyzerRegistry& registry,
                                           const std::string& query, const ParsedQuery& parsed);

// Sets resp.suggestion when the query has unknown words and their corrections find trials (the
// corrected query is run again, exactly counted, with the same filters); adds a note to
// resp.notes instead when the database cannot give suggestions (remote shards).
void suggest_spelling(Searcher& searcher, const SearchRequest& request, const ParsedQuery& parsed,
                      SearchResponse& resp);

}  // namespace trials::search::detail
