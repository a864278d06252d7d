// Text-level normalisation: undoing the hard wrapping of legacy XML textblocks, and UTF-8
// validation. Pure functions declared in normalize.hpp.
#include <string>
#include <string_view>

#include "text_util.hpp"
#include "trials/records/normalize.hpp"

namespace trials::records {

namespace {

using detail::is_digit;
using detail::is_space;
using detail::trim;

// "- item", "* item", "• item", "1. item", "2) item": a list item starts a new line.
bool starts_list_item(std::string_view line) {
    if (line.empty()) return false;
    if (line[0] == '-' || line[0] == '*' || line[0] == '+') {
        return line.size() == 1 || is_space(line[1]);
    }
    if (line.substr(0, 3) == "\xE2\x80\xA2") return true;  // U+2022 BULLET
    std::size_t n = 0;
    while (n < line.size() && n < 3 && is_digit(line[n])) ++n;
    return n > 0 && n < line.size() && (line[n] == '.' || line[n] == ')') &&
           (n + 1 == line.size() || is_space(line[n + 1]));
}

void append_collapsed(std::string& out, std::string_view line) {
    bool space = false;
    for (const char c : line) {
        if (is_space(c)) {
            space = true;
        } else {
            if (space) out.push_back(' ');
            space = false;
            out.push_back(c);
        }
    }
}

}  // namespace

std::string collapse_textblock(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_paragraph = false;
    bool in_paragraph = false;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find_first_of("\r\n", pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = trim(text.substr(pos, end - pos));
        if (line.empty()) {
            pending_paragraph = in_paragraph;
        } else {
            if (pending_paragraph) {
                out += "\n\n";
            } else if (in_paragraph) {
                out.push_back(starts_list_item(line) ? '\n' : ' ');
            }
            append_collapsed(out, line);
            in_paragraph = true;
            pending_paragraph = false;
        }
        if (end + 1 < text.size() && text[end] == '\r' && text[end + 1] == '\n') {
            ++end;
        }
        pos = end + 1;
    }
    return out;
}

std::size_t find_invalid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned char lo = 0x80;  // allowed range of the second byte
        unsigned char hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;  // overlong
            if (c == 0xED) hi = 0x9F;  // surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;  // overlong
            if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
        } else {
            return i;
        }
        if (i + len > n) return i;
        if (s[i + 1] < lo || s[i + 1] > hi) return i;
        for (std::size_t k = 2; k < len; ++k) {
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
        }
        i += len;
    }
    return std::string_view::npos;
}

bool is_valid_utf8(std::string_view text) {
    return find_invalid_utf8(text) == std::string_view::npos;
}

}  // namespace trials::records
