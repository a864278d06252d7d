// Splits query text into syntax tokens: parentheses, quoted phrases, operators, field names,
// Essie brackets and words. Words themselves are analysed later by the field's analyzer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trials::search::detail {

enum class Tok { Word, Phrase, LParen, RParen, And, Or, Not, Minus, Plus, Field, Area, Range,
                 Missing, Expansion, End };

struct Token {
    Tok kind;
    std::string text;    // word / phrase text, field name, bracket content
    std::size_t offset;  // byte offset in the query, for error messages
};

// Throws trials::QueryError on an unterminated quote or bracket.
[[nodiscard]] std::vector<Token> lex_query(std::string_view text);

}  // namespace trials::search::detail
