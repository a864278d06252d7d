// The query language: words, "phrases", AND/OR/NOT, +/-, (groups), field:value and
// field:(group), facet filters (status:recruiting, phase:2, country:sweden), ranges
// (start:2020..2021-06, enrollment:100.., age:16, age:6m), and ClinicalTrials.gov's Essie
// expressions AREA[Field]expr, RANGE[lo, hi], MISSING, EXPANSION[None|Term|Concept].
// Text goes through the same analyzers as the records (analysis::build_text_query).
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "trials/analysis/registry.hpp"
#include "trials/analysis/xapian_bridge.hpp"

namespace trials::search {

struct ParsedQuery {
    Xapian::Query query;        // scored part AND filters; MatchAll when the text is empty
    bool has_text = false;      // some words were scored (else: order by sort key / docid)
    // Filter queries per facet name, kept apart so facet counts can be disjunctive.
    std::vector<std::pair<std::string, Xapian::Query>> facet_filters;
    Xapian::Query without_facet(const std::string& facet) const;  // query minus that facet
    std::vector<std::string> text_fields;  // fields the text was scoped to ("" = all)
    // Each word and phrase analysed as scored text (not operators, field names, filter values or
    // negated words): where it starts in the query (a phrase: at its opening quote), its text and
    // the field it is scoped to ("" = all). Used for spelling suggestions.
    struct TextSpan {
        std::size_t offset;
        std::string text;
        std::string field;
    };
    std::vector<TextSpan> text_spans;
    // Words of a long ORed query left out as too common (QueryParserOptions::max_words).
    std::vector<std::string> dropped_words;
    Xapian::Query base_;  // everything but the top-level facet filters
};

struct QueryParserOptions {
    bool conjunctive = true;  // bare words: AND (default) or OR
    const analysis::SynonymSource* synonyms = nullptr;
    // Bare words ORed: keep the rarest max_words of each run of words (TextQueryOptions).
    unsigned max_words = 0;
    const Xapian::Database* stats = nullptr;
};

class QueryParser {
public:
    QueryParser(const analysis::AnalyzerRegistry& registry, QueryParserOptions options);
    // Throws trials::QueryError with a one-line message on a syntax error.
    [[nodiscard]] ParsedQuery parse(std::string_view text) const;

private:
    const analysis::AnalyzerRegistry& registry_;
    QueryParserOptions options_;
};

}  // namespace trials::search
