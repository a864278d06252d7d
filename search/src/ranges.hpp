// Range values of the query language: dates (yyyy, yyyy-MM, yyyy-MM-dd, MM/dd/yyyy), numbers and
// ages (16, 16y, 6m, "16 years"), and the value-range queries built from them.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>

#include "trials/analysis/schema.hpp"

namespace trials::search::detail {

// Every document. Never copy Xapian's static MatchAll query instead: it is one object whose
// reference count is not atomic, so threads building queries at once corrupt it (Xapian 1.4's
// query.h says so; it crashed tests/reliability/concurrent_test.cpp).
[[nodiscard]] inline Xapian::Query match_all() { return Xapian::Query(std::string()); }

// yyyymmdd of the first (is_upper false) or last (is_upper true) day of the period written.
// nullopt when not a date. "MIN"/"MAX" are handled by the callers.
[[nodiscard]] std::optional<double> parse_date_bound(std::string_view text, bool is_upper);
// Age in years: "16", "16y", "16 years", "6m", "6 months", "2w", "30d".
[[nodiscard]] std::optional<double> parse_age(std::string_view text);
[[nodiscard]] std::optional<double> parse_number(std::string_view text);

// A range on one numeric slot; open ends when lo/hi are nullopt. Throws QueryError when a bound
// cannot be read. `lo_text`/`hi_text` are as typed ("", "MIN", "MAX" mean open).
[[nodiscard]] Xapian::Query numeric_range(const analysis::NumericSpec& spec,
                                          std::string_view lo_text, std::string_view hi_text);
// age:X: minimum age <= X and maximum age >= X, a missing bound counting as no limit.
[[nodiscard]] Xapian::Query age_query(std::string_view lo_text, std::string_view hi_text);
// Documents that have no value in the slot.
[[nodiscard]] Xapian::Query missing_value(Xapian::valueno slot);

}  // namespace trials::search::detail
