// Character filters: NFKC case folding (ICU), diacritic folding, Greek letter names, dash/quote
// folding, comparators (>= <=), the multiplication sign and superscript exponents. Every output
// byte remembers the original bytes it came from.
#include "normalizer.hpp"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>

#include "trials/error.hpp"
#include "utf8.hpp"

namespace trials::analysis {
namespace {

constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

bool is_superscript(char32_t c) {
    return c == 0xB2 || c == 0xB3 || c == 0xB9 || c == 0x2070 || (c >= 0x2074 && c <= 0x207B);
}

// Combining diacritical marks (the blocks that carry accents on Latin, Greek and Cyrillic letters);
// marks of other scripts are kept.
bool is_diacritic(char32_t c) {
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
           (c >= 0xFE20 && c <= 0xFE2F);
}

// The ASCII replacement of a case-folded code point, or an empty view to keep it.
// clang-format off
std::string_view fold(char32_t c) {
    switch (c) {
        case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
        case 0x2043: case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
            return "-";
        case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
        case 0xFF07:
            return "'";
        case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB:
        case 0x00BB: case 0xFF02:
            return "\"";
        case 0x2265: case 0x2267: case 0x2A7E:
            return ">=";
        case 0x2264: case 0x2266: case 0x2A7D:
            return "<=";
        case 0x00D7: case 0x2715: case 0x2A2F:
            return "x";
        default:
            return {};
    }
}
// clang-format on

void append_folded(char32_t c, std::uint32_t b, std::uint32_t e, NormalizedText& out) {
    if (const std::string_view f = fold(c); !f.empty()) {
        out.push(f, b, e);
        return;
    }
    std::string bytes;
    utf8::append(bytes, c);
    out.push(bytes, b, e);
}

// Lower-case Greek letters U+03B1..U+03C9 are two bytes: CE B1..CE BF, CF 80..CF 89.
int greek_index(std::string_view s, std::size_t i) {
    if (i + 1 >= s.size()) return -1;
    const auto b0 = static_cast<unsigned char>(s[i]);
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xCE && b1 >= 0xB1 && b1 <= 0xBF) return b1 - 0xB1;
    if (b0 == 0xCF && b1 >= 0x80 && b1 <= 0x89) return b1 - 0x80 + 15;
    return -1;
}

std::string_view greek_name(int index) {
    static constexpr std::array<std::string_view, 25> kNames{
        "alpha", "beta",   "gamma",   "delta", "epsilon", "zeta",    "eta",  "theta", "iota",
        "kappa", "lambda", "mu",      "nu",    "xi",      "omicron", "pi",   "rho",   "sigma",
        "sigma", "tau",    "upsilon", "phi",   "chi",     "psi",     "omega"};
    return kNames.at(static_cast<std::size_t>(index));
}

bool ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Isolated Greek letters and pairs (TNF-α, αβ T cells, IFNγ) become their names, with a hyphen
// where they touch a letter or digit so that TNFα = TNF-α = TNF-alpha. Runs of three or more
// letters are Greek words and stay as they are. A μ directly before a Latin letter is the micro
// prefix of a unit (μg, μL) and becomes "u".
void name_greek_letters(NormalizedText& text) {
    NormalizedText out;
    out.text.reserve(text.text.size() + 16);
    const std::string_view s = text.text;
    std::size_t i = 0;
    while (i < s.size()) {
        if (greek_index(s, i) < 0) {
            out.push(s[i], text.begin[i], text.end[i]);
            ++i;
            continue;
        }
        std::size_t j = i;
        while (greek_index(s, j) >= 0) j += 2;
        const std::size_t count = (j - i) / 2;
        if (count > 2) {
            for (; i < j; ++i) out.push(s[i], text.begin[i], text.end[i]);
            continue;
        }
        const bool next_alnum = j < s.size() && ascii_alnum(s[j]);
        const bool next_latin = next_alnum && !(s[j] >= '0' && s[j] <= '9');
        if (count == 1 && greek_index(s, i) == 11 && next_latin) {
            out.push('u', text.begin[i], text.end[i]);
            i = j;
            continue;
        }
        if (!out.text.empty() && ascii_alnum(out.text.back())) {
            out.push('-', text.begin[i], text.end[i]);
        }
        for (std::size_t k = i; k < j; k += 2) {
            if (k > i) out.push('-', text.begin[k], text.end[k]);
            out.push(greek_name(greek_index(s, k)), text.begin[k], text.end[k]);
        }
        if (next_alnum) out.push('-', text.begin[j - 1], text.end[j - 1]);
        i = j;
    }
    text = std::move(out);
}

}  // namespace

