// Normalisation of registry values shared by all readers: enumerations to API v2 values,
// dates, ages. Pure functions, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trials/records/study.hpp"

namespace trials::records {

// "2020-06-17", "2020-06", "2020", "June 17, 2020", "June 2020" -> PartialDate; empty on failure.
[[nodiscard]] PartialDate parse_date(std::string_view text);

// "18 Years", "6 Months", "2 Weeks", "30 Days", "65 years", "N/A" -> years; nullopt when absent.
[[nodiscard]] std::optional<double> parse_age_years(std::string_view text);

// Legacy and API v2 spellings to API v2 enum values. Unknown values are upper-cased with
// non-alphanumerics turned into '_' (so nothing is silently dropped).
[[nodiscard]] std::string normalize_status(std::string_view text);
// "Phase 1/Phase 2" -> {PHASE1, PHASE2}; "N/A" -> {NA}; "Early Phase 1" -> {EARLY_PHASE1}.
[[nodiscard]] std::vector<std::string> normalize_phases(std::string_view text);
[[nodiscard]] std::string normalize_phase(std::string_view text);
[[nodiscard]] std::string normalize_enum(std::string_view text);  // generic: "Single Group
                                                                   // Assignment" -> SINGLE_GROUP
[[nodiscard]] std::string normalize_study_type(std::string_view text);
[[nodiscard]] std::string normalize_intervention_type(std::string_view text);
[[nodiscard]] std::string normalize_allocation(std::string_view text);
[[nodiscard]] std::string normalize_intervention_model(std::string_view text);
[[nodiscard]] std::string normalize_masking(std::string_view text);
[[nodiscard]] std::string normalize_sex(std::string_view text);
[[nodiscard]] std::string normalize_sponsor_class(std::string_view text);

// True for "NCT" followed by exactly 8 digits.
[[nodiscard]] bool is_valid_nct_id(std::string_view id);

// True when text is valid UTF-8.
[[nodiscard]] bool is_valid_utf8(std::string_view text);

}  // namespace trials::records
