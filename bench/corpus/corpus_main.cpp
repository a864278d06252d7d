// trials-corpus: writes N synthetic studies, deterministic by seed, learned from a seed corpus
// of real records (data/sample, plus ../shared/data/real when present, or --from PATH...).
// Studies are generated in parallel and written in order, one at a time: memory is the seed
// model plus a few studies in flight, whatever N is.
#include <CLI/CLI.hpp>
#include <oneapi/tbb/parallel_pipeline.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "corpus_writer.hpp"
#include "generate.hpp"
#include "seed_model.hpp"
#include "study_json.hpp"

namespace fs = std::filesystem;
using namespace trials::corpus;

namespace {

std::vector<fs::path> default_seed_paths() {
    std::vector<fs::path> paths{TRIALS_SAMPLE_DATA};
    const fs::path shared = TRIALS_SHARED_DATA;
    for (const char* rel : {"ctgov-xml-covid-kaggle/clinical_studies_xml.tar.gz",
                            "ctgov-xml-reesewang/clinical_studies_xml.tar.gz",
                            "aact-fixtures/json_v2", "ctgov-api-v2/studies/NCT02513394.json",
                            "ctgov-api-v2/studies/NCT04267848.json"}) {
        if (fs::exists(shared / rel)) paths.push_back(shared / rel);
    }
    return paths;
}

struct Item {
    std::uint64_t index = 0;
    std::string nct_id;
    std::string json;
    std::string peer_row;
};

int run(int argc, char** argv) {
    CLI::App app{"trials-corpus: synthetic ClinicalTrials.gov studies learned from real records"};
    std::uint64_t count = 0;
    GenerateOptions gen;
    fs::path out;
    fs::path peer_text;
    std::vector<fs::path> from;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    bool quiet = false;
    app.add_option("--count", count, "number of studies")->required()->check(CLI::Range(std::uint64_t{1}, kMaxStudies));
    app.add_option("--seed", gen.seed, "random seed (same seed and seed corpus: same bytes)");
    app.add_option("--out", out, "FILE.zip (like ctg-studies.json.zip) or FILE.ndjson")->required();
    app.add_option("--from", from,
                   "seed corpus: files, folders, archives (default: data/sample and the real "
                   "records in ../shared/data/real when present)");
    app.add_option("--peer-text", peer_text, "also write the peers' text fields (TSV) here");
    app.add_option("--threads", threads, "generating threads")->check(CLI::Range(1u, 64u));
    app.add_option("--novel-word-rate", gen.novel_word_rate, "share of new code words in text");
    app.add_flag("-q,--quiet", quiet, "no summary");
    CLI11_PARSE(app, argc, argv);

    const OutputFormat format = output_format(out);
    if (from.empty()) from = default_seed_paths();
    const auto t0 = std::chrono::steady_clock::now();
    SeedModel model;
    for (const fs::path& p : from) model.learn_path(p);
    if (model.empty()) {
        std::cerr << "trials-corpus: the seed corpus holds no study\n";
        return 2;
    }
    const auto t1 = std::chrono::steady_clock::now();

    CorpusWriter writer(out, format);
    std::ofstream peers;
    if (!peer_text.empty()) {
        peers.open(peer_text, std::ios::binary | std::ios::trunc);
        if (!peers) throw std::runtime_error(peer_text.string() + ": cannot create");
        peers << kPeerTextHeader << '\n';
    }
    std::uint64_t next = 0;
    const int indent = writer.json_indent();
    oneapi::tbb::parallel_pipeline(
        threads * 8,
        oneapi::tbb::make_filter<void, Item*>(
            oneapi::tbb::filter_mode::serial_in_order,
            [&](oneapi::tbb::flow_control& fc) -> Item* {
                if (next == count) {
                    fc.stop();
                    return nullptr;
                }
                return new Item{next++, {}, {}, {}};
            }) &
            oneapi::tbb::make_filter<Item*, Item*>(
                oneapi::tbb::filter_mode::parallel,
                [&](Item* item) {
                    const trials::records::Study s = generate_study(model, gen, item->index);
                    item->nct_id = s.nct_id;
                    item->json = to_api_v2_json(s, indent);
                    if (peers.is_open()) item->peer_row = peer_text_row(s);
                    return item;
                }) &
            oneapi::tbb::make_filter<Item*, void>(
                oneapi::tbb::filter_mode::serial_in_order, [&](Item* item) {
                    std::unique_ptr<Item> owned(item);
                    writer.add(item->nct_id, item->json);
                    if (peers.is_open()) peers << item->peer_row << '\n';
                }));
    writer.close();
    if (peers.is_open()) {
        peers.close();
        if (!peers) throw std::runtime_error(peer_text.string() + ": write failed");
    }
    const auto t2 = std::chrono::steady_clock::now();
    if (!quiet) {
        const SeedSummary& seed = model.summary();
        const auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
        std::fprintf(stderr,
                     "trials-corpus: seed corpus %zu studies (%zu rejected, fingerprint %016llx, "
                     "vocabulary %zu) learned in %.1f s; wrote %llu studies, %.1f MB of JSON "
                     "(%.1f KB per study) to %s in %.1f s\n",
                     seed.studies, seed.rejected, static_cast<unsigned long long>(seed.fingerprint),
                     seed.vocabulary, secs(t0, t1), static_cast<unsigned long long>(count),
                     static_cast<double>(writer.json_bytes()) / 1e6,
                     static_cast<double>(writer.json_bytes()) / 1e3 / static_cast<double>(count),
                     out.c_str(), secs(t1, t2));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "trials-corpus: " << e.what() << '\n';
        return 2;
    }
}
