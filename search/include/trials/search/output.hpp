// Rendering a SearchResponse: a compact terminal listing or one JSON object.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trials/search/searcher.hpp"

namespace trials::search {

struct TextStyle {
    bool bold = false;  // ANSI bold for highlights (a terminal)
};

void print_text(std::ostream& out, const SearchResponse& resp, const TextStyle& style);

// {"query", "total", "total_exact", "hits": [{"nct_id", "score", "title", "status", "phases",
//  "conditions", "snippet", ...}], "facets": {...}, "next_cursor"}. `fields`, when not empty,
// selects extra stored fields for each hit.
[[nodiscard]] nlohmann::json to_json(const SearchResponse& resp,
                                     const std::vector<std::string>& fields);

// Replaces the highlight markers by `start`/`end` (e.g. "<b>", "</b>").
[[nodiscard]] std::string render_highlights(const std::string& snippet, const std::string& start,
                                            const std::string& end);

}  // namespace trials::search
