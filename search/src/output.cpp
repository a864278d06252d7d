// Terminal and JSON rendering of search responses.
#include "trials/search/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "snippet.hpp"

namespace trials::search {
namespace {

// A listing line names at most this many conditions or facet values, then "(+N more)": a
// basket trial lists 88 conditions (NCT00492089); --json keeps them all.
constexpr std::size_t kListed = 12;

std::string more(std::size_t left) { return left == 0 ? "" : fmt::format("  (+{} more)", left); }

// The array's strings joined by `sep`; at most `cap` of them, then "(+N more)".
std::string join(const nlohmann::json& arr, const char* sep, std::size_t cap = SIZE_MAX) {
    std::string out;
    if (!arr.is_array()) return out;
    std::size_t n = 0;
    for (const auto& v : arr) {
        if (!v.is_string()) continue;
        if (n++ < cap) {
            if (!out.empty()) out += sep;
            out += v.get<std::string>();
        }
    }
    return out + more(n - std::min(n, cap));
}

}  // namespace

std::string render_highlights(const std::string& snippet, const std::string& start,
                              const std::string& end) {
    std::string out;
    out.reserve(snippet.size() + 16);
    for (char c : snippet) {
        if (c == detail::kHighlightStart) {
            out += start;
        } else if (c == detail::kHighlightEnd) {
            out += end;
        } else {
            out += c;
        }
    }
    return out;
}

void print_text(std::ostream& out, const SearchResponse& resp, const TextStyle& style) {
    out << fmt::format("{} {} trial{}", resp.total_exact ? "" : "about", resp.total,
                       resp.total == 1 ? "" : "s")
               .substr(resp.total_exact ? 1 : 0)
        << (resp.total_exact ? " (exact)" : " (estimate; --exact-total counts them all)")
        << "\n";
    if (resp.suggestion) {
        out << fmt::format("Did you mean: {} ({} trial{})\n", resp.suggestion->query,
                           resp.suggestion->total, resp.suggestion->total == 1 ? "" : "s");
    }
    for (const auto& note : resp.notes) out << "Note: " << note << "\n";
    for (const auto& h : resp.hits) {
        const auto& d = h.data;
        std::string phases = join(d.value("phases", nlohmann::json::array()), "/");
        out << fmt::format("\n{:>3}. {}  [{}{}{}]  score {:.2f}\n", h.rank, h.nct_id,
                           d.value("status", std::string()), phases.empty() ? "" : " | ", phases,
                           h.score);
        out << "     " << d.value("title", std::string()) << "\n";
        const std::string conds =
            join(d.value("conditions", nlohmann::json::array()), "; ", kListed);
        if (!conds.empty()) out << "     Conditions: " << conds << "\n";
        if (!h.why.empty()) out << "     Why: " << join(nlohmann::json(h.why), "; ") << "\n";
        if (!h.snippet.empty()) {
            out << "     "
                << render_highlights(h.snippet, style.bold ? "\033[1m" : "*",
                                     style.bold ? "\033[0m" : "*")
                << "\n";
        }
    }
    for (const auto& [name, values] : resp.facets) {
        out << "\n" << name << ":";
        for (std::size_t i = 0; i < values.size() && i < kListed; ++i) {
            out << fmt::format("  {} {}", values[i].value, values[i].count);
        }
        out << more(values.size() - std::min(values.size(), kListed)) << "\n";
    }
    if (resp.next_cursor) out << "\nnext page: --cursor " << *resp.next_cursor << "\n";
}

nlohmann::json to_json(const SearchResponse& resp, const std::vector<std::string>& fields) {
    nlohmann::json j;
    j["query"] = resp.query;
    j["total"] = resp.total;
    j["total_exact"] = resp.total_exact;
    nlohmann::json hits = nlohmann::json::array();
    for (const auto& h : resp.hits) {
        nlohmann::json o;
        o["nct_id"] = h.nct_id;
        o["rank"] = h.rank;
        o["score"] = h.score;
        o["title"] = h.data.value("title", std::string());
        o["status"] = h.data.value("status", std::string());
        o["phases"] = h.data.value("phases", nlohmann::json::array());
        o["conditions"] = h.data.value("conditions", nlohmann::json::array());
        o["snippet"] = render_highlights(h.snippet, "<b>", "</b>");
        o["snippet_field"] = h.snippet_field;
        if (!h.why.empty()) o["why"] = h.why;
        for (const auto& f : fields) {
            if (f == "all") {
                for (auto it = h.data.begin(); it != h.data.end(); ++it) {
                    if (!o.contains(it.key())) o[it.key()] = it.value();
                }
            } else if (h.data.contains(f)) {
                o[f] = h.data[f];
            }
        }
        hits.push_back(std::move(o));
    }
    j["hits"] = std::move(hits);
    if (!resp.facets.empty()) {
        nlohmann::json facets = nlohmann::json::object();
        for (const auto& [name, values] : resp.facets) {
            nlohmann::json arr = nlohmann::json::array();
            for (const auto& v : values) arr.push_back({{"value", v.value}, {"count", v.count}});
            facets[name] = std::move(arr);
        }
        j["facets"] = std::move(facets);
    }
    j["next_cursor"] = resp.next_cursor ? nlohmann::json(*resp.next_cursor) : nlohmann::json();
    j["suggestion"] = nlohmann::json();
    if (resp.suggestion) {
        nlohmann::json corrections = nlohmann::json::array();
        for (const auto& [word, fix] : resp.suggestion->corrections) {
            corrections.push_back({{"word", word}, {"suggestion", fix}});
        }
        j["suggestion"] = {{"query", resp.suggestion->query},
                           {"total", resp.suggestion->total},
                           {"corrections", std::move(corrections)}};
    }
    if (!resp.notes.empty()) j["notes"] = resp.notes;
    return j;
}

}  // namespace trials::search
