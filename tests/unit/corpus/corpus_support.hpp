// Helpers for the corpus generator tests: a seed model from data/sample, generating a corpus
// file, and reading studies back through the records readers.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "corpus_writer.hpp"
#include "generate.hpp"
#include "seed_model.hpp"
#include "study_json.hpp"
#include "trials/records/reader.hpp"

namespace trials::corpus::test {

namespace fs = std::filesystem;

inline const SeedModel& sample_model() {
    static const SeedModel model = [] {
        SeedModel m;
        m.learn_path(fs::path(TRIALS_SAMPLE_DATA) / "sample");
        return m;
    }();
    return model;
}

inline fs::path temp_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("trials-corpus-test-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

inline void write_corpus(const SeedModel& model, const fs::path& out, std::uint64_t seed,
                         std::uint64_t count) {
    CorpusWriter writer(out, output_format(out));
    GenerateOptions o;
    o.seed = seed;
    for (std::uint64_t i = 0; i < count; ++i) {
        const records::Study s = generate_study(model, o, i);
        writer.add(s.nct_id, to_api_v2_json(s, writer.json_indent()));
    }
    writer.close();
}

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct ReadBack {
    std::vector<std::string> origins;
    std::vector<records::Study> studies;
    std::vector<std::string> errors;
};

inline ReadBack read_back(const fs::path& path) {
    ReadBack r;
    records::for_each_document(
        path, records::SourceOptions{},
        [&](records::RawDocument&& doc) {
            r.origins.push_back(doc.origin);
            records::ParseResult parsed = records::parse_document(doc);
            for (auto& e : parsed.errors) r.errors.push_back(e.to_string());
            for (auto& p : parsed.studies) r.studies.push_back(std::move(p.study));
            return true;
        },
        [&](records::InputError&& e) { r.errors.push_back(e.to_string()); });
    return r;
}

}  // namespace trials::corpus::test
