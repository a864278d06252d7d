// Strict UTF-8 decoding and encoding shared by the analysis sources. Ill-formed sequences
// (overlongs, surrogates, truncations, values above U+10FFFF) are reported, never guessed at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace trials::analysis::utf8 {

inline constexpr char32_t kInvalid = 0xFFFFFFFF;
inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at s[i] and advances i past it. An ill-formed sequence advances i by
// the maximal ill-formed prefix (at least one byte) and returns kInvalid.
inline char32_t next(std::string_view s, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    std::size_t len = 0;
    char32_t cp = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        cp = b0 & 0x0Fu;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        cp = b0 & 0x07u;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        ++i;
        return kInvalid;
    }
    std::size_t k = i + 1;
    for (std::size_t n = 1; n < len; ++n, ++k) {
        if (k >= s.size()) {
            i = k;
            return kInvalid;
        }
        const unsigned char b = byte(k);
        const unsigned char min = n == 1 ? lo : 0x80;
        const unsigned char max = n == 1 ? hi : 0xBF;
        if (b < min || b > max) {
            i = k;
            return kInvalid;
        }
        cp = (cp << 6) | (b & 0x3Fu);
    }
    i = k;
    return cp;
}

inline void append(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

[[nodiscard]] inline bool valid(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (next(s, i) == kInvalid) return false;
    }
    return true;
}

// Largest prefix length <= max_bytes that ends on a code point boundary of valid UTF-8 s.
[[nodiscard]] inline std::size_t truncate_at(std::string_view s, std::size_t max_bytes) {
    if (s.size() <= max_bytes) return s.size();
    std::size_t n = max_bytes;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0u) == 0x80u) --n;
    return n;
}

}  // namespace trials::analysis::utf8
