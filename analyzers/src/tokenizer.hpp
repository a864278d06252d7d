// The tokenizer of the analysis chain (private): ICU word break over normalised text plus the
// biomedical rules (compounds with joined form and parts, sign-bearing markers, comparators,
// numbers, acronyms flagged keyword) and the stop filter.
#pragma once

#include <unicode/brkiter.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "normalizer.hpp"
#include "trials/analysis/analyzer.hpp"

namespace trials::analysis {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using StopSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// Longest atom kept (longer ones are cut at a code point boundary) and longest joined form
// emitted; both keep every prefixed term well under Xapian's 245-byte limit.
inline constexpr std::size_t kMaxAtomBytes = 100;
inline constexpr std::size_t kMaxJoinedBytes = 120;

class Tokenizer {
  public:
    Tokenizer();  // throws trials::AnalysisError when ICU's word-break rules are unavailable
    ~Tokenizer();
    Tokenizer(const Tokenizer&) = delete;
    Tokenizer& operator=(const Tokenizer&) = delete;

    // Appends the tokens of `normalized` (made from `original`) to out from first_position on;
    // stop words (when stop is set) are dropped but take a position. join_numbers: compounds of
    // numbers only (2020-001234-56) get a joined form too. Returns the next free position.
    // Thread-safe: the break iterator prototype is only ever cloned.
    std::uint32_t tokenize(std::string_view original, const NormalizedText& normalized,
                           const StopSet* stop, bool join_numbers, std::vector<Token>& out,
                           std::uint32_t first_position) const;

  private:
    std::unique_ptr<icu::BreakIterator> prototype_;
};

}  // namespace trials::analysis
