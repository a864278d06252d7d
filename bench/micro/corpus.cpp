// Loads the micro-benchmark inputs once (see corpus.hpp); nothing here is timed.
#include "corpus.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace trials::bench {
namespace {

namespace fs = std::filesystem;

fs::path shared_dir() {
    if (const char* env = std::getenv("TRIALS_SHARED_DATA"); env != nullptr && *env != '\0') {
        return env;
    }
    return TRIALS_SHARED_DATA;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Parses documents, keeping their studies; a rejected record makes the input unusable.
void parse_into(const std::vector<records::RawDocument>& docs, std::vector<records::Study>& out) {
    for (const records::RawDocument& doc : docs) {
        records::ParseResult result = records::parse_document(doc);
        if (!result.errors.empty()) {
            throw std::runtime_error("bench input rejected: " + result.errors.front().to_string());
        }
        for (records::ParsedStudy& p : result.studies) out.push_back(std::move(p.study));
    }
}

}  // namespace

std::size_t total_bytes(const std::vector<records::RawDocument>& docs) {
    std::size_t n = 0;
    for (const records::RawDocument& d : docs) n += d.bytes.size();
    return n;
}

Corpus load_corpus() {
    Corpus c;
    const fs::path shared = shared_dir();

    // data/sample/*.json, sorted by name, concatenated as one JSON array.
    std::vector<fs::path> samples;
    for (const auto& entry : fs::directory_iterator(TRIALS_SAMPLE_DATA)) {
        if (entry.path().extension() == ".json") samples.push_back(entry.path());
    }
    std::sort(samples.begin(), samples.end());
    records::RawDocument array{"data/sample (array)", "[", records::Format::Json, 1};
    for (const fs::path& p : samples) {
        if (array.bytes.size() > 1) array.bytes += ",\n";
        array.bytes += read_file(p);
    }
    array.bytes += "]";
    c.sample_json.push_back(std::move(array));
    c.notes.push_back(std::to_string(samples.size()) + " sample JSON studies");

    const fs::path real_json = shared / "ctgov-api-v2/studies/NCT02513394.json";
    if (fs::exists(real_json)) {
        c.real_json.push_back({real_json.string(), read_file(real_json), records::Format::Json, 1});
        c.notes.push_back("real API v2 JSON " + real_json.string());
    } else {
        c.notes.push_back("absent: " + real_json.string());
    }

    const fs::path archive = shared / "ctgov-xml-covid-kaggle/clinical_studies_xml.tar.gz";
    if (fs::exists(archive)) {
        std::string first_error;
        records::for_each_document(
            archive, records::SourceOptions{},
            [&](records::RawDocument&& doc) {
                c.legacy_xml.push_back(std::move(doc));
                return c.legacy_xml.size() < kLegacyXmlEntries;
            },
            [&](records::InputError&& e) {
                if (first_error.empty()) first_error = e.to_string();
            });
        if (!first_error.empty()) throw std::runtime_error("reading archive: " + first_error);
        c.notes.push_back(std::to_string(c.legacy_xml.size()) + " legacy XML entries of " +
                          archive.string());
    } else {
        c.notes.push_back("absent: " + archive.string());
    }

    parse_into(c.legacy_xml, c.studies);
    parse_into(c.real_json, c.studies);
    parse_into(c.sample_json, c.studies);

    for (const records::Study& s : c.studies) {
        if (!s.brief_summary.empty()) {
            c.texts.push_back({analysis::TextField::Summary, s.brief_summary});
        }
        if (!s.eligibility_criteria.empty()) {
            c.texts.push_back({analysis::TextField::Eligibility, s.eligibility_criteria});
        }
    }
    for (const FieldText& t : c.texts) c.text_bytes += t.text.size();

    const fs::path mesh = shared / "mesh-2024-jaytimm/desc2024_from_tsv.xml.gz";
    if (fs::exists(mesh)) {
        c.mesh_path = mesh;
    } else {
        c.notes.push_back("absent: " + mesh.string());
    }
    return c;
}

}  // namespace trials::bench
