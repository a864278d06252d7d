// Token units (private): the tokens of one compound (joined form, sign-bearing form and parts)
// or of one plain word, recovered from positions and offsets. Shared by phrase_key() and the
// query builder so that synonym keys are computed the same way on both sides.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trials/analysis/analyzer.hpp"

namespace trials::analysis {

struct TokenUnit {
    std::size_t first = 0;  // tokens [first, last) of the analysed vector
    std::size_t last = 0;
    std::uint32_t position = 0;      // first position
    std::uint32_t end_position = 0;  // one past the last position
    int whole_signed = -1;           // token index of a sign-bearing form spanning the unit
    int whole_joined = -1;           // token index of a joined form spanning the unit
    bool has_signed = false;         // some token of the unit carries a sign (cd4+, er-, 50%)
};

// A keyword term ending in + - or %: a marker whose sign must be kept apart.
[[nodiscard]] bool is_signed(const Token& token);

// Groups analysed tokens (positions non-decreasing) into units.
void group_units(const std::vector<Token>& tokens, std::vector<TokenUnit>& units);

// The representative token at each position of the unit for a phrase: the sign-bearing form
// there if any, else the part (a non-joined token), else the first token. One index per position
// that has tokens, in position order.
void unit_representatives(const std::vector<Token>& tokens, const TokenUnit& unit,
                          std::vector<std::size_t>& reps);

// The unit's representatives joined by spaces ("covid 19" for covid-19).
[[nodiscard]] std::string parts_key(const std::vector<Token>& tokens, const TokenUnit& unit);

// The unit's synonym key: the sign-bearing form spanning it, else the joined form, else its
// representatives joined by spaces.
[[nodiscard]] std::string unit_key(const std::vector<Token>& tokens, const TokenUnit& unit);

}  // namespace trials::analysis
