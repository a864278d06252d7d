// Normalisation of registry values: legacy XML / classic API spellings and API v2 enum values
// to API v2 enums, dates, ages, age groups, MeSH ids, NCT ids. Pure functions. (Text-level
// helpers, textblocks and UTF-8, are in text_normalize.cpp.)
#include "trials/records/normalize.hpp"

#include <array>
#include <charconv>
#include <cstdio>

#include "text_util.hpp"

namespace trials::records {

namespace {

using detail::iequals;
using detail::is_alpha;
using detail::is_digit;
using detail::trim;

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

// "June", "Jun", "jun.", "Sept" -> 6 / 6 / 6 / 9; 0 when not a month name.
int month_number(std::string_view word) {
    if (!word.empty() && word.back() == '.') word.remove_suffix(1);
    if (word.size() < 3) return 0;
    if (iequals(word, "sept")) return 9;
    for (std::size_t m = 0; m < kMonths.size(); ++m) {
        const std::string_view name = kMonths[m];
        if (word.size() <= name.size() && iequals(word, name.substr(0, word.size()))) {
            return static_cast<int>(m) + 1;
        }
    }
    return 0;
}

// Parses a run of ASCII digits of length [min_len, max_len] at the front of s.
bool take_number(std::string_view& s, std::size_t min_len, std::size_t max_len, int& value) {
    std::size_t n = 0;
    while (n < s.size() && n < max_len && is_digit(s[n])) ++n;
    if (n < min_len || (n < s.size() && is_digit(s[n]))) return false;
    value = 0;
    for (std::size_t i = 0; i < n; ++i) value = value * 10 + (s[i] - '0');
    s.remove_prefix(n);
    return true;
}

PartialDate checked(int year, int month, int day) {
    if (year < 1000 || year > 9999 || month < 0 || month > 12 || day < 0 || day > 31) return {};
    if (month == 0 && day != 0) return {};
    return PartialDate{year, month, day};
}

// yyyy, yyyy-MM, yyyy-MM-dd, optionally followed by a time ("2020-06-17T10:00").
PartialDate parse_iso_date(std::string_view s) {
    int year = 0;
    int month = 0;
    int day = 0;
    if (!take_number(s, 4, 4, year)) return {};
    if (!s.empty() && s.front() == '-') {
        s.remove_prefix(1);
        if (!take_number(s, 1, 2, month)) return {};
        if (!s.empty() && s.front() == '-') {
            s.remove_prefix(1);
            if (!take_number(s, 1, 2, day)) return {};
        }
    }
    if (!s.empty() && !(day != 0 && (s.front() == 'T' || s.front() == ' '))) return {};
    return checked(year, month, day);
}

// "June 17, 2020", "June 2020", "Jun 2020", "17 June 2020".
PartialDate parse_text_date(std::string_view s) {
    std::array<std::string_view, 4> tokens{};
    std::size_t count = 0;
    while (!s.empty()) {
        while (!s.empty() && (detail::is_space(s.front()) || s.front() == ',')) s.remove_prefix(1);
        if (s.empty()) break;
        std::size_t n = 0;
        while (n < s.size() && !detail::is_space(s[n]) && s[n] != ',') ++n;
        if (count == tokens.size()) return {};
        tokens[count++] = s.substr(0, n);
        s.remove_prefix(n);
    }
    auto number = [](std::string_view t, std::size_t min_len, std::size_t max_len, int& v) {
        return take_number(t, min_len, max_len, v) && t.empty();
    };
    int year = 0;
    int day = 0;
    if (count == 2) {
        const int month = month_number(tokens[0]);
        if (month != 0 && number(tokens[1], 4, 4, year)) return checked(year, month, 0);
    } else if (count == 3) {
        int month = month_number(tokens[0]);
        if (month != 0 && number(tokens[1], 1, 2, day) && number(tokens[2], 4, 4, year)) {
            return checked(year, month, day);
        }
        month = month_number(tokens[1]);
        if (month != 0 && number(tokens[0], 1, 2, day) && number(tokens[2], 4, 4, year)) {
            return checked(year, month, day);
        }
    }
    return {};
}

// Generic enum spelling: letters and digits upper-cased, every other run becomes one '_'.
std::string to_enum(std::string_view text) {
    std::string out;
    bool pending_sep = false;
    for (const char c : trim(text)) {
        if (is_alpha(c) || is_digit(c)) {
            if (pending_sep && !out.empty()) out.push_back('_');
            pending_sep = false;
            out.push_back(detail::to_upper(c));
        } else if (static_cast<unsigned char>(c) >= 0x80) {
            if (pending_sep && !out.empty()) out.push_back('_');
            pending_sep = false;
            out.push_back(c);  // keep non-ASCII bytes rather than dropping them
        } else {
            pending_sep = true;
        }
    }
    return out;
}

bool is_not_applicable(std::string_view t) {
    return iequals(t, "N/A") || iequals(t, "NA") || iequals(t, "Not Applicable");
}

std::string phase_from_number(std::string_view digits) {
    if (digits == "1" || iequals(digits, "I")) return "PHASE1";
    if (digits == "2" || iequals(digits, "II")) return "PHASE2";
    if (digits == "3" || iequals(digits, "III")) return "PHASE3";
    if (digits == "4" || iequals(digits, "IV")) return "PHASE4";
    return {};
}

}  // namespace

std::string PartialDate::to_string() const {
    if (empty()) return {};
    std::array<char, 16> buf{};
    int n = 0;
    if (month == 0) {
        n = std::snprintf(buf.data(), buf.size(), "%04d", year);
    } else if (day == 0) {
        n = std::snprintf(buf.data(), buf.size(), "%04d-%02d", year, month);
    } else {
        n = std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02d", year, month, day);
    }
    return std::string(buf.data(), static_cast<std::size_t>(n > 0 ? n : 0));
}

PartialDate parse_date(std::string_view text) {
    const std::string_view t = trim(text);
    if (t.empty()) return {};
    if (t.size() >= 4 && is_digit(t[0]) && is_digit(t[1]) && is_digit(t[2]) && is_digit(t[3])) {
        return parse_iso_date(t);
    }
    return parse_text_date(t);
}

std::optional<double> parse_age_years(std::string_view text) {
    std::string_view t = trim(text);
    if (t.empty() || is_not_applicable(t)) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (ec != std::errc{} || value < 0) return std::nullopt;
    t = trim(t.substr(static_cast<std::size_t>(end - t.data())));
    if (!t.empty() && t.back() == '.') t.remove_suffix(1);
    if (t.size() > 1 && (t.back() == 's' || t.back() == 'S')) t.remove_suffix(1);
    constexpr double kDaysPerYear = 365.25;
    if (t.empty() || iequals(t, "year") || iequals(t, "yr") || iequals(t, "y")) return value;
    if (iequals(t, "month") || iequals(t, "mo")) return value / 12.0;
    if (iequals(t, "week") || iequals(t, "wk")) return value * 7.0 / kDaysPerYear;
    if (iequals(t, "day")) return value / kDaysPerYear;
    if (iequals(t, "hour") || iequals(t, "hr")) return value / (24.0 * kDaysPerYear);
    if (iequals(t, "minute") || iequals(t, "min")) return value / (24.0 * 60.0 * kDaysPerYear);
    return std::nullopt;
}

std::string normalize_enum(std::string_view text) {
    const std::string_view t = trim(text);
    if (is_not_applicable(t)) return "NA";
    return to_enum(t);
}

std::string normalize_status(std::string_view text) {
    const std::string_view t = trim(text);
    if (iequals(t, "Unknown status") || iequals(t, "Unknown")) return "UNKNOWN";
    return to_enum(t);
}

std::string normalize_phase(std::string_view text) {
    std::string_view t = trim(text);
    if (t.empty()) return {};
    if (is_not_applicable(t)) return "NA";
    std::string e = to_enum(t);
    if (e == "EARLY_PHASE1" || e == "EARLY_PHASE_1" || e == "PHASE_0" || e == "PHASE0") {
        return "EARLY_PHASE1";
    }
    if (e.rfind("PHASE", 0) == 0) {
        std::string_view rest(e);
        rest.remove_prefix(5);
        if (!rest.empty() && rest.front() == '_') rest.remove_prefix(1);
        if (std::string p = phase_from_number(rest); !p.empty()) return p;
    }
    if (std::string p = phase_from_number(t); !p.empty()) return p;  // "3" in "Phase 2/3"
    return e;
}

std::vector<std::string> normalize_phases(std::string_view text) {
    std::vector<std::string> out;
    const std::string_view t = trim(text);
    if (t.empty()) return out;
    if (is_not_applicable(t)) return {"NA"};
    std::size_t start = 0;
    while (start <= t.size()) {
        std::size_t end = t.find_first_of("/|,", start);
        if (end == std::string_view::npos) end = t.size();
        if (std::string p = normalize_phase(t.substr(start, end - start)); !p.empty()) {
            bool seen = false;
            for (const auto& q : out) seen = seen || q == p;
            if (!seen) out.push_back(std::move(p));
        }
        start = end + 1;
    }
    return out;
}

std::string normalize_study_type(std::string_view text) {
    const std::string_view t = trim(text);
    if (is_not_applicable(t)) return {};  // withheld records say "N/A": no study type given
    std::string e = to_enum(t);
    if (e.rfind("OBSERVATIONAL", 0) == 0) return "OBSERVATIONAL";  // "[Patient Registry]"
    if (e.rfind("INTERVENTIONAL", 0) == 0) return "INTERVENTIONAL";
    return e;
}

std::string normalize_intervention_type(std::string_view text) {
    std::string e = normalize_enum(text);
    if (e == "BIOLOGIC") return "BIOLOGICAL";
    if (e == "DIETARY") return "DIETARY_SUPPLEMENT";
    return e;
}

std::string normalize_allocation(std::string_view text) {
    std::string e = normalize_enum(text);
    if (e == "NONRANDOMIZED" || e == "NON_RANDOMISED") return "NON_RANDOMIZED";
    if (e == "RANDOMISED") return "RANDOMIZED";
    return e;
}

std::string normalize_intervention_model(std::string_view text) {
    std::string_view t = trim(text);
    if (detail::ends_with_icase(t, " assignment")) t.remove_suffix(11);
    return normalize_enum(t);
}

std::string normalize_masking(std::string_view text) {
    std::string_view t = trim(text);
    if (const auto paren = t.find('('); paren != std::string_view::npos) {
        t = trim(t.substr(0, paren));  // "Double (Participant, Investigator)" -> "Double"
    }
    if (iequals(t, "Open Label") || iequals(t, "None")) return "NONE";
    return to_enum(t);
}

std::string normalize_sex(std::string_view text) {
    const std::string_view t = trim(text);
    if (iequals(t, "Both") || iequals(t, "All")) return "ALL";
    return to_enum(t);
}

std::string normalize_sponsor_class(std::string_view text) {
    const std::string_view t = trim(text);
    if (iequals(t, "U.S. Fed") || iequals(t, "US Fed") || iequals(t, "Federal")) return "FED";
    if (iequals(t, "Individual")) return "INDIV";
    if (iequals(t, "Ambiguous")) return "AMBIG";
    if (iequals(t, "Other Gov") || iequals(t, "Other Government")) return "OTHER_GOV";
    return to_enum(t);
}

std::string normalize_primary_purpose(std::string_view text) {
    std::string e = normalize_enum(text);
    if (e == "EDUCATIONAL_COUNSELING_TRAINING") return "ECT";
    return e;
}

std::string normalize_enrollment_type(std::string_view text) {
    std::string e = to_enum(text);
    if (e == "ANTICIPATED" || e == "ESTIMATE" || e == "ESTIMATED") return "ESTIMATED";
    return e;
}

std::optional<bool> parse_healthy_volunteers(std::string_view text) {
    const std::string_view t = trim(text);
    if (iequals(t, "Accepts Healthy Volunteers") || iequals(t, "Yes") || iequals(t, "true")) {
        return true;
    }
    if (iequals(t, "No") || iequals(t, "false")) return false;
    return std::nullopt;
}

std::string normalize_mesh_id(std::string_view id) {
    const std::string_view t = trim(id);
    // The last six-digit descriptor is D066331; nine-digit numbering starts at D000066388.
    constexpr int kFirstNineDigitDescriptor = 66388;
    if (t.size() == 10 && t[0] == 'D' && t.substr(1, 3) == "000") {
        std::string_view digits = t.substr(4);
        int value = 0;
        if (take_number(digits, 6, 6, value) && digits.empty() &&
            value < kFirstNineDigitDescriptor) {
            return "D" + std::string(t.substr(4));
        }
    }
    return std::string(t);
}

std::vector<std::string> std_ages_for(std::optional<double> minimum_years,
                                      std::optional<double> maximum_years) {
    const double lo = minimum_years.value_or(0.0);
    const bool open_top = !maximum_years.has_value();
    const double hi = maximum_years.value_or(0.0);
    std::vector<std::string> out;
    if (lo < 18.0) out.emplace_back("CHILD");
    if (lo < 65.0 && (open_top || hi >= 18.0)) out.emplace_back("ADULT");
    if (open_top || hi >= 65.0) out.emplace_back("OLDER_ADULT");
    return out;
}

bool is_valid_nct_id(std::string_view id) {
    if (id.size() != 11 || id.substr(0, 3) != "NCT") return false;
    for (const char c : id.substr(3)) {
        if (!is_digit(c)) return false;
    }
    return true;
}

}  // namespace trials::records
