// Helpers shared by the analysis tests: a compact rendering of token streams (in the style of
// Xapian's api_termgen rows) and the token-stream invariant check.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "trials/analysis/analyzer.hpp"

namespace trials::analysis::testing {

// "sarscov2[0,j] sars[0,k] cov[1] 2[2,k] years[3>year]": term[position], then ",j" for a joined
// form, ",k" for another keyword token, ">stem" when the analyzer's stem differs from the term.
[[nodiscard]] std::string render(const Analyzer& analyzer, const std::vector<Token>& tokens);
[[nodiscard]] std::string render(const Analyzer& analyzer, std::string_view text);

// Offsets inside the input (start < end), positions non-decreasing and >= first_position and
// < next_position, no empty term, valid UTF-8 terms.
[[nodiscard]] ::testing::AssertionResult invariants_hold(std::string_view input,
                                                         const std::vector<Token>& tokens,
                                                         std::uint32_t first_position,
                                                         std::uint32_t next_position);

[[nodiscard]] bool valid_utf8(std::string_view s);

}  // namespace trials::analysis::testing
