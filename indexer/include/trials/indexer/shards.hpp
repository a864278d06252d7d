// Shard layout of a database directory: one Xapian database, or K shard databases
// (DIR/shard-000 ...) tied together by a stub file DIR/XAPIANDB ("auto shard-000" lines) so that
// Xapian, and so trials-search, opens the directory as one database.
//
// A new database is built by several writers by default: Xapian 1.4 has one writer per database
// and that writer, not parsing or analysis, bounds indexing, so K writers fill K shards in
// parallel and the run ends by merging them into one database (Lucene's segments and merge). The
// file DIR/MERGE-PENDING marks such a build until the merge: a run stopped or killed before it
// leaves the shards searchable, and the next run over the directory resumes and merges.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace trials::indexer {

struct ShardLayout {
    std::filesystem::path root;
    unsigned shards = 1;
    // A new database's build: the shards are merged into one database when a run completes.
    bool merge = false;
    // The databases to write: {root} for one shard, root/shard-NNN otherwise.
    [[nodiscard]] std::vector<std::filesystem::path> shard_paths() const;
};

// The layout to write: what the directory already holds; `requested` shards for a new one; or,
// with nothing requested, `writers` shards to merge (1: one database) when the directory is
// absent or empty. Throws trials::UsageError when `requested` contradicts an existing layout.
[[nodiscard]] ShardLayout resolve_layout(const std::filesystem::path& root,
                                         std::optional<unsigned> requested, unsigned writers = 1);

// Writes root/XAPIANDB for a sharded layout (atomically: temp file + rename), and
// root/MERGE-PENDING when it is to be merged.
void write_stub(const ShardLayout& layout);

// Merges the shards (or compacts the single database) into one database at the same path,
// with Xapian's compaction, and swaps it in atomically (readers see the old or the new one).
// Throws trials::IndexError.
void compact_database(const std::filesystem::path& root);

}  // namespace trials::indexer
