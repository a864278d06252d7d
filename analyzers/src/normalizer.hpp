// Character filters of the analysis chain (private): NFKC case folding, diacritic folding, Greek
// letters to names, typographic dashes and quotes, comparators and superscripts. The output keeps
// a byte map back to the original input so tokens can report original offsets.
#pragma once

#include <unicode/normalizer2.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trials::analysis {

// Normalised text plus, for every output byte, the source span [begin, end) it came from.
struct NormalizedText {
    std::string text;  // always valid UTF-8
    std::vector<std::uint32_t> begin;
    std::vector<std::uint32_t> end;

    void clear() {
        text.clear();
        begin.clear();
        end.clear();
    }
    void push(char c, std::uint32_t b, std::uint32_t e) {
        text.push_back(c);
        begin.push_back(b);
        end.push_back(e);
    }
    void push(std::string_view s, std::uint32_t b, std::uint32_t e) {
        for (const char c : s) push(c, b, e);
    }
};

// Stateless after construction and safe to share between threads (ICU Normalizer2 instances are
// immutable singletons owned by ICU).
class Normalizer {
  public:
    Normalizer();  // throws trials::AnalysisError when ICU data is missing

    // Replaces out with the normalised form of text. Never throws on bad input: ill-formed UTF-8
    // becomes U+FFFD.
    void normalize(std::string_view text, NormalizedText& out) const;

    // A lookup key: normalised, then every run of letters/digits kept and joined by one space
    // ("Syndrome, Adult" -> "syndrome adult"). Used for MeSH term lookup.
    [[nodiscard]] std::string key(std::string_view text) const;

  private:
    void append_segment(std::string_view segment, std::uint32_t b, std::uint32_t e,
                        NormalizedText& out) const;

    const icu::Normalizer2* nfkc_cf_ = nullptr;
    const icu::Normalizer2* nfd_ = nullptr;
    const icu::Normalizer2* nfc_ = nullptr;
};

}  // namespace trials::analysis
