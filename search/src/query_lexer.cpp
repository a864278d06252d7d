// Query lexer (see query_lexer.hpp).
#include "query_lexer.hpp"

#include <cctype>

#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"

namespace trials::search::detail {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Typographic quotes “ ” „ are accepted as '"'.
std::size_t quote_len(std::string_view s, std::size_t i) {
    if (s[i] == '"') return 1;
    if (s.substr(i, 3) == "\xE2\x80\x9C" || s.substr(i, 3) == "\xE2\x80\x9D" ||
        s.substr(i, 3) == "\xE2\x80\x9E")
        return 3;
    return 0;
}

bool is_field_name(std::string_view name) {
    return analysis::find_text_field(name) != nullptr || analysis::find_facet(name) != nullptr ||
           analysis::find_numeric(name) != nullptr || name == "age" || name == "AGE";
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    }
    return true;
}

}  // namespace

std::vector<Token> lex_query(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (is_space(c)) {
            ++i;
            continue;
        }
        if (c == '(' || c == ')') {
            out.push_back({c == '(' ? Tok::LParen : Tok::RParen, std::string(1, c), i});
            ++i;
            continue;
        }
        if (std::size_t q = quote_len(s, i); q != 0) {
            std::size_t j = i + q;
            std::size_t close = std::string_view::npos;
            for (std::size_t k = j; k < s.size(); ++k) {
                if (std::size_t ql = quote_len(s, k); ql != 0) {
                    close = k;
                    break;
                }
            }
            if (close == std::string_view::npos) {
                throw QueryError("unterminated quote at character " + std::to_string(i + 1));
            }
            out.push_back({Tok::Phrase, std::string(s.substr(j, close - j)), i});
            i = close + quote_len(s, close);
            continue;
        }
        // Essie brackets: AREA[Field], RANGE[lo, hi], EXPANSION[mode].
        for (auto [word, kind] : {std::pair{std::string_view("AREA["), Tok::Area},
                                  std::pair{std::string_view("RANGE["), Tok::Range},
                                  std::pair{std::string_view("EXPANSION["), Tok::Expansion}}) {
            if (starts_with_ci(s.substr(i), word)) {
                const std::size_t close = s.find(']', i);
                if (close == std::string_view::npos) {
                    throw QueryError("unterminated " + std::string(word) + "...] at character " +
                                     std::to_string(i + 1));
                }
                const std::size_t start = i + word.size();
                out.push_back({kind, std::string(s.substr(start, close - start)), i});
                i = close + 1;
                goto next;
            }
        }
        {
            if ((c == '-' || c == '+') && i + 1 < s.size() && !is_space(s[i + 1]) &&
                (out.empty() || i == 0 || is_space(s[i - 1]) || s[i - 1] == '(')) {
                out.push_back({c == '-' ? Tok::Minus : Tok::Plus, std::string(1, c), i});
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < s.size() && !is_space(s[j]) && s[j] != '(' && s[j] != ')' &&
                   quote_len(s, j) == 0) {
                ++j;
            }
            std::string_view word = s.substr(i, j - i);
            // field:value (the value may follow directly, or be a phrase or group).
            if (const std::size_t colon = word.find(':'); colon != std::string_view::npos &&
                                                          colon > 0 &&
                                                          is_field_name(word.substr(0, colon))) {
                out.push_back({Tok::Field, std::string(word.substr(0, colon)), i});
                i += colon + 1;
                // An operator right after the colon (phase:MISSING, enrollment:RANGE[1, 9],
                // title:EXPANSION[None]x) is lexed by the main loop like after a space.
                const std::string_view rest = s.substr(i, j - i);
                if (rest == "MISSING" || starts_with_ci(rest, "RANGE[") ||
                    starts_with_ci(rest, "EXPANSION[")) {
                    continue;
                }
                if (i < j) {
                    out.push_back({Tok::Word, std::string(s.substr(i, j - i)), i});
                    i = j;
                }
                continue;
            }
            if (word == "AND" || word == "&&") {
                out.push_back({Tok::And, std::string(word), i});
            } else if (word == "OR" || word == "||") {
                out.push_back({Tok::Or, std::string(word), i});
            } else if (word == "NOT") {
                out.push_back({Tok::Not, std::string(word), i});
            } else if (word == "MISSING") {
                out.push_back({Tok::Missing, std::string(word), i});
            } else {
                out.push_back({Tok::Word, std::string(word), i});
            }
            i = j;
        }
    next:;
    }
    out.push_back({Tok::End, "", s.size()});
    return out;
}

}  // namespace trials::search::detail
