// Concurrent use: three searcher threads (keyword queries with facets, every-trial counts, similar
// trials through search::SimilarFinder) run continuously while trials-index writes 600 studies
// with a commit every 25. Zero errors (Searcher reopens on DatabaseModifiedError), and every
// result reflects a committed state: the number of trials is always a commit point, and the
// status facet counts add up to it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "reliability_support.hpp"
#include "trials/search/similar.hpp"

namespace trials::reliability {
namespace {

constexpr std::size_t kStudies = 600;
constexpr std::size_t kCommitEvery = 25;

struct Observed {
    std::mutex m;
    std::set<std::uint64_t> totals;
    std::vector<std::string> errors;
    std::atomic<std::uint64_t> searches{0}, similar{0};
};

void search_loop(const fs::path& db, const std::atomic<bool>& writing, Observed& seen) {
    auto fail = [&](const std::string& what) {
        std::lock_guard lock(seen.m);
        seen.errors.push_back(what);
    };
    try {
        search::Searcher searcher(db);
        const search::SimilarFinder finder(searcher);
        do {
            searcher.reopen();  // follow the writer's commits
            search::SearchRequest all;
            all.facets = {"status", "phase"};
            const auto every = searcher.search(all);
            std::uint64_t by_status = 0;
            for (const auto& v : every.facets.at(0).second) by_status += v.count;
            if (every.total % kCommitEvery != 0 && every.total != kStudies) {
                fail("total " + std::to_string(every.total) + " is not a committed state");
            }
            if (by_status != every.total) {
                fail("status counts add up to " + std::to_string(by_status) + ", not " +
                     std::to_string(every.total));
            }
            search::SearchRequest words;
            words.query = "covid OR tocilizumab OR asthma status:recruiting,completed";
            words.facets = {"all"};
            words.exact_total = true;
            const auto some = searcher.search(words);
            if (some.total > every.total || some.hits.empty()) {
                fail("keyword search: " + std::to_string(some.total) + " of " +
                     std::to_string(every.total));
            }
            seen.searches += 2;
            if (!some.hits.empty()) {
                search::SimilarRequest like;
                like.nct_id = some.hits.front().nct_id;
                like.limit = 5;
                const auto similar = searcher.retrying([&] { return finder.find(like); });
                if (similar.hits.empty()) fail("no similar trials for " + like.nct_id);
                ++seen.similar;
            }
            std::lock_guard lock(seen.m);
            seen.totals.insert(every.total);
        } while (writing.load());
    } catch (const std::exception& e) {
        fail(e.what());
    }
}

TEST(Concurrent, SearchesWhileAnUpdateCommitsSeeOnlyCommittedStates) {
    TempDir dir;
    const fs::path input = dir / "input";
    const fs::path db = dir / "db";
    write_clones(input, kStudies, 50);
    // A first commit, so that the searchers have a database to open.
    const auto first = write_clones(dir / "first", kCommitEvery, kCommitEvery);
    ASSERT_EQ(run_program("trials-index", {"--db", db.string(), "-q", (dir / "first").string()},
                          dir.path())
                  .code,
              0);
    std::atomic<bool> writing{true};
    Observed seen;
    std::vector<std::thread> readers;
    for (int i = 0; i < 3; ++i) {
        readers.emplace_back([&] { search_loop(db, writing, seen); });
    }
    const Finished w = run_program("trials-index",
                                   {"--db", db.string(), "--commit-every",
                                    std::to_string(kCommitEvery), "--threads", "1", "-q",
                                    input.string()},
                                   dir.path());
    writing.store(false);
    for (auto& t : readers) t.join();
    EXPECT_EQ(w.code, 0) << w.err;
    EXPECT_TRUE(seen.errors.empty()) << seen.errors.size() << " errors, first: "
                                     << seen.errors.front();
    EXPECT_GE(seen.searches.load(), 60u);
    EXPECT_GE(seen.similar.load(), 30u);
    EXPECT_GE(seen.totals.size(), 4u) << "the searchers should see several commits";
    EXPECT_EQ(db_ids(db).size(), kStudies);
    std::cout << "[ figures  ] concurrent searches: " << seen.searches.load()
              << ", similar-trial searches: " << seen.similar.load()
              << ", committed states seen: " << seen.totals.size()
              << ", errors: " << seen.errors.size() << "\n";
}

}  // namespace
}  // namespace trials::reliability
