// Private interface between parse_document() (parse.cpp) and the format readers
// (ctgov_json.cpp, ctgov_json_v1.cpp, legacy_xml.cpp). Not installed, not for other modules.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "trials/records/reader.hpp"
#include "trials/records/study.hpp"

namespace trials::records::detail {

// Checks the NCT id of a mapped study and appends it to out.studies, or appends an InputError
// ("missing NCT id" / "malformed NCT id 'X'") to out.errors.
void accept_study(Study&& study, std::string origin, ParseResult& out);

// Fills minimum/maximum_age_years from the age strings and, when the record gives no std_ages
// but does have an eligibility section, computes them like ClinicalTrials.gov does.
void finish_ages(Study& study, bool has_eligibility);

// Readers. text is valid UTF-8 without a byte-order mark; origin names the document.
// JSON: one study (API v2 or classic v1), an array of studies, or an API page.
void read_ctgov_json(std::string_view text, const std::string& origin, ParseResult& out);
// NDJSON: one study per line; each line is validated and parsed on its own.
void read_ctgov_ndjson(std::string_view text, const std::string& origin, std::size_t first_line,
                       ParseResult& out);
// Legacy <clinical_study> XML.
void read_legacy_xml(std::string_view text, const std::string& origin, ParseResult& out);

}  // namespace trials::records::detail
