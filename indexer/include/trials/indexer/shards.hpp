// Shard layout of a database directory: one Xapian database, or K shard databases
// (DIR/shard-000 ...) tied together by a stub file DIR/XAPIANDB ("auto shard-000" lines) so that
// Xapian, and so trials-search, opens the directory as one database.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace trials::indexer {

struct ShardLayout {
    std::filesystem::path root;
    unsigned shards = 1;
    // The databases to write: {root} for one shard, root/shard-NNN otherwise.
    [[nodiscard]] std::vector<std::filesystem::path> shard_paths() const;
};

// The layout to write: what the directory already holds, or `requested` shards for a new one
// (default 1). Throws trials::UsageError when `requested` contradicts an existing layout.
[[nodiscard]] ShardLayout resolve_layout(const std::filesystem::path& root,
                                         std::optional<unsigned> requested);

// Writes root/XAPIANDB for a sharded layout (atomically: temp file + rename).
void write_stub(const ShardLayout& layout);

// Merges the shards (or compacts the single database) into one database at the same path,
// with Xapian's compaction. Throws trials::IndexError.
void compact_database(const std::filesystem::path& root);

}  // namespace trials::indexer
