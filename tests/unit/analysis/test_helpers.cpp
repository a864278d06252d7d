// Rendering and invariant checks for analysed token streams.
#include "test_helpers.hpp"

#include <sstream>

namespace trials::analysis::testing {

std::string render(const Analyzer& analyzer, const std::vector<Token>& tokens) {
    std::string out;
    for (const Token& t : tokens) {
        if (!out.empty()) out += ' ';
        out += t.term + '[' + std::to_string(t.position);
        if (t.joined) {
            out += ",j";
        } else if (t.keyword) {
            out += ",k";
        }
        const std::string stem = analyzer.stem(t);
        if (!stem.empty() && stem != t.term) out += '>' + stem;
        out += ']';
    }
    return out;
}

std::string render(const Analyzer& analyzer, std::string_view text) {
    std::vector<Token> tokens;
    analyzer.analyze(text, tokens);
    return render(analyzer, tokens);
}

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        char32_t cp = 0;
        if (b < 0x80) {
            ++i;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            len = 2;
            cp = b & 0x1Fu;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            cp = b & 0x0Fu;
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            cp = b & 0x07u;
        } else {
            return false;
        }
        if (i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0u) != 0x80u) return false;
            cp = (cp << 6) | (c & 0x3Fu);
        }
        const char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

::testing::AssertionResult invariants_hold(std::string_view input, const std::vector<Token>& tokens,
                                           std::uint32_t first_position,
                                           std::uint32_t next_position) {
    std::uint32_t last = first_position;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        std::ostringstream where;
        where << "token " << i << " '" << t.term << "' [" << t.start << ',' << t.end << ") pos "
              << t.position << ": ";
        if (t.term.empty()) return ::testing::AssertionFailure() << where.str() << "empty term";
        if (!valid_utf8(t.term)) {
            return ::testing::AssertionFailure() << where.str() << "invalid UTF-8 term";
        }
        if (t.start >= t.end || t.end > input.size()) {
            return ::testing::AssertionFailure() << where.str() << "offsets outside the input";
        }
        if (t.position < last) {
            return ::testing::AssertionFailure() << where.str() << "position decreased";
        }
        if (t.position >= next_position) {
            return ::testing::AssertionFailure()
                   << where.str() << "position >= returned next " << next_position;
        }
        last = t.position;
    }
    if (next_position < first_position) {
        return ::testing::AssertionFailure() << "next position below the first";
    }
    return ::testing::AssertionSuccess();
}

}  // namespace trials::analysis::testing
