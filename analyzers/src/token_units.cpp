// Token units: recovers compounds from analysed tokens (tokens at later positions whose offsets
// lie inside the span of the tokens at the unit's first position belong to it).
#include "token_units.hpp"

#include <algorithm>

namespace trials::analysis {

bool is_signed(const Token& token) {
    if (!token.keyword || token.term.size() < 2) return false;
    const char c = token.term.back();
    return c == '+' || c == '-' || c == '%';
}

void group_units(const std::vector<Token>& tokens, std::vector<TokenUnit>& units) {
    units.clear();
    const std::size_t n = tokens.size();
    std::size_t i = 0;
    while (i < n) {
        TokenUnit u;
        u.first = i;
        u.position = tokens[i].position;
        std::uint32_t span_begin = tokens[i].start;
        std::uint32_t span_end = tokens[i].end;
        std::size_t j = i;
        for (; j < n && tokens[j].position == u.position; ++j) {
            span_begin = std::min(span_begin, tokens[j].start);
            span_end = std::max(span_end, tokens[j].end);
        }
        while (j < n && tokens[j].start >= span_begin && tokens[j].end <= span_end) ++j;
        // Never split the tokens of one position between two units.
        while (j < n && j > i + 1 && tokens[j].position == tokens[j - 1].position &&
               tokens[j - 1].position != u.position) {
            --j;
        }
        u.last = j;
        u.end_position = tokens[j - 1].position + 1;
        for (std::size_t k = i; k < j; ++k) {
            const Token& t = tokens[k];
            const bool sign = is_signed(t);
            u.has_signed = u.has_signed || sign;
            if (t.start != span_begin || t.end != span_end) continue;
            if (sign && u.whole_signed < 0) u.whole_signed = static_cast<int>(k);
            if (t.joined && u.whole_joined < 0) u.whole_joined = static_cast<int>(k);
        }
        units.push_back(u);
        i = j;
    }
}

void unit_representatives(const std::vector<Token>& tokens, const TokenUnit& unit,
                          std::vector<std::size_t>& reps) {
    reps.clear();
    std::size_t k = unit.first;
    while (k < unit.last) {
        const std::uint32_t pos = tokens[k].position;
        std::size_t best = k;
        int rank = 3;
        for (; k < unit.last && tokens[k].position == pos; ++k) {
            const int r = is_signed(tokens[k]) ? 0 : (!tokens[k].joined ? 1 : 2);
            if (r < rank) {
                rank = r;
                best = k;
            }
        }
        reps.push_back(best);
    }
}

std::string unit_key(const std::vector<Token>& tokens, const TokenUnit& unit) {
    if (unit.whole_signed >= 0) return tokens[static_cast<std::size_t>(unit.whole_signed)].term;
    if (unit.whole_joined >= 0) return tokens[static_cast<std::size_t>(unit.whole_joined)].term;
    return parts_key(tokens, unit);
}

std::string parts_key(const std::vector<Token>& tokens, const TokenUnit& unit) {
    std::vector<std::size_t> reps;
    unit_representatives(tokens, unit, reps);
    std::string key;
    for (const std::size_t r : reps) {
        if (!key.empty()) key.push_back(' ');
        key += tokens[r].term;
    }
    return key;
}

}  // namespace trials::analysis
