// Helpers for integration tests: temporary directories, tiny API v2 study JSON, and indexing.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trials/indexer/index_run.hpp"
#include "trials/search/searcher.hpp"

namespace trials::testing {

// A directory removed at the end of the test; each test gets its own (ctest -j safe).
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                ("trials-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& name) const {
        return path_ / name;
    }

private:
    std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, const std::string& content) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

// A minimal API v2 study; extend the JSON for what a test needs.
inline nlohmann::json study(const std::string& nct, const std::string& title,
                            const std::string& status = "RECRUITING",
                            std::vector<std::string> phases = {"PHASE2"}) {
    nlohmann::json s;
    s["protocolSection"]["identificationModule"] = {{"nctId", nct}, {"briefTitle", title}};
    s["protocolSection"]["statusModule"] = {{"overallStatus", status}};
    s["protocolSection"]["designModule"] = {{"studyType", "INTERVENTIONAL"}, {"phases", phases}};
    s["hasResults"] = false;
    return s;
}

inline nlohmann::json& module(nlohmann::json& s, const std::string& name) {
    return s["protocolSection"][name];
}

inline indexer::IndexStats index_paths(const std::filesystem::path& db,
                                       std::vector<std::filesystem::path> inputs,
                                       std::vector<std::string>* errors = nullptr) {
    indexer::IndexOptions o;
    o.db_path = db;
    o.inputs = std::move(inputs);
    o.threads = 2;
    o.synonyms_path = std::filesystem::path(TRIALS_SAMPLE_DATA) / "synonyms.txt";
    if (!std::filesystem::exists(*o.synonyms_path)) o.synonyms_path.reset();
    o.stopwords_path = std::filesystem::path(TRIALS_SAMPLE_DATA) / "stopwords.txt";
    if (!std::filesystem::exists(*o.stopwords_path)) o.stopwords_path.reset();
    o.on_error = [errors](const records::InputError& e) {
        if (errors != nullptr) errors->push_back(e.to_string());
    };
    return indexer::run_index(o);
}

// NCT ids of a search, in rank order.
inline std::vector<std::string> ids(search::Searcher& s, const std::string& query,
                                    std::size_t limit = 100, const std::string& sort = "relevance") {
    search::SearchRequest r;
    r.query = query;
    r.limit = limit;
    r.sort = sort;
    r.snippets = false;
    std::vector<std::string> out;
    for (const auto& h : s.search(r).hits) out.push_back(h.nct_id);
    return out;
}

inline std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

inline std::filesystem::path shared_data() { return TRIALS_SHARED_DATA; }

}  // namespace trials::testing
