// Crash safety: trials-index killed with SIGKILL at many points of a large run (1000 clones of the
// sample, a commit every 40 studies). After every kill the database opens, holds exactly a
// committed state (a multiple of --commit-every, and exactly the first studies of the input
// order, since the writer stage is in order), and re-running the same command goes on from there;
// the last run completes the index. SIGINT and SIGTERM stop cleanly after committing what is
// complete; a second writer gets a one-line "locked" error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "reliability_support.hpp"

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
    std::vector<std::string> command() const {
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
        search::Searcher s(db());
        search::SearchRequest all;
        all.facets = {"status"};
        EXPECT_EQ(s.search(all).total, n);
        return n;
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
