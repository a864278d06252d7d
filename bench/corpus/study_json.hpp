// A Study as a ClinicalTrials.gov API v2 study object (the schema of /studies/{nctId} and of
// the files inside ctg-studies.json.zip): protocolSection modules, derivedSection browse
// modules, hasResults. Only what the record model holds is written.
#pragma once

#include <string>

#include "trials/records/study.hpp"

namespace trials::corpus {

// indent < 0: one line (NDJSON); otherwise pretty-printed with that many spaces (the bulk zip's
// files are pretty-printed).
[[nodiscard]] std::string to_api_v2_json(const records::Study& study, int indent);

}  // namespace trials::corpus
