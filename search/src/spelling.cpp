// Spelling corrections of unknown query words (see spelling.hpp).
#include "spelling.hpp"

#include <algorithm>
#include <cctype>

#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"

namespace trials::search::detail {
namespace {

constexpr std::size_t kMinWordBytes = 3;
// Edit distance allowed: one edit for short words (two would turn "lung" into "long", "drug"),
// two from this length on, as Xapian's own QueryParser does for every word.
constexpr std::size_t kTwoEditsFrom = 6;

bool has_letter(std::string_view w) {
    return std::any_of(w.begin(), w.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return std::isalpha(u) != 0 || u >= 0x80;
    });
}

// One token of its own: not a part or the joined form of a compound ("sars-cov-2"), whose terms
// are looked up together.
bool standalone(const std::vector<analysis::Token>& tokens, std::size_t i) {
    const auto& t = tokens[i];
    if (t.joined) return false;
    for (std::size_t j = 0; j < tokens.size(); ++j) {
        if (j != i && tokens[j].start < t.end && t.start < tokens[j].end) return false;
    }
    return true;
}

bool known(const Xapian::Database& db, const std::vector<std::string>& prefixes,
           const std::string& term, const std::string& stem) {
    for (const auto& p : prefixes) {
        if (db.term_exists(p + term)) return true;
        if (!stem.empty() && db.term_exists("Z" + p + stem)) return true;
    }
    return false;
}

}  // namespace

SpellingCheck check_spelling(const Xapian::Database& db, const analysis::AnalyzerRegistry& registry,
                             const std::string& query, const ParsedQuery& parsed) {
    SpellingCheck out;
    std::vector<analysis::Token> tokens;
    bool spelling_checked = false;
    for (const auto& span : parsed.text_spans) {
        const std::size_t base = query.find(span.text, span.offset);
        if (base == std::string::npos) continue;
        const analysis::TextFieldSpec* field =
            span.field.empty() ? nullptr : analysis::find_text_field(span.field);
        const auto& analyzer =
            registry.get(field != nullptr ? field->analyzer : std::string_view("prose"));
        std::vector<std::string> prefixes{""};  // the catch-all holds every field's words
        if (field != nullptr && field->unprefixed_wdf == 0) {
            prefixes.front() = std::string(field->prefix);
        }
        tokens.clear();
        analyzer.analyze(span.text, tokens);
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const auto& t = tokens[i];
            if (t.term.size() < kMinWordBytes || !has_letter(t.term) || !standalone(tokens, i)) {
                continue;
            }
            if (known(db, prefixes, t.term, analyzer.stem(t))) continue;
            std::string suggestion;
            try {
                suggestion =
                    db.get_spelling_suggestion(t.term, t.term.size() >= kTwoEditsFrom ? 2 : 1);
            } catch (const Xapian::UnimplementedError& e) {
                out.unavailable = true;
                out.unavailable_reason = e.get_msg();
            } catch (const Xapian::InvalidOperationError& e) {
                out.unavailable = true;
                out.unavailable_reason = e.get_msg();
            }
            if (suggestion.empty() && !out.unavailable) {
                // Remote shards answer every spelling request with nothing rather than an error;
                // an empty spelling table is how that shows.
                if (!spelling_checked) {
                    spelling_checked = true;
                    out.unavailable = db.spellings_begin() == db.spellings_end();
                    if (out.unavailable) {
                        out.unavailable_reason =
                            "the database has no spelling data: remote shards do not serve it, "
                            "or trials-index did not write it";
                    }
                }
            }
            if (out.unavailable) {
                out.corrections.clear();
                return out;
            }
            if (suggestion.empty() || suggestion == t.term) continue;
            out.corrections.push_back({base + t.start, base + t.end,
                                       span.text.substr(t.start, t.end - t.start), suggestion});
        }
    }
    std::sort(out.corrections.begin(), out.corrections.end(),
              [](const Correction& a, const Correction& b) { return a.start < b.start; });
    out.corrected_query = query;
    for (auto it = out.corrections.rbegin(); it != out.corrections.rend(); ++it) {
        out.corrected_query.replace(it->start, it->end - it->start, it->suggestion);
    }
    return out;
}

void suggest_spelling(Searcher& searcher, const SearchRequest& request, const ParsedQuery& parsed,
                      SearchResponse& resp) {
    if (parsed.text_spans.empty()) return;
    const SpellingCheck check =
        check_spelling(searcher.database(), searcher.registry(), request.query, parsed);
    if (check.unavailable) {
        resp.notes.push_back("spelling suggestions are not available for this database (" +
                             check.unavailable_reason + ")");
        return;
    }
    if (check.corrections.empty()) return;
    SearchRequest count = request;
    count.query = check.corrected_query;
    count.offset = 0;
    count.limit = 0;
    count.cursor.reset();
    count.sort = "relevance";
    count.facets.clear();
    count.exact_total = true;
    count.snippets = false;
    count.suggest = false;
    std::uint64_t total = 0;
    try {
        total = searcher.search(count).total;
    } catch (const QueryError&) {
        return;  // a correction that does not parse is no suggestion
    }
    if (total == 0) return;
    SpellingSuggestion s;
    s.query = check.corrected_query;
    s.total = total;
    for (const auto& c : check.corrections) s.corrections.emplace_back(c.word, c.suggestion);
    resp.suggestion = std::move(s);
}

}  // namespace trials::search::detail
