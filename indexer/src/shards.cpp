// Shard layouts, stub files and compaction (see shards.hpp).
#include "trials/indexer/shards.hpp"

#include <xapian.h>

#include <fstream>
#include <sstream>

#include "trials/analysis/database.hpp"
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

}  // namespace

std::vector<std::filesystem::path> ShardLayout::shard_paths() const {
    if (shards <= 1) return {root};
    std::vector<std::filesystem::path> out;
    for (unsigned i = 0; i < shards; ++i) out.push_back(root / shard_name(i));
    return out;
}

ShardLayout resolve_layout(const std::filesystem::path& root, std::optional<unsigned> requested) {
    ShardLayout layout{root, 1};
    if (requested && *requested == 0) throw UsageError("--shards must be at least 1");
    if (const unsigned existing = read_stub(root); existing > 0) {
        if (requested && *requested != existing) {
            throw UsageError(root.string() + " holds " + std::to_string(existing) +
                             " shards; index into it without --shards, or use a new --db");
        }
        layout.shards = existing;
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
    layout.shards = requested.value_or(1);
    return layout;
}

void write_stub(const ShardLayout& layout) {
    if (layout.shards <= 1) return;
    std::filesystem::create_directories(layout.root);
    const auto tmp = layout.root / "XAPIANDB.tmp";
    {
        std::ofstream out(tmp);
        for (unsigned i = 0; i < layout.shards; ++i) out << "auto " << shard_name(i) << "\n";
        if (!out) throw IndexError(tmp.string() + ": cannot write the shard stub file");
    }
    std::filesystem::rename(tmp, layout.root / "XAPIANDB");
}

void compact_database(const std::filesystem::path& root) {
    const auto tmp = root.string() + ".compact-tmp";
    const auto old = root.string() + ".compact-old";
    std::error_code ec;
    std::filesystem::remove_all(tmp, ec);
    std::filesystem::remove_all(old, ec);
    try {
        Xapian::Database src = analysis::open_for_search(root);
        src.compact(tmp, Xapian::DBCOMPACT_MULTIPASS);
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, root.string() + ": compacting");
    }
    // Swap in the compacted database; the old one is removed only once the new one is in place.
    std::filesystem::rename(root, old);
    std::filesystem::rename(tmp, root);
    std::filesystem::remove_all(old, ec);
}

}  // namespace trials::indexer
