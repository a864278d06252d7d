// Snippet selection and highlighting (see snippet.hpp).
#include "snippet.hpp"

#include <algorithm>
#include <cctype>

#include "trials/analysis/schema.hpp"

namespace trials::search::detail {
namespace {

// Strips a known field prefix ("XT", "XC", ... or none) from a term; false for boolean terms.
bool strip_prefix(std::string_view term, std::string& out) {
    if (term.empty()) return false;
    if (term[0] == 'Q' || term.rfind("XF", 0) == 0 || term.rfind("XMD", 0) == 0) return false;
    for (const auto& f : analysis::text_fields()) {
        if (term.rfind(f.prefix, 0) == 0 && term.size() > f.prefix.size() &&
            !std::isupper(static_cast<unsigned char>(term[f.prefix.size()]))) {
            out = std::string(term.substr(f.prefix.size()));
            return true;
        }
    }
    if (std::isupper(static_cast<unsigned char>(term[0]))) return false;
    out = std::string(term);
    return true;
}

std::string field_text(const nlohmann::json& data, const std::string& field) {
    auto it = data.find(field);
    if (it == data.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    std::string joined;
    if (it->is_array()) {
        for (const auto& v : *it) {
            std::string s;
            if (v.is_string()) s = v.get<std::string>();
            if (v.is_object() && v.contains("name") && v["name"].is_string()) {
                s = v["name"].get<std::string>();
            }
            if (s.empty()) continue;
            if (!joined.empty()) joined += "; ";
            joined += s;
        }
    }
    return joined;
}

bool is_utf8_boundary(const std::string& s, std::size_t i) {
    return i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

}  // namespace

QueryTerms query_terms(const Xapian::Query& query, const analysis::SynonymSource* synonyms) {
    QueryTerms t;
    std::set<std::string> concepts;
    const auto add_words = [&](std::string_view phrase) {
        while (!phrase.empty()) {
            const auto space = phrase.find(' ');
            if (space != 0) t.raw.emplace(phrase.substr(0, space));
            if (space == std::string_view::npos) break;
            phrase.remove_prefix(space + 1);
        }
    };
    for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
        const std::string term = *it;
        std::string bare;
        std::string_view concept_prefix, concept_id;
        if (analysis::decode_concept_term(term, concept_prefix, concept_id)) {
            if (synonyms == nullptr || !concepts.emplace(concept_id).second) continue;
            std::string key(concept_id);
            std::replace(key.begin(), key.end(), '_', ' ');
            add_words(key);
            for (const std::string& alt : synonyms->lookup(key)) {
                if (alt.empty() || alt.front() != 'X') add_words(alt);
            }
        } else if (!term.empty() && term[0] == 'Z') {
            if (strip_prefix(std::string_view(term).substr(1), bare)) t.stems.insert(bare);
        } else if (strip_prefix(term, bare)) {
            t.raw.insert(bare);
        }
    }
    return t;
}

Snippet make_snippet(const nlohmann::json& data, const QueryTerms& terms,
                     const analysis::Analyzer& analyzer, const std::vector<std::string>& preferred,
                     std::size_t length) {
    std::vector<std::string> order;
    for (const auto& p : preferred) {
        if (p == "title" || p == "summary" || p == "description" || p == "eligibility" ||
            p == "conditions" || p == "keywords" || p == "interventions")
            order.push_back(p);
        if (p == "condition") order.push_back("conditions");
        if (p == "intervention") order.push_back("interventions");
        if (p == "keyword") order.push_back("keywords");
        if (p == "mesh") order.push_back("condition_mesh");
    }
    for (const char* f : {"summary", "title", "conditions", "interventions", "keywords",
                          "description", "eligibility", "condition_mesh"}) {
        if (std::find(order.begin(), order.end(), f) == order.end()) order.emplace_back(f);
    }

    Snippet best;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> best_spans;
    std::size_t best_score = 0;
    std::vector<analysis::Token> tokens;
    for (const auto& field : order) {
        const std::string text = field_text(data, field);
        if (text.empty() || terms.empty()) continue;
        tokens.clear();
        analyzer.analyze(text, tokens);
        std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
        std::set<std::string> distinct;
        for (const auto& tok : tokens) {
            bool hit = terms.raw.contains(tok.term);
            if (!hit && !terms.stems.empty()) {
                const std::string st = analyzer.stem(tok);
                hit = !st.empty() && terms.stems.contains(st);
            }
            if (hit) {
                spans.emplace_back(tok.start, tok.end);
                distinct.insert(tok.term);
            }
        }
        if (distinct.size() > best_score) {
            best_score = distinct.size();
            best.field = field;
            best.text = text;
            best_spans = std::move(spans);
        }
    }
    if (best_score == 0) {
        best.field = "summary";
        best.text = field_text(data, "summary");
        best_spans.clear();
    }

    // Window: start a little before the first match of the densest stretch.
    const std::string& text = best.text;
    std::size_t start = 0;
    if (!best_spans.empty()) {
        std::sort(best_spans.begin(), best_spans.end());
        std::size_t best_count = 0;
        for (std::size_t i = 0; i < best_spans.size(); ++i) {
            std::size_t count = 0;
            for (std::size_t j = i; j < best_spans.size() &&
                                    best_spans[j].second <= best_spans[i].first + length;
                 ++j) {
                ++count;
            }
            if (count > best_count) {
                best_count = count;
                start = best_spans[i].first;
            }
        }
        start = start > length / 5 ? start - length / 5 : 0;
        // Back to a word boundary.
        while (start > 0 && text[start - 1] != ' ') --start;
    }
    std::size_t end = std::min(text.size(), start + length);
    while (end < text.size() && end > start && text[end] != ' ') --end;
    if (end <= start) end = std::min(text.size(), start + length);
    while (!is_utf8_boundary(text, end)) ++end;

    std::string out;
    if (start > 0) out += "…";
    std::size_t i = start;
    for (const auto& [s, e] : best_spans) {
        if (s < i || e > end) continue;
        out.append(text, i, s - i);
        out += kHighlightStart;
        out.append(text, s, e - s);
        out += kHighlightEnd;
        i = e;
    }
    out.append(text, i, end - i);
    if (end < text.size()) out += "…";
    // Collapse runs of whitespace (registry text is hard-wrapped).
    std::string collapsed;
    bool space = false;
    for (char c : out) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = true;
            continue;
        }
        if (space && !collapsed.empty()) collapsed += ' ';
        space = false;
        collapsed += c;
    }
    best.text = std::move(collapsed);
    return best;
}

}  // namespace trials::search::detail
