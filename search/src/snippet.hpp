// Snippets: the best window of a stored field, with the words that match the query marked.
// Uses the same analyzer as the index, so biomedical tokens (sars-cov-2, cd4+) highlight too.
#pragma once

#include <xapian.h>

#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "trials/analysis/analyzer.hpp"
#include "trials/analysis/xapian_bridge.hpp"

namespace trials::search::detail {

inline constexpr char kHighlightStart = '\x01';
inline constexpr char kHighlightEnd = '\x02';

// The raw terms and stems a query looks for, with field prefixes removed. A synonym group's
// concept term stands for the words of the group's phrases (looked up in `synonyms`, if given).
struct QueryTerms {
    std::set<std::string> raw;
    std::set<std::string> stems;
    [[nodiscard]] bool empty() const { return raw.empty() && stems.empty(); }
};
[[nodiscard]] QueryTerms query_terms(const Xapian::Query& query,
                                     const analysis::SynonymSource* synonyms = nullptr);

struct Snippet {
    std::string text;   // with kHighlightStart/kHighlightEnd around matches
    std::string field;  // stored field name
};

// Picks the stored field with the most matching words (preferring `preferred` fields, then
// summary, title, conditions, description, eligibility) and cuts a window of about `length`
// bytes around its matches. Without matches: the start of the summary.
[[nodiscard]] Snippet make_snippet(const nlohmann::json& data, const QueryTerms& terms,
                                   const analysis::Analyzer& analyzer,
                                   const std::vector<std::string>& preferred, std::size_t length);

}  // namespace trials::search::detail
