// trials-index: reads registry dumps (API v2 JSON, NDJSON, legacy XML, directories, zip and
// tar.gz archives) and builds or updates a trialsearch database.
//
// Exit codes: 0 every record indexed; 1 finished, but some records were rejected;
// 2 usage error or fatal error (database missing/locked/corrupt, unreadable MeSH file);
// 3 stopped early (--strict, --max-errors, SIGINT/SIGTERM) after committing what was complete.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "trials/error.hpp"
#include "trials/indexer/index_run.hpp"
#include "trials/indexer/shards.hpp"

namespace {

std::atomic<bool> g_stop{false};  // set by SIGINT/SIGTERM: the one global a signal needs

extern "C" void on_signal(int) { g_stop.store(true); }

std::optional<std::filesystem::path> default_resource(const char* name) {
    std::filesystem::path dir;
    if (const char* env = std::getenv("TRIALS_DATA_DIR")) {
        dir = env;
    } else {
        dir = TRIALS_DATA_DIR;
    }
    auto p = dir / name;
    std::error_code ec;
    if (std::filesystem::exists(p, ec)) return p;
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"trials-index: index ClinicalTrials.gov registry dumps into a trialsearch database"};
    trials::indexer::IndexOptions opt;
    std::string db;
    std::vector<std::string> inputs;
    std::string mesh, synonyms, stopwords, shard_of;
    bool no_synonyms = false, quiet = false;
    app.add_option("--db", db, "Database directory (created when absent)")->required();
    app.add_option("inputs", inputs,
                   "Files, directories or archives: API v2 JSON (study, array, page), NDJSON, "
                   "legacy XML, .zip, .tar.gz/.tgz");
    unsigned shards = 0;
    bool compact = false;
    app.add_option("--shards", shards,
                   "Write K shard databases in parallel under --db and keep them as a shard set "
                   "(searched as one); a new database is otherwise written by one writer per "
                   "thread and merged into one database at the end; --shards 1: one writer")
        ->check(CLI::Range(1u, 256u));
    app.add_flag("--compact", compact,
                 "Merge the shards (or compact the database) into one database, after indexing "
                 "any inputs");
    app.add_option("--mesh", mesh,
                   "MeSH descriptors (descYYYY.xml, .xml.gz, or dYYYY.bin): descriptor ids, "
                   "ancestors and entry-term synonyms for the records' MeSH terms");
    app.add_option("--synonyms", synonyms,
                   "Synonym list (default: the bundled data/synonyms.txt)");
    app.add_flag("--no-synonyms", no_synonyms, "Do not load the bundled synonym list");
    app.add_option("--stopwords", stopwords, "Stop word list (default: data/stopwords.txt)");
    app.add_option("--threads", opt.threads, "Threads for parsing and analysis (default: all cores)");
    app.add_option("--commit-every", opt.commit_every,
                   "Documents between commits (bounds memory; default 1000: larger batches are slower)")
        ->check(CLI::PositiveNumber);
    app.add_flag("--strict", opt.strict, "Stop at the first rejected record");
    app.add_option("--max-errors", opt.max_errors, "Stop after N rejected records");
    app.add_flag("--delete-missing", opt.delete_missing,
                 "Remove studies absent from these inputs (for a full dump)");
    app.add_option("--shard-of", shard_of, "Index only shard i of K (i/K, 0-based) of the inputs");
    app.add_flag("-q,--quiet", quiet, "No progress line, no summary");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }

    if (inputs.empty() && !compact) {
        std::cerr << "trials-index: give inputs to index (or --compact)\n" << app.help();
        return 2;
    }
    opt.db_path = db;
    if (shards != 0) opt.shards = shards;
    for (const auto& i : inputs) opt.inputs.emplace_back(i);
    if (!mesh.empty()) opt.mesh_path = mesh;
    if (!synonyms.empty()) {
        opt.synonyms_path = synonyms;
    } else if (!no_synonyms) {
        opt.synonyms_path = default_resource("synonyms.txt");
    }
    opt.stopwords_path = stopwords.empty() ? default_resource("stopwords.txt")
                                           : std::optional(std::filesystem::path(stopwords));
    if (!shard_of.empty()) {
        unsigned i = 0, k = 0;
        char slash = 0;
        std::istringstream in(shard_of);
        if (!(in >> i >> slash >> k) || slash != '/' || k == 0 || i >= k || !in.eof()) {
            std::cerr << "trials-index: --shard-of wants i/K with 0 <= i < K, e.g. 0/4\n";
            return 2;
        }
        opt.shard_of = std::pair{i, k};
    }

    const bool tty = isatty(STDERR_FILENO) != 0 && !quiet;
    opt.on_error = [](const trials::records::InputError& e) {
        std::cerr << "trials-index: " << e.to_string() << "\n";
    };
    if (tty) {
        opt.on_progress = [](const trials::indexer::IndexStats& s) {
            std::cerr << fmt::format("\r{} studies read, {} rejected, {:.1f} MB", s.read,
                                     s.rejected, static_cast<double>(s.bytes) / 1e6)
                      << (s.merging > 0
                              ? fmt::format("; merging {} shards into one database", s.merging)
                              : std::string())
                      << std::flush;
        };
    }
    opt.stop = &g_stop;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    try {
        if (inputs.empty()) {
            trials::indexer::compact_database(opt.db_path);
            if (!quiet) std::cout << "compacted " << db << " into one database\n";
            return 0;
        }
        const auto s = trials::indexer::run_index(opt);
        if (tty) std::cerr << "\r\033[K";
        if (!quiet) {
            std::cout << fmt::format(
                "read {} studies ({:.1f} MB) in {:.2f} s: added {}, updated {}, unchanged {}, "
                "rejected {}, deleted {}{}{}; the database holds {} studies{}\n",
                s.read, static_cast<double>(s.bytes) / 1e6, s.seconds, s.added, s.updated,
                s.unchanged, s.rejected, s.deleted,
                s.skipped ? fmt::format(", other shards {}", s.skipped) : "",
                s.duplicates ? fmt::format(", duplicate ids {}", s.duplicates) : "", s.doc_count,
                s.merged_shards > 0
                    ? fmt::format(" (written by {} writers, merged into one database)",
                                  s.merged_shards)
                    : "");
        }
        if (compact && !s.stopped_early && s.merged_shards == 0) {
            trials::indexer::compact_database(opt.db_path);
            if (!quiet) std::cout << "compacted " << db << " into one database\n";
        }
        if (s.stopped_early) {
            std::cerr << "trials-index: stopped early (" << s.stop_reason
                      << "); everything before was committed\n";
            return 3;
        }
        return s.rejected > 0 ? 1 : 0;
    } catch (const trials::Error& e) {
        std::cerr << "trials-index: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "trials-index: unexpected error: " << e.what() << "\n";
        return 2;
    }
}
