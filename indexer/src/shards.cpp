// Shard layouts, stub files and compaction (see shards.hpp).
#include "trials/indexer/shards.hpp"

#include <xapian.h>

#include <fcntl.h>
#include <stdio.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "trials/analysis/database.hpp"
#include "trials/analysis/facet_columns.hpp"
#include "trials/error.hpp"

namespace trials::indexer {
namespace {

std::string shard_name(unsigned i) {
    char buf[24];  // "shard-" and up to 10 digits
    std::snprintf(buf, sizeof buf, "shard-%03u", i);
    return buf;
}

// Number of "auto shard-NNN" lines in an existing stub; 0 when there is none.
unsigned read_stub(const std::filesystem::path& root) {
    std::ifstream in(root / "XAPIANDB");
    if (!in) return 0;
    unsigned n = 0;
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::string kind, path;
        if (words >> kind >> path && kind == "auto" && path == shard_name(n)) ++n;
    }
    return n;
}

bool is_single_database(const std::filesystem::path& root) {
    std::error_code ec;
    return std::filesystem::exists(root / "iamglass", ec) ||
           std::filesystem::exists(root / "iamchert", ec);
}

constexpr const char* kMergeMarker = "MERGE-PENDING";

// Absent, empty, or holding only what a merge build killed before its stub leaves (its marker
// and shard databases that no study was written to yet).
bool is_new_directory(const std::filesystem::path& root) {
    std::error_code ec;
    if (!std::filesystem::exists(root, ec)) return true;
    if (!std::filesystem::is_directory(root, ec)) return false;
    for (const auto& e : std::filesystem::directory_iterator(root, ec)) {
        const std::string name = e.path().filename().string();
        if (name != kMergeMarker && name != "XAPIANDB.tmp" && !name.starts_with("shard-")) {
            return false;
        }
    }
    return !ec;
}

}  // namespace

std::vector<std::filesystem::path> ShardLayout::shard_paths() const {
    if (shards <= 1) return {root};
    std::vector<std::filesystem::path> out;
    for (unsigned i = 0; i < shards; ++i) out.push_back(root / shard_name(i));
    return out;
}

ShardLayout resolve_layout(const std::filesystem::path& root, std::optional<unsigned> requested,
                           unsigned writers) {
    ShardLayout layout{root, 1};
    if (requested && *requested == 0) throw UsageError("--shards must be at least 1");
    if (const unsigned existing = read_stub(root); existing > 0) {
        if (requested && *requested != existing) {
            throw UsageError(root.string() + " holds " + std::to_string(existing) +
                             " shards; index into it without --shards, or use a new --db");
        }
        layout.shards = existing;
        std::error_code ec;
        layout.merge = std::filesystem::exists(root / kMergeMarker, ec);
        return layout;
    }
    if (is_single_database(root)) {
        if (requested && *requested != 1) {
            throw UsageError(root.string() +
                             " is a single database; index into it without --shards, or use a "
                             "new --db");
        }
        return layout;
    }
    if (requested) {
        layout.shards = *requested;
    } else if (writers > 1 && is_new_directory(root)) {
        layout.shards = writers;
        layout.merge = true;
    }
    return layout;
}

void write_stub(const ShardLayout& layout) {
    if (layout.shards <= 1) return;
    std::filesystem::create_directories(layout.root);
    if (layout.merge) {
        std::ofstream marker(layout.root / kMergeMarker);
        marker << "trialsearch: a new database being built by " << layout.shards
               << " writers; the run that completes it merges the shards into one database\n";
        if (!marker) {
            throw IndexError((layout.root / kMergeMarker).string() + ": cannot write");
        }
    }
    const auto tmp = layout.root / "XAPIANDB.tmp";
    {
        std::ofstream out(tmp);
        for (unsigned i = 0; i < layout.shards; ++i) out << "auto " << shard_name(i) << "\n";
        if (!out) throw IndexError(tmp.string() + ": cannot write the shard stub file");
    }
    std::filesystem::rename(tmp, layout.root / "XAPIANDB");
}

void compact_database(const std::filesystem::path& given) {
    // "db/" names the same directory as "db"; the temporary names must be its siblings.
    std::filesystem::path root = given.lexically_normal();
    if (!root.has_filename()) root = root.parent_path();
    const auto tmp = root.string() + ".compact-tmp";
    const auto old = root.string() + ".compact-old";
    std::error_code ec;
    std::filesystem::remove_all(tmp, ec);
    std::filesystem::remove_all(old, ec);
    try {
        Xapian::Database src = analysis::open_for_search(root);
        src.compact(tmp, Xapian::DBCOMPACT_MULTIPASS);
        // A compacted database is a new one (new UUID): its facet columns are written again.
        Xapian::WritableDatabase out(tmp, Xapian::DB_OPEN);
        analysis::store_facet_columns(out);
        out.commit();
        out.close();
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, root.string() + ": compacting");
    }
    // Swap in the compacted database in one step (Linux renameat2 RENAME_EXCHANGE), so that the
    // path always holds a complete database; the old one is removed only once the new one is in
    // place. Where the exchange is not supported, two renames.
    if (renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, root.c_str(), RENAME_EXCHANGE) == 0) {
        std::filesystem::remove_all(tmp, ec);
        return;
    }
    if (errno != EINVAL && errno != ENOSYS) {
        throw IndexError(root.string() + ": swapping in the compacted database: " +
                         std::strerror(errno));
    }
    std::filesystem::rename(root, old);
    std::filesystem::rename(tmp, root);
    std::filesystem::remove_all(old, ec);
}

}  // namespace trials::indexer
