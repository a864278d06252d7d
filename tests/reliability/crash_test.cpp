// Crash safety: trials-index killed with SIGKILL at many points of a large run (1000 clones of the
// sample, a commit every 40 studies). With one writer (--shards 1), after every kill the
// database opens, holds exactly a committed state (a multiple of --commit-every, and exactly the
// first studies of the input order, since the writer stage is in order), and re-running the same
// command goes on from there; the last run completes the index. A new database built by the
// default two writers (merged at the end) keeps the same promise shard by shard, and the run that
// completes it leaves one database. SIGINT and SIGTERM stop cleanly after committing what is
// complete; a second writer gets a one-line "locked" error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "reliability_support.hpp"
#include "trials/indexer/document_builder.hpp"

namespace trials::reliability {
namespace {

using ::testing::HasSubstr;

constexpr std::size_t kStudies = 1000;
constexpr std::size_t kCommitEvery = 40;

class Crash : public ::testing::Test {
protected:
    void SetUp() override { ids_ = write_clones(input(), kStudies, 100); }
    fs::path input() const { return dir_.path() / "input"; }
    fs::path db() const { return dir_.path() / "db"; }
    // One writer: every commit is a prefix of the input.
    std::vector<std::string> command() const {
        return {"--db", db().string(), "--commit-every", std::to_string(kCommitEvery),
                "--threads", "2", "--shards", "1", "-q", input().string()};
    }
    // The default for a new database on 2 threads: 2 writers, merged when the run completes.
    std::vector<std::string> merge_command() const {
        return {"--db", db().string(), "--commit-every", std::to_string(kCommitEvery),
                "--threads", "2", "-q", input().string()};
    }
    // The database opens (through the search library as well) and holds exactly the first n
    // studies of the input; returns n.
    std::size_t committed_prefix(bool any_count = false) {
        if (!fs::exists(db() / "iamglass")) return 0;  // killed before the first commit
        std::vector<std::string> got = db_ids(db());
        const std::size_t n = got.size();
        if (!any_count) {
            EXPECT_TRUE(n % kCommitEvery == 0 || n == kStudies) << n << " is not a commit point";
        }
        std::vector<std::string> want(ids_.begin(), ids_.begin() + static_cast<long>(n));
        EXPECT_EQ(got, want) << "not the first " << n << " studies of the input";
        EXPECT_EQ(search_total(), n);
        return n;
    }
    // A merge build not merged yet: every shard holds the first studies of its part of the input
    // (a commit point of its own), and the stub opens as one database with their sum; returns the
    // sum. 0 before the shards' first commits.
    std::size_t committed_shards(bool any_count = false) {
        if (!fs::exists(db() / "XAPIANDB")) return 0;
        EXPECT_TRUE(fs::exists(db() / "MERGE-PENDING"));
        std::size_t total = 0;
        for (unsigned k = 0; k < 2; ++k) {
            const fs::path shard = db() / ("shard-00" + std::to_string(k));
            if (!fs::exists(shard / "iamglass")) continue;
            const std::vector<std::string> got = db_ids(shard);
            std::vector<std::string> part;
            for (const auto& id : ids_) {
                if (indexer::shard_of(id, 2) == k) part.push_back(id);
            }
            const std::size_t n = got.size();
            if (!any_count) {
                EXPECT_TRUE(n % kCommitEvery == 0 || n == part.size())
                    << shard << ": " << n << " is not a commit point";
            }
            part.resize(std::min(n, part.size()));
            EXPECT_EQ(got, part) << shard << ": not the first " << n << " studies of its part";
            total += n;
        }
        if (total > 0) {
            EXPECT_EQ(search_total(), total);
        }
        return total;
    }
    // While a run goes on: how many studies its shards have committed (no checks).
    std::size_t shard_progress() const {
        std::size_t total = 0;
        for (const char* shard : {"shard-000", "shard-001"}) {
            try {
                if (fs::exists(db() / shard / "iamglass")) total += db_ids(db() / shard).size();
            } catch (const Xapian::Error&) {
                // a commit in progress: counted on the next poll
            }
        }
        return total;
    }
    // Every study the database holds, counted exactly by the search library.
    std::size_t search_total() const {
        search::Searcher s(db());
        search::SearchRequest all;
        all.facets = {"status"};
        return s.search(all).total;
    }
    TempDir dir_;
    std::vector<std::string> ids_;
};

TEST_F(Crash, SigkillAtManyPointsLeavesTheLastCommitAndARerunCompletes) {
    // Kill points: the first run right after it starts (before any commit), then each run once
    // it has committed something new plus a random 0-100 ms (so kills land while parsing,
    // writing, committing), whatever the machine's speed.
    std::mt19937 rng(20261122);
    std::uniform_int_distribution<int> extra_ms(0, 100);
    std::set<std::size_t> states;
    int kills = 0;
    std::size_t before = 0;
    for (int i = 0; i < 12; ++i) {
        Child run("trials-index", command(), dir_.path());
        bool finished = false;
        if (i == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        } else {
            while (!(finished = run.exited()) &&
                   (!fs::exists(db() / "iamglass") || db_ids(db()).size() <= before)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(extra_ms(rng)));
        }
        if (finished || run.exited()) break;  // the run got to the end: nothing to interrupt
        run.signal(SIGKILL);
        const Finished f = run.wait();
        ASSERT_EQ(f.signal, SIGKILL) << f.err;
        ++kills;
        before = committed_prefix();
        states.insert(before);
    }
    EXPECT_GE(kills, 10);
    EXPECT_GE(states.size(), 8u) << "the kills should land at different commit points";
    const Finished last = run_program("trials-index", command(), dir_.path());
    EXPECT_EQ(last.code, 0) << last.err;
    EXPECT_EQ(committed_prefix(), kStudies);
    std::cout << "[ figures  ] SIGKILL points: " << kills << ", distinct committed states: "
              << states.size() << ", records lost: " << kStudies - db_ids(db()).size() << "\n";
}

// SIGTERM and SIGINT: exit 3 after committing every study written so far (not only up to the
// last --commit-every point); the summary's count is what the database holds. A second writer
// meanwhile gets a one-line error naming the lock.
Finished stop_with(const std::vector<std::string>& command, const fs::path& dir,
                   const fs::path& db, int sig) {
    std::vector<std::string> cmd = command;
    cmd.erase(std::find(cmd.begin(), cmd.end(), "-q"));
    Child run("trials-index", cmd, dir);
    while (!fs::exists(db / "iamglass") || db_ids(db).size() < 2 * kCommitEvery) {
        if (run.exited()) {
            ADD_FAILURE() << "finished before it could be interrupted";
            return run.wait();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const Finished second = run_program("trials-index", command, dir);
    EXPECT_EQ(second.code, 2);
    EXPECT_EQ(lines_of(second.err).size(), 1u) << second.err;
    EXPECT_THAT(second.err, HasSubstr("locked by another writer"));
    run.signal(sig);
    const Finished f = run.wait();
    EXPECT_EQ(f.code, 3) << f.err;
    EXPECT_THAT(f.err, HasSubstr("stopped early (interrupted); everything before was committed"));
    return f;
}

TEST_F(Crash, SigtermCommitsWhatIsCompleteAndExits3) {
    const Finished f = stop_with(command(), dir_.path(), db(), SIGTERM);
    const std::size_t n = committed_prefix(true);
    EXPECT_THAT(f.out, HasSubstr("the database holds " + std::to_string(n) + " studies"));
    EXPECT_GE(n, 2 * kCommitEvery);
    EXPECT_LT(n, kStudies);
    const Finished rerun = run_program("trials-index", command(), dir_.path());
    EXPECT_EQ(rerun.code, 0) << rerun.err;
    EXPECT_EQ(committed_prefix(), kStudies);
}

TEST_F(Crash, SigintCommitsWhatIsCompleteAndExits3) {
    const Finished f = stop_with(command(), dir_.path(), db(), SIGINT);
    const std::size_t n = committed_prefix(true);
    EXPECT_THAT(f.out, HasSubstr("the database holds " + std::to_string(n) + " studies"));
    EXPECT_GE(n, 2 * kCommitEvery);
    EXPECT_LT(n, kStudies);
}

}  // namespace
}  // namespace trials::reliability

namespace trials::reliability {
namespace {

// The default build of a new database (2 writers, merged at the end), killed at many points:
// each shard keeps its last commit, the stub searches them as one, a rerun resumes (the
// MERGE-PENDING marker survives the kills), a SIGTERM stops with the shards committed, and the
// run that completes merges everything into one database.
TEST_F(Crash, MergeBuildSurvivesKillsAndTheCompletingRunMerges) {
    std::mt19937 rng(20261201);
    std::uniform_int_distribution<int> extra_ms(0, 100);
    std::set<std::size_t> states;
    int kills = 0;
    std::size_t before = 0;
    for (int i = 0; i < 8; ++i) {
        Child run("trials-index", merge_command(), dir_.path());
        bool finished = false;
        while (!(finished = run.exited()) && shard_progress() <= before) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(extra_ms(rng)));
        if (finished || run.exited()) break;
        run.signal(SIGKILL);
        const Finished f = run.wait();
        ASSERT_EQ(f.signal, SIGKILL) << f.err;
        ++kills;
        if (fs::exists(db() / "iamglass")) break;  // killed after the merge's swap: complete
        before = committed_shards();
        states.insert(before);
    }
    EXPECT_GE(kills, 5);
    EXPECT_GE(states.size(), 4u) << "the kills should land at different commit points";
    // SIGTERM: exit 3, the shards committed and still to be merged.
    if (fs::exists(db() / "XAPIANDB")) {
        std::vector<std::string> cmd = merge_command();
        cmd.erase(std::find(cmd.begin(), cmd.end(), "-q"));
        Child run("trials-index", cmd, dir_.path());
        while (!run.exited() && shard_progress() <= before) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        run.signal(SIGTERM);
        const Finished f = run.wait();
        if (f.code == 3) {
            const std::size_t n = committed_shards(true);
            EXPECT_THAT(f.out, HasSubstr("the database holds " + std::to_string(n) + " studies"));
            EXPECT_TRUE(fs::exists(db() / "MERGE-PENDING"));
        } else {
            EXPECT_EQ(f.code, 0) << f.err;  // it completed before the signal landed
        }
    }
    const Finished last = run_program("trials-index", merge_command(), dir_.path());
    EXPECT_EQ(last.code, 0) << last.err;
    EXPECT_TRUE(fs::exists(db() / "iamglass"));
    EXPECT_FALSE(fs::exists(db() / "XAPIANDB"));
    EXPECT_FALSE(fs::exists(db() / "MERGE-PENDING"));
    std::vector<std::string> got = db_ids(db());
    EXPECT_EQ(got, ids_);
    EXPECT_EQ(search_total(), kStudies);
    std::cout << "[ figures  ] merge build SIGKILL points: " << kills
              << ", distinct committed states: " << states.size() << "\n";
}

}  // namespace
}  // namespace trials::reliability
