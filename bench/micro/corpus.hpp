// Micro-benchmark inputs, loaded once before any timing: API v2 JSON (data/sample/*.json as one
// array, plus the large real record NCT02513394 when present), the first legacy XML entries of the
// COVID archive, the studies parsed from them, their summary and eligibility texts, and the MeSH
// file. Real data comes from ../shared/data/real ($TRIALS_SHARED_DATA overrides); whatever is
// absent is left empty and its benchmarks are not registered.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "trials/analysis/schema.hpp"
#include "trials/records/reader.hpp"
#include "trials/records/study.hpp"

namespace trials::bench {

// Legacy XML entries read from the archive (archive order: a fixed input).
inline constexpr std::size_t kLegacyXmlEntries = 300;

struct FieldText {
    analysis::TextField field;  // Summary or Eligibility
    std::string text;
};

struct Corpus {
    std::vector<std::string> notes;                 // what was found and what was missing
    std::vector<records::RawDocument> sample_json;  // one: data/sample/*.json sorted, as an array
    std::vector<records::RawDocument> real_json;    // NCT02513394.json when present
    std::vector<records::RawDocument> legacy_xml;   // first kLegacyXmlEntries archive entries
    std::vector<records::Study> studies;  // parsed: legacy XML, then real JSON, then the sample
    std::vector<FieldText> texts;         // brief summaries and eligibility texts of studies
    std::size_t text_bytes = 0;
    std::filesystem::path mesh_path;  // empty when absent
};

[[nodiscard]] Corpus load_corpus();

// Total bytes of a set of raw documents.
[[nodiscard]] std::size_t total_bytes(const std::vector<records::RawDocument>& docs);

}  // namespace trials::bench
