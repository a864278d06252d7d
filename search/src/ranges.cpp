// Range parsing and value-range queries (see ranges.hpp).
#include "ranges.hpp"

#include <cctype>
#include <charconv>
#include <limits>
#include <string>

#include "trials/error.hpp"

namespace trials::search::detail {
namespace {

std::string trim_lower(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    std::string out;
    for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

std::optional<int> to_int(std::string_view s) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

bool is_open(std::string_view text) {
    const std::string t = trim_lower(text);
    return t.empty() || t == "min" || t == "max" || t == "*";
}

// Every document with a value in the slot. (An empty lower bound would match every document:
// Xapian treats OP_VALUE_GE "" as MatchAll; "\0" is below every non-empty value.)
Xapian::Query has_value(Xapian::valueno slot) {
    return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, std::string(1, '\0'));
}

Xapian::Query value_range(Xapian::valueno slot, std::optional<double> lo,
                          std::optional<double> hi) {
    if (lo && hi) {
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, Xapian::sortable_serialise(*lo),
                             Xapian::sortable_serialise(*hi));
    }
    if (lo) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, Xapian::sortable_serialise(*lo));
    if (hi) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, Xapian::sortable_serialise(*hi));
    return has_value(slot);
}

}  // namespace

std::optional<double> parse_date_bound(std::string_view text, bool is_upper) {
    const std::string t = trim_lower(text);
    int y = 0, m = 0, d = 0;
    if (t.size() >= 8 && t[2] == '/' ) {  // MM/dd/yyyy
        auto mm = to_int(std::string_view(t).substr(0, 2));
        auto dd = to_int(std::string_view(t).substr(3, 2));
        auto yy = to_int(std::string_view(t).substr(6));
        if (!mm || !dd || !yy) return std::nullopt;
        y = *yy, m = *mm, d = *dd;
    } else {
        std::string_view v(t);
        auto yy = to_int(v.substr(0, 4));
        if (!yy || v.size() < 4) return std::nullopt;
        y = *yy;
        if (v.size() > 4) {
            if (v[4] != '-' || v.size() < 7) return std::nullopt;
            auto mm = to_int(v.substr(5, 2));
            if (!mm) return std::nullopt;
            m = *mm;
            if (v.size() > 7) {
                if (v[7] != '-') return std::nullopt;
                auto dd = to_int(v.substr(8));
                if (!dd) return std::nullopt;
                d = *dd;
            }
        }
    }
    if (y < 1000 || y > 9999 || m < 0 || m > 12 || d < 0 || d > 31) return std::nullopt;
    if (is_upper) {
        if (m == 0) m = 12;
        if (d == 0) d = 99;
    }
    return y * 10000.0 + m * 100.0 + d;
}

std::optional<double> parse_number(std::string_view text) {
    const std::string t = trim_lower(text);
    if (t.empty()) return std::nullopt;
    try {
        std::size_t used = 0;
        const double v = std::stod(t, &used);
        if (used != t.size()) return std::nullopt;
        return v;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<double> parse_age(std::string_view text) {
    const std::string t = trim_lower(text);
    std::size_t i = 0;
    while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.')) ++i;
    auto n = parse_number(std::string_view(t).substr(0, i));
    if (!n) return std::nullopt;
    std::string unit = trim_lower(std::string_view(t).substr(i));
    if (unit.empty() || unit[0] == 'y') return *n;
    if (unit[0] == 'm' && unit.rfind("mi", 0) != 0) return *n / 12.0;
    if (unit[0] == 'w') return *n * 7.0 / 365.25;
    if (unit[0] == 'd') return *n / 365.25;
    if (unit[0] == 'h') return *n / (24.0 * 365.25);
    return std::nullopt;
}

Xapian::Query numeric_range(const analysis::NumericSpec& spec, std::string_view lo_text,
                            std::string_view hi_text) {
    auto bound = [&](std::string_view text, bool upper) -> std::optional<double> {
        if (is_open(text)) return std::nullopt;
        std::optional<double> v;
        if (spec.is_date) {
            v = parse_date_bound(text, upper);
        } else if (spec.slot == analysis::NumericSlot::MinimumAge ||
                   spec.slot == analysis::NumericSlot::MaximumAge) {
            v = parse_age(text);
        } else {
            v = parse_number(text);
        }
        if (!v) {
            throw QueryError("cannot read '" + std::string(text) + "' as a " +
                             (spec.is_date ? "date (yyyy, yyyy-MM, yyyy-MM-dd)" : "number") +
                             " for " + std::string(spec.name) + ":");
        }
        return v;
    };
    return value_range(static_cast<Xapian::valueno>(spec.slot), bound(lo_text, false),
                       bound(hi_text, true));
}

Xapian::Query missing_value(Xapian::valueno slot) {
    return Xapian::Query(Xapian::Query::OP_AND_NOT, match_all(), has_value(slot));
}

Xapian::Query age_query(std::string_view lo_text, std::string_view hi_text) {
    auto age = [](std::string_view t) -> std::optional<double> {
        if (is_open(t)) return std::nullopt;
        auto v = parse_age(t);
        if (!v) throw QueryError("cannot read '" + std::string(t) + "' as an age (16, 6m, 2w)");
        return v;
    };
    const auto lo = age(lo_text);
    const auto hi = age(hi_text);
    const auto min_slot = static_cast<Xapian::valueno>(analysis::NumericSlot::MinimumAge);
    const auto max_slot = static_cast<Xapian::valueno>(analysis::NumericSlot::MaximumAge);
    // Eligible ages [min, max] overlap the asked [lo, hi]: min <= hi and max >= lo.
    Xapian::Query q = match_all();
    if (hi) {
        q = Xapian::Query(Xapian::Query::OP_AND, q,
                          Xapian::Query(Xapian::Query::OP_OR, value_range(min_slot, std::nullopt, hi),
                                        missing_value(min_slot)));
    }
    if (lo) {
        q = Xapian::Query(Xapian::Query::OP_AND, q,
                          Xapian::Query(Xapian::Query::OP_OR, value_range(max_slot, lo, std::nullopt),
                                        missing_value(max_slot)));
    }
    return q;
}

}  // namespace trials::search::detail
