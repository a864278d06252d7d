// Text analysis: text in, terms out, the same way for records and for queries.
// An Analyzer is immutable once built and safe to share between threads (ICU break iterators are
// cloned per call). ICU types never appear in this header.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace trials::analysis {

struct Token {
    std::string term;         // normalised: NFKC case-folded, diacritics folded, Greek -> names;
                              // never empty, valid UTF-8
    std::uint32_t position;   // relative to the first token of this call (+ first_position);
                              // tokens sharing a position are alternatives (joined form + parts)
    std::uint32_t start;      // byte offsets of the source span in the ORIGINAL input
    std::uint32_t end;
    bool keyword = false;     // never stemmed: acronyms, identifiers, numbers, markers (cd4+)
    bool joined = false;      // the joined form of a compound (sarscov2 for SARS-CoV-2); its
                              // parts follow at position, position+1, ...
};

// How a field's text is analysed; one row per analyzer name in the registry.
struct AnalyzerOptions {
    bool stem = true;        // English (Porter2) stems for non-keyword tokens
    bool stopwords = true;   // drop stop words (positions still advance)
    bool join_numbers = false;  // compounds of numbers only get a joined form: identifiers
                                // (EudraCT 2020-001234-56) do; in prose they are ranges and
                                // ratios (18-65, 1:1) whose joined form is another number
};

class Analyzer {
public:
    virtual ~Analyzer() = default;

    // Appends the tokens of text to out; positions start at first_position. Returns the next
    // free position (one past the last token's last position). Never throws on any input,
    // including invalid UTF-8 (invalid sequences are replaced by U+FFFD before tokenising).
    virtual std::uint32_t analyze(std::string_view text, std::vector<Token>& out,
                                  std::uint32_t first_position = 0) const = 0;

    // The stem of a term produced by analyze(); empty when the token must not be stemmed
    // (keyword tokens, or this analyzer does not stem).
    [[nodiscard]] virtual std::string stem(const Token& token) const = 0;

    [[nodiscard]] virtual const AnalyzerOptions& options() const = 0;
};

}  // namespace trials::analysis