Normalizer::Normalizer() {
    UErrorCode status = U_ZERO_ERROR;
    nfkc_cf_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
    nfd_ = icu::Normalizer2::getNFDInstance(status);
    nfc_ = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) {
        throw AnalysisError(std::string("ICU normalizer unavailable: ") + u_errorName(status));
    }
}

void Normalizer::append_segment(std::string_view segment, std::uint32_t b, std::uint32_t e,
                                NormalizedText& out) const {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(segment.data(), static_cast<std::int32_t>(segment.size())));
    const icu::UnicodeString folded = nfkc_cf_->normalize(source, status);
    const icu::UnicodeString decomposed = nfd_->normalize(folded, status);
    icu::UnicodeString kept;
    for (std::int32_t k = 0; k < decomposed.length();) {
        const UChar32 c = decomposed.char32At(k);
        k += c > 0xFFFF ? 2 : 1;
        if (!is_diacritic(static_cast<char32_t>(c))) kept.append(c);
    }
    const icu::UnicodeString composed = nfc_->normalize(kept, status);
    if (U_FAILURE(status)) {
        out.push(kReplacementUtf8, b, e);
        return;
    }
    for (std::int32_t k = 0; k < composed.length();) {
        const UChar32 c = composed.char32At(k);
        k += c > 0xFFFF ? 2 : 1;
        append_folded(static_cast<char32_t>(c), b, e, out);
    }
}

void Normalizer::normalize(std::string_view text, NormalizedText& out) const {
    out.clear();
    out.text.reserve(text.size());
    out.begin.reserve(text.size());
    out.end.reserve(text.size());
    bool prev_superscript = false;
    bool greek = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        const auto at = static_cast<std::uint32_t>(i);
        if (b0 < 0x80) {
            prev_superscript = false;
            const char c = b0 >= 'A' && b0 <= 'Z' ? static_cast<char>(b0 + 32) : text[i];
            out.push(c, at, at + 1);
            ++i;
            continue;
        }
        const char32_t c = utf8::next(text, i);
        if (c == utf8::kInvalid) {
            prev_superscript = false;
            out.push(kReplacementUtf8, at, static_cast<std::uint32_t>(i));
            continue;
        }
        const bool superscript = is_superscript(c);
        if (superscript && !prev_superscript) out.push('^', at, static_cast<std::uint32_t>(i));
        prev_superscript = superscript;
        // A normalisation segment: this code point and the following ones that may combine.
        std::size_t seg_end = i;
        while (seg_end < text.size()) {
            std::size_t k = seg_end;
            const char32_t next = utf8::next(text, k);
            if (next == utf8::kInvalid || next < 0x80 ||
                nfkc_cf_->hasBoundaryBefore(static_cast<UChar32>(next))) {
                break;
            }
            seg_end = k;
        }
        const auto uc = static_cast<UChar32>(c);
        const auto end = static_cast<std::uint32_t>(seg_end);
        const std::size_t before = out.text.size();
        if (seg_end == i && nfkc_cf_->isInert(uc) && nfd_->isInert(uc)) {
            append_folded(c, at, end, out);
        } else {
            append_segment(text.substr(at, seg_end - at), at, end, out);
        }
        for (std::size_t k = before; k + 1 < out.text.size() && !greek; ++k) {
            greek = greek_index(out.text, k) >= 0;
        }
        i = seg_end;
    }
    if (greek) name_greek_letters(out);
}

std::string Normalizer::key(std::string_view text) const {
    NormalizedText normalized;
    normalize(text, normalized);
    std::string key;
    key.reserve(normalized.text.size());
    const std::string_view s = normalized.text;
    bool gap = false;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t start = i;
        const char32_t c = utf8::next(s, i);
        if (u_isalnum(static_cast<UChar32>(c))) {
            if (gap && !key.empty()) key.push_back(' ');
            gap = false;
            key.append(s.substr(start, i - start));
        } else {
            gap = true;
        }
    }
    return key;
}

}  // namespace trials::analysis
