// Shards and incremental updates: K shards searched through their stub give the same results as
// one database; updates add, replace, leave unchanged and delete exactly what they should.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_support.hpp"
#include "trials/analysis/database.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"
#include "trials/indexer/shards.hpp"

namespace trials::testing {
namespace {

using ::testing::ElementsAre;

search::SearchResponse run(search::Searcher& s, const std::string& q, const std::string& sort) {
    search::SearchRequest r;
    r.query = q;
    r.limit = 50;
    r.sort = sort;
    r.facets = {"status", "phase", "country"};
    return s.search(r);
}

TEST(Shards, ShardedSearchEqualsOneDatabase) {
    TempDir dir;
    indexer::IndexOptions o;
    o.inputs = {TRIALS_SAMPLE_DATA "/sample"};
    o.threads = 2;
    o.db_path = dir / "one";
    const auto one_stats = indexer::run_index(o);
    o.db_path = dir / "three";
    o.shards = 3;
    const auto three_stats = indexer::run_index(o);
    EXPECT_EQ(one_stats.doc_count, three_stats.doc_count);
    EXPECT_GT(one_stats.doc_count, 20u);
    EXPECT_TRUE(std::filesystem::exists(dir / "three/XAPIANDB"));
    EXPECT_TRUE(std::filesystem::exists(dir / "three/shard-002"));

    search::Searcher one(dir / "one");
    search::Searcher three(dir / "three");
    for (const auto& [q, sort] : std::vector<std::pair<std::string, std::string>>{
             {"", "start"}, {"covid", "relevance"}, {"status:recruiting", "enrollment:asc"},
             {"mesenchymal OR stromal", "relevance"}, {"phase:2", "updated"}}) {
        const auto a = run(one, q, sort);
        const auto b = run(three, q, sort);
        EXPECT_EQ(a.total, b.total) << q;
        ASSERT_EQ(a.hits.size(), b.hits.size()) << q;
        for (std::size_t i = 0; i < a.hits.size(); ++i) {
            EXPECT_EQ(a.hits[i].nct_id, b.hits[i].nct_id) << q << " rank " << i;
        }
        ASSERT_EQ(a.facets.size(), b.facets.size());
        for (std::size_t f = 0; f < a.facets.size(); ++f) {
            ASSERT_EQ(a.facets[f].second.size(), b.facets[f].second.size()) << q;
            for (std::size_t v = 0; v < a.facets[f].second.size(); ++v) {
                EXPECT_EQ(a.facets[f].second[v].value, b.facets[f].second[v].value);
                EXPECT_EQ(a.facets[f].second[v].count, b.facets[f].second[v].count);
            }
        }
    }
    // The layout is remembered: a different --shards for the same directory is refused.
    o.shards = 2;
    EXPECT_THROW((void)indexer::run_index(o), UsageError);
    // Compaction merges the shards into one database holding the same studies.
    indexer::compact_database(dir / "three");
    EXPECT_FALSE(std::filesystem::exists(dir / "three/XAPIANDB"));
    search::Searcher merged(dir / "three");
    EXPECT_EQ(merged.doc_count(), one_stats.doc_count);
    EXPECT_EQ(run(merged, "covid", "relevance").total, run(one, "covid", "relevance").total);
}

// Hits with their scores, in ranked order. A merged build numbers its documents shard by shard;
// the ranking does not depend on it (equal scores are listed in NCT id order).
std::vector<std::pair<std::string, double>> ranked(const search::SearchResponse& r) {
    std::vector<std::pair<std::string, double>> out;
    for (const auto& h : r.hits) out.emplace_back(h.nct_id, h.score);
    return out;
}

// A new database on 2 threads is written by 2 writers and merged into one database (no stub, no
// marker left), holding what one writer builds and ranking it the same; "db/" works as "db".
TEST(Shards, ANewDatabaseIsBuiltByTwoWritersAndMergedIntoOne) {
    TempDir dir;
    indexer::IndexOptions o;
    o.inputs = {TRIALS_SAMPLE_DATA "/sample"};
    o.threads = 2;
    o.shards = 1;
    o.db_path = dir / "one";
    const auto one_stats = indexer::run_index(o);
    EXPECT_EQ(one_stats.merged_shards, 0u);
    o.shards.reset();
    o.db_path = dir / "merged" / "";
    const auto merged_stats = indexer::run_index(o);
    EXPECT_EQ(merged_stats.merged_shards, 2u);
    EXPECT_EQ(merged_stats.doc_count, one_stats.doc_count);
    EXPECT_EQ(merged_stats.added, one_stats.added);
    EXPECT_TRUE(std::filesystem::exists(dir / "merged/iamglass"));
    EXPECT_FALSE(std::filesystem::exists(dir / "merged/XAPIANDB"));
    EXPECT_FALSE(std::filesystem::exists(dir / "merged/MERGE-PENDING"));
    EXPECT_FALSE(std::filesystem::exists(dir / "merged/shard-000"));
    EXPECT_FALSE(std::filesystem::exists(dir / "merged.compact-tmp"));

    search::Searcher one(dir / "one");
    search::Searcher merged(dir / "merged");
    for (const auto& q : {"covid", "mesenchymal OR stromal", "status:recruiting", "tocilizumab"}) {
        const auto a = run(one, q, "relevance");
        const auto b = run(merged, q, "relevance");
        EXPECT_EQ(a.total, b.total) << q;
        EXPECT_EQ(ranked(a), ranked(b)) << q;
    }
    // Spelling data is merged too: the misspelling is corrected on both.
    const auto typo_one = run(one, "tocilizumb", "relevance").suggestion;
    const auto typo_merged = run(merged, "tocilizumb", "relevance").suggestion;
    ASSERT_TRUE(typo_one.has_value());
    ASSERT_TRUE(typo_merged.has_value());
    EXPECT_EQ(typo_merged->query, "tocilizumab");
    EXPECT_EQ(typo_merged->query, typo_one->query);
    EXPECT_EQ(typo_merged->total, typo_one->total);

    // The merged database is an existing one: a later run updates it in place.
    const auto again = indexer::run_index(o);
    EXPECT_EQ(again.merged_shards, 0u);
    EXPECT_EQ(again.unchanged, one_stats.added);
}

// A merge build that stops early keeps its shards (searchable, marked MERGE-PENDING); the next run
// over the directory goes on with them and merges.
TEST(Shards, AnInterruptedMergeBuildIsMergedByTheNextRun) {
    TempDir dir;
    indexer::IndexOptions o;
    o.inputs = {TRIALS_SAMPLE_DATA "/sample"};
    o.threads = 2;
    o.db_path = dir / "db";
    o.max_errors = 1;  // the bad record below stops the run
    write_file(dir / "bad/a.json", "{ not json");
    o.inputs = {dir / "bad", TRIALS_SAMPLE_DATA "/sample"};
    const auto stopped = indexer::run_index(o);
    EXPECT_TRUE(stopped.stopped_early);
    EXPECT_EQ(stopped.merged_shards, 0u);
    EXPECT_TRUE(std::filesystem::exists(dir / "db/XAPIANDB"));
    EXPECT_TRUE(std::filesystem::exists(dir / "db/MERGE-PENDING"));
    o.max_errors = 0;
    o.inputs = {TRIALS_SAMPLE_DATA "/sample"};
    const auto done = indexer::run_index(o);
    EXPECT_FALSE(done.stopped_early);
    EXPECT_EQ(done.merged_shards, 2u);
    EXPECT_GT(done.doc_count, 20u);
    EXPECT_TRUE(std::filesystem::exists(dir / "db/iamglass"));
    EXPECT_FALSE(std::filesystem::exists(dir / "db/MERGE-PENDING"));
    search::Searcher s(dir / "db");
    EXPECT_EQ(s.doc_count(), done.doc_count);
}

// A shard set opens while its first shard has no study yet and another has some: Xapian reads a
// shard set's metadata (our schema stamp) from its first shard, so a new shard commits the stamp
// when it is created.
TEST(Shards, ASetOpensBeforeItsFirstShardHasAStudy) {
    TempDir dir;
    const indexer::ShardLayout layout{dir / "db", 2};
    std::filesystem::create_directories(dir / "db");
    {
        Xapian::WritableDatabase first = analysis::open_for_writing(dir / "db/shard-000");
        Xapian::WritableDatabase second = analysis::open_for_writing(dir / "db/shard-001");
        Xapian::Document doc;
        doc.add_boolean_term(std::string(analysis::kIdPrefix) + "NCT00000001");
        second.add_document(doc);
        second.commit();
        indexer::write_stub(layout);
        // first: never committed by its writer
        search::Searcher s(dir / "db");
        EXPECT_EQ(s.doc_count(), 1u);
    }
}

TEST(Shards, ShardOfSplitsADumpBetweenMachines) {
    TempDir dir;
    std::uint64_t total = 0;
    for (unsigned i = 0; i < 3; ++i) {
        indexer::IndexOptions o;
        o.inputs = {TRIALS_SAMPLE_DATA "/sample"};
        o.db_path = dir / ("part" + std::to_string(i));
        o.shard_of = std::pair{i, 3u};
        const auto s = indexer::run_index(o);
        EXPECT_EQ(s.added + s.skipped, s.read + s.skipped);
        total += s.doc_count;
    }
    indexer::IndexOptions o;
    o.inputs = {TRIALS_SAMPLE_DATA "/sample"};
    o.db_path = dir / "whole";
    EXPECT_EQ(indexer::run_index(o).doc_count, total);
}

TEST(Incremental, AddsReplacesKeepsAndDeletes) {
    TempDir dir;
    for (int i = 1; i <= 4; ++i) {
        write_file(dir / ("v1/s" + std::to_string(i) + ".json"),
                   study("NCT0000010" + std::to_string(i), "Original Title Alpha" + std::to_string(i))
                       .dump());
    }
    for (const unsigned shards : {1u, 2u}) {
        const auto db = dir / ("db" + std::to_string(shards));
        indexer::IndexOptions o;
        o.db_path = db;
        o.shards = shards;
        o.inputs = {dir / "v1"};
        auto s = indexer::run_index(o);
        EXPECT_EQ(s.added, 4u);
        // v2: study 1 unchanged, 2 changed, 3 missing, 5 new.
        write_file(dir / "v2/s1.json", study("NCT00000101", "Original Title Alpha1").dump());
        write_file(dir / "v2/s2.json", study("NCT00000102", "Revised Title Omega").dump());
        write_file(dir / "v2/s4.json", study("NCT00000104", "Original Title Alpha4").dump());
        write_file(dir / "v2/s5.json", study("NCT00000105", "Brand New Study").dump());
        o.inputs = {dir / "v2"};
        o.delete_missing = true;
        s = indexer::run_index(o);
        EXPECT_EQ(s.added, 1u);
        EXPECT_EQ(s.updated, 1u);
        EXPECT_EQ(s.unchanged, 2u);
        EXPECT_EQ(s.deleted, 1u);
        EXPECT_EQ(s.doc_count, 4u);
        search::Searcher searcher(db);
        EXPECT_THAT(ids(searcher, "omega"), ElementsAre("NCT00000102"));
        EXPECT_THAT(ids(searcher, "alpha2"), ElementsAre());
        EXPECT_THAT(ids(searcher, "NCT00000103"), ElementsAre());
        EXPECT_THAT(ids(searcher, "brand"), ElementsAre("NCT00000105"));
        EXPECT_EQ(searcher.doc_count(), 4u);
    }
}

// An update recognises unchanged studies before building them; a study the same run changes
// first (an earlier duplicate) and then gives back unchanged must still end as the later record.
TEST(Incremental, LaterDuplicateWinsOverTheUnchangedCheck) {
    TempDir dir;
    write_file(dir / "v1/s.json", study("NCT00000201", "Original Title Alpha").dump());
    write_file(dir / "v1/t.json", study("NCT00000202", "Other Title Beta").dump());
    for (const unsigned shards : {1u, 2u}) {
        const auto db = dir / ("db" + std::to_string(shards));
        indexer::IndexOptions o;
        o.db_path = db;
        o.shards = shards;
        o.inputs = {dir / "v1"};
        (void)indexer::run_index(o);
        // a.json changes 201, b.json then gives it back as it was: the later record wins.
        write_file(dir / "v2/a.json", study("NCT00000201", "Interim Title Gamma").dump());
        write_file(dir / "v2/b.json", study("NCT00000201", "Original Title Alpha").dump());
        write_file(dir / "v2/c.json", study("NCT00000202", "Other Title Beta").dump());
        o.inputs = {dir / "v2"};
        const auto s = indexer::run_index(o);
        EXPECT_EQ(s.duplicates, 1u);
        EXPECT_EQ(s.updated, 2u);  // to gamma, and back to alpha
        EXPECT_EQ(s.unchanged, 1u);  // 202
        EXPECT_EQ(s.doc_count, 2u);
        search::Searcher searcher(db);
        EXPECT_THAT(ids(searcher, "alpha"), ElementsAre("NCT00000201"));
        EXPECT_THAT(ids(searcher, "gamma"), ElementsAre());
        EXPECT_THAT(ids(searcher, "beta"), ElementsAre("NCT00000202"));
    }
}

// Other indexing settings (here a stop-word list) change the documents of unchanged studies:
// the run rebuilds them all, and the run after it finds them unchanged again.
TEST(Incremental, OtherSettingsRebuildEveryStudy) {
    TempDir dir;
    write_file(dir / "in/s.json", study("NCT00000301", "Original Title Alpha").dump());
    write_file(dir / "in/t.json", study("NCT00000302", "Other Title Beta").dump());
    write_file(dir / "stop.txt", "title\n");
    indexer::IndexOptions o;
    o.db_path = dir / "db";
    o.inputs = {dir / "in"};
    EXPECT_EQ(indexer::run_index(o).added, 2u);
    EXPECT_EQ(indexer::run_index(o).unchanged, 2u);
    o.stopwords_path = dir / "stop.txt";
    auto s = indexer::run_index(o);
    EXPECT_EQ(s.updated, 2u);
    EXPECT_EQ(s.unchanged, 0u);
    s = indexer::run_index(o);
    EXPECT_EQ(s.unchanged, 2u);
}


// The synonym groups are indexing settings too: a study whose text holds a phrase of a group gets
// the group's concept term (concepts.hpp); a changed list rebuilds every study, with the new
// concepts and without the old ones.
TEST(Incremental, AChangedSynonymListRebuildsEveryStudyWithItsConcepts) {
    TempDir dir;
    write_file(dir / "in/s.json", study("NCT00000401", "Heart Attack Registry").dump());
    write_file(dir / "in/t.json", study("NCT00000402", "Other Title Beta").dump());
    write_file(dir / "syn.txt", "myocardial infarction | heart attack\n");
    indexer::IndexOptions o;
    o.db_path = dir / "db";
    o.inputs = {dir / "in"};
    o.synonyms_path = dir / "syn.txt";
    EXPECT_EQ(indexer::run_index(o).added, 2u);
    {
        Xapian::Database db((dir / "db").string());
        EXPECT_EQ(db.get_termfreq("XG:myocardial_infarction"), 1u);
        EXPECT_EQ(db.get_termfreq("XGXT:myocardial_infarction"), 1u);
    }
    EXPECT_EQ(indexer::run_index(o).unchanged, 2u);
    write_file(dir / "syn.txt", "cardiac event | heart attack\n");
    const auto s = indexer::run_index(o);
    EXPECT_EQ(s.updated, 2u);
    Xapian::Database db((dir / "db").string());
    EXPECT_EQ(db.get_termfreq("XG:cardiac_event"), 1u);
    EXPECT_EQ(db.get_termfreq("XG:myocardial_infarction"), 0u);
}


// A big run commits every 1,000 studies by default (IndexOptions::commit_every): small batches
// keep Xapian's per-term posting maps shallow, which is faster and bounds memory (bench/BATCH.md).
// 2,500 studies: commits after 1,000 and 2,000 and the final one, so revision 3 at least (one
// commit, revision 1, with the old 20,000-study default).
TEST(Incremental, ABigRunCommitsEveryThousandStudiesByDefault) {
    TempDir dir;
    std::string ndjson;
    for (int i = 0; i < 2500; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "NCT%08d", 10000 + i);
        ndjson += study(id, "Study number " + std::to_string(i)).dump() + "\n";
    }
    write_file(dir / "in/all.ndjson", ndjson);
    indexer::IndexOptions o;
    o.db_path = dir / "db";
    o.inputs = {dir / "in/all.ndjson"};
    o.shards = 1;  // one writer: a new database's default merge would leave one revision
    EXPECT_EQ(o.commit_every, 1000u);
    const auto s = indexer::run_index(o);
    EXPECT_EQ(s.added, 2500u);
    Xapian::Database db((dir / "db").string());
    EXPECT_EQ(db.get_doccount(), 2500u);
    // The schema stamp, two commits of 1,000, the rest, then the facet columns in a commit of
    // their own: 5 (20 if every study were a commit).
    EXPECT_GE(db.get_revision(), 4u);
    EXPECT_LE(db.get_revision(), 5u);
}

}  // namespace
}  // namespace trials::testing
