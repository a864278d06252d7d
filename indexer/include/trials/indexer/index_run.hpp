// One indexing run: inputs (files, directories, archives) -> parsed studies -> documents ->
// the database, on a oneTBB pipeline (read | parse+build in parallel | write in order).
// Commits explicitly every `commit_every` documents and at the end.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "trials/analysis/registry.hpp"
#include "trials/records/reader.hpp"

namespace trials::indexer {

struct IndexOptions {
    std::filesystem::path db_path;
    std::vector<std::filesystem::path> inputs;
    unsigned threads = 0;             // 0: all cores
    // Documents between commits. Small batches are faster, not slower: Xapian 1.4 buffers a
    // batch's postings in a std::map of terms, each with a std::map keyed by document id, and
    // at 20,000 documents walking those trees cost more than the extra commits (bench/BATCH.md).
    std::size_t commit_every = 1000;
    bool strict = false;              // the first rejected record is fatal
    std::size_t max_errors = 0;       // stop after this many rejected records (0: no limit)
    std::optional<std::filesystem::path> mesh_path;      // MeSH descriptors (XML, .gz, .bin)
    std::optional<std::filesystem::path> synonyms_path;  // curated synonym list
    std::optional<std::filesystem::path> stopwords_path; // stop word list
    bool delete_missing = false;      // remove studies absent from this run's inputs
    std::optional<std::pair<unsigned, unsigned>> shard_of;  // (i, K): only studies of shard i
    // Shard databases written in parallel under db_path and kept as a shard set. nullopt: what
    // db_path already holds; for a new database, one writer per thread (at most 8) whose shards
    // are merged into one database when the run completes (see shards.hpp); 1: one writer.
    std::optional<unsigned> shards;
    // When set and true, the run stops after committing what is complete (SIGINT/SIGTERM).
    const std::atomic<bool>* stop = nullptr;
    // Called for every rejected record or unreadable input (from the writer thread).
    std::function<void(const records::InputError&)> on_error;
    // Called now and then with the running counts (from the writer thread).
    std::function<void(const struct IndexStats&)> on_progress;
};

struct IndexStats {
    std::uint64_t read = 0;       // studies parsed successfully
    std::uint64_t added = 0;      // new in the database
    std::uint64_t updated = 0;    // replaced because they changed
    std::uint64_t unchanged = 0;  // same fingerprint: not rewritten
    std::uint64_t rejected = 0;   // bad records and unreadable inputs
    std::uint64_t deleted = 0;    // removed by delete_missing
    std::uint64_t skipped = 0;    // belong to another shard
    std::uint64_t duplicates = 0; // an NCT id seen again in the same run (last one wins)
    std::uint64_t bytes = 0;      // input bytes read
    std::uint64_t doc_count = 0;  // documents in the database after the run
    unsigned merged_shards = 0;   // a new database's writers, merged into one (0: none)
    unsigned merging = 0;         // set while those shards are being merged (for on_progress)
    double seconds = 0;
    bool stopped_early = false;   // strict / max_errors / interrupted
    std::string stop_reason;
};

// Runs the indexing. Throws trials::Error for fatal problems (database locked or unwritable,
// unreadable MeSH file, strict mode on a bad record); everything committed before stays.
IndexStats run_index(const IndexOptions& options);


}  // namespace trials::indexer
