// Where generated studies go: a zip laid out like ClinicalTrials.gov's bulk ctg-studies.json.zip
// (one pretty-printed API v2 study per entry, named NCTxxxxxxxx.json, at the top level) or an
// NDJSON file (one study per line); and the peers' text file, the seven text fields every engine
// in bench/run indexes, one study per line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "trials/records/study.hpp"

namespace trials::corpus {

enum class OutputFormat { Zip, Ndjson };

// From the file name: .zip, or .ndjson / .jsonl. Throws std::invalid_argument otherwise.
[[nodiscard]] OutputFormat output_format(const std::filesystem::path& path);

class CorpusWriter {
public:
    CorpusWriter(const std::filesystem::path& path, OutputFormat format);
    ~CorpusWriter();
    CorpusWriter(const CorpusWriter&) = delete;
    CorpusWriter& operator=(const CorpusWriter&) = delete;

    // json: pretty-printed for a zip, one line for NDJSON (see json_indent()).
    void add(const std::string& nct_id, std::string_view json);
    void close();  // throws std::runtime_error when the output cannot be completed
    [[nodiscard]] int json_indent() const { return format_ == OutputFormat::Zip ? 2 : -1; }
    [[nodiscard]] std::uint64_t json_bytes() const { return json_bytes_; }

private:
    struct Zip;
    OutputFormat format_;
    std::filesystem::path path_;
    std::unique_ptr<Zip> zip_;
    std::ofstream ndjson_;
    std::uint64_t json_bytes_ = 0;
};

// Peer text columns, tab-separated, tabs and line breaks in the text turned into spaces:
// nct_id status phase study_type title summary description eligibility conditions interventions
// outcomes. title = brief + official title + acronym; conditions = conditions, keywords and
// condition MeSH terms; interventions = names, other names and descriptions; outcomes = measures,
// descriptions and time frames of every outcome; phase = the first phase or NA.
[[nodiscard]] std::string peer_text_row(const records::Study& study);
inline constexpr const char* kPeerTextHeader =
    "nct_id\tstatus\tphase\tstudy_type\ttitle\tsummary\tdescription\teligibility\tconditions\t"
    "interventions\toutcomes";

}  // namespace trials::corpus
