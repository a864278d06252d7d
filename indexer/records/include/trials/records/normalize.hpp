// Normalisation of registry values shared by all readers: enumerations to API v2 values,
// dates, ages. Pure functions, no I/O.
#pragma once

#include <cstddef>
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

// Added for the readers (the generic rule would give the wrong API v2 value for these):
// "Educational/Counseling/Training" -> ECT, "Supportive Care" -> SUPPORTIVE_CARE, ...
[[nodiscard]] std::string normalize_primary_purpose(std::string_view text);
// "Actual" -> ACTUAL, "Anticipated" / "Estimated" / "Estimate" -> ESTIMATED.
[[nodiscard]] std::string normalize_enrollment_type(std::string_view text);
// "Accepts Healthy Volunteers" / "Yes" / "true" -> true, "No" / "false" -> false, else nullopt.
[[nodiscard]] std::optional<bool> parse_healthy_volunteers(std::string_view text);
// MeSH descriptor ids as the records give them -> the NLM form: the classic API (and some v2
// exports) zero-pad old ids to nine digits ("D000012140"); descriptors numbered before the
// nine-digit series (which starts at D000066388) are turned back into "D012140". Supplementary
// concept ids (C...) are returned trimmed but unchanged: their padding is ambiguous.
[[nodiscard]] std::string normalize_mesh_id(std::string_view id);
// ClinicalTrials.gov age groups for an age range: CHILD (birth-17), ADULT (18-64),
// OLDER_ADULT (65+); an absent bound is open. Returned in that order.
[[nodiscard]] std::vector<std::string> std_ages_for(std::optional<double> minimum_years,
                                                    std::optional<double> maximum_years);

// Undoes the hard wrapping of legacy XML textblocks: the lines of a paragraph are joined with
// one space, blank lines become paragraph breaks ("\n\n"), a line starting a list item ("- ",
// "* ", "1. ", "2) ", "•") keeps its own line, runs of whitespace collapse, ends are trimmed.
[[nodiscard]] std::string collapse_textblock(std::string_view text);

// True for "NCT" followed by exactly 8 digits.
[[nodiscard]] bool is_valid_nct_id(std::string_view id);

// True when text is valid UTF-8.
[[nodiscard]] bool is_valid_utf8(std::string_view text);
// Byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates and code points
// above U+10FFFF count as invalid); std::string_view::npos when the text is valid.
[[nodiscard]] std::size_t find_invalid_utf8(std::string_view text);

}  // namespace trials::records
