// Similar trials (--similar / --like) on tiny API v2 studies written by the test: the order of
// the suggestions, that the source never comes back, that filters apply, that a record's own
// text finds it first, the "why" of each suggestion, and the error for an unknown NCT id.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <cstdio>
#include <sys/wait.h>

#include "test_support.hpp"
#include "trials/error.hpp"
#include "trials/search/output.hpp"
#include "trials/search/similar.hpp"

namespace trials::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

nlohmann::json mesh_list(const std::vector<std::pair<std::string, std::string>>& items) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [id, term] : items) out.push_back({{"id", id}, {"term", term}});
    return out;
}

// A study with conditions, MeSH descriptors (direct + ancestors), one drug and a summary.
nlohmann::json trial(const std::string& nct, const std::string& title, const std::string& status,
                     std::vector<std::string> phases, std::vector<std::string> conditions,
                     const std::vector<std::pair<std::string, std::string>>& mesh,
                     const std::vector<std::pair<std::string, std::string>>& ancestors,
                     const std::string& drug, const std::string& summary) {
    auto s = study(nct, title, status, std::move(phases));
    module(s, "conditionsModule")["conditions"] = std::move(conditions);
    module(s, "descriptionModule")["briefSummary"] = summary;
    if (!drug.empty()) {
        module(s, "armsInterventionsModule")["interventions"] = {
            {{"type", "DRUG"}, {"name", drug}}};
    }
    s["derivedSection"]["conditionBrowseModule"] = {{"meshes", mesh_list(mesh)},
                                                    {"ancestors", mesh_list(ancestors)}};
    return s;
}

const std::pair<std::string, std::string> kArds{"D012128", "Respiratory Distress Syndrome"};
const std::pair<std::string, std::string> kPneumonia{"D011014", "Pneumonia"};
const std::pair<std::string, std::string> kLung{"D008171", "Lung Diseases"};
const std::pair<std::string, std::string> kResp{"D012140", "Respiratory Tract Diseases"};
const std::pair<std::string, std::string> kCrohn{"D003424", "Crohn Disease"};
const std::pair<std::string, std::string> kBowel{"D015212", "Inflammatory Bowel Diseases"};
const std::pair<std::string, std::string> kAsthma{"D001249", "Asthma"};
const std::pair<std::string, std::string> kBronchial{"D001982", "Bronchial Diseases"};

class SimilarTest : public ::testing::Test {
protected:
    void SetUp() override {
        const std::string boiler =
            " This study will enroll patients and participants who give informed consent.";
        std::vector<nlohmann::json> all{
            trial("NCT00000101", "Tocilizumab for Acute Respiratory Distress Syndrome",
                  "RECRUITING", {"PHASE2"}, {"ARDS"}, {kArds}, {kLung, kResp}, "Tocilizumab",
                  "Interleukin-6 blockade with tocilizumab in ARDS." + boiler),
            trial("NCT00000102", "Tocilizumab in Severe ARDS", "RECRUITING", {"PHASE2"},
                  {"ARDS"}, {kArds}, {kLung, kResp}, "Tocilizumab",
                  "A randomised trial of tocilizumab for ARDS." + boiler),
            trial("NCT00000103", "Mesenchymal Stromal Cells for ARDS", "COMPLETED", {"PHASE1"},
                  {"ARDS"}, {kArds}, {kLung, kResp}, "Mesenchymal stromal cells",
                  "Stromal cells given intravenously in ARDS." + boiler),
            trial("NCT00000104", "Prone Positioning in Pneumonia", "RECRUITING", {"NA"},
                  {"Pneumonia"}, {kPneumonia}, {kLung, kResp}, "",
                  "Prone positioning for hypoxaemic pneumonia on the ward." + boiler),
            trial("NCT00000105", "Vedolizumab in Crohn Disease", "RECRUITING", {"PHASE2"},
                  {"Crohn Disease"}, {kCrohn}, {kBowel}, "Vedolizumab",
                  "Vedolizumab maintenance in Crohn disease." + boiler),
            // No condition MeSH: its words must find 107 through 107's MeSH names and title.
            trial("NCT00000106", "Budesonide in Wheezing Toddlers", "RECRUITING", {"PHASE3"},
                  {"Asthma", "Wheeze"}, {}, {}, "Budesonide", "Nebulised budesonide." + boiler),
            trial("NCT00000107", "Inhaled Budesonide for Asthma", "RECRUITING", {"PHASE3"},
                  {"Bronchial Asthma"}, {kAsthma}, {kBronchial}, "Budesonide",
                  "Inhaled budesonide in asthma." + boiler),
        };
        // Unrelated trials so that document frequencies look like a registry's: every record
        // carries the boilerplate, none shares a condition with the trials above.
        // Every 15th names "wheeze" in its title or keywords (a word of 106's conditions).
        for (int i = 0; i < 200; ++i) {
            char nct[16];
            std::snprintf(nct, sizeof nct, "NCT%08d", 200 + i);
            const std::string topic = "topic" + std::string(1, static_cast<char>('a' + i % 26)) +
                                      std::to_string(i);
            const bool wheeze = i % 15 == 0;
            auto s = trial(nct, "Filler Study of " + topic + (wheeze && i % 2 ? " Wheeze" : ""),
                           "COMPLETED", {"PHASE2"}, {"Condition " + topic}, {}, {},
                           "Drug " + topic, "Filler " + topic + "." + boiler);
            if (wheeze && i % 2 == 0) module(s, "conditionsModule")["keywords"] = {"wheeze"};
            all.push_back(std::move(s));
        }
        write_file(dir_ / "in/studies.json", nlohmann::json(all).dump());
        const auto stats = index_paths(dir_ / "db", {dir_ / "in"});
        ASSERT_EQ(stats.added, all.size());
        searcher_ = std::make_unique<search::Searcher>(dir_ / "db");
    }

    search::SearchResponse similar(const std::string& nct, const std::string& query = "",
                                   std::size_t limit = 10) {
        search::SimilarRequest r;
        r.nct_id = nct;
        r.query = query;
        r.limit = limit;
        return search::SimilarFinder(*searcher_).find(r);
    }
    static std::vector<std::string> hit_ids(const search::SearchResponse& resp) {
        std::vector<std::string> out;
        for (const auto& h : resp.hits) out.push_back(h.nct_id);
        return out;
    }

    TempDir dir_;
    std::unique_ptr<search::Searcher> searcher_;
};

TEST_F(SimilarTest, SameConditionAndDrugFirstThenSameConditionThenSharedAncestor) {
    // 102: same MeSH, same drug, same phase; 103: same MeSH; 104: Lung Diseases in common.
    // 105 and the fillers share only the phase, which alone never makes a trial similar.
    EXPECT_THAT(hit_ids(similar("NCT00000101")),
                ElementsAre("NCT00000102", "NCT00000103", "NCT00000104"));
    EXPECT_THAT(hit_ids(similar("NCT00000104")), ElementsAre("NCT00000101", "NCT00000102",
                                                             "NCT00000103"));
}

TEST_F(SimilarTest, TheSourceIsNeverReturned) {
    for (const char* nct : {"NCT00000101", "NCT00000103", "NCT00000104", "NCT00000105",
                            "NCT00000200"}) {
        EXPECT_THAT(hit_ids(similar(nct, "", 100)), Not(Contains(nct))) << nct;
    }
    // The id is matched whatever its case.
    EXPECT_THAT(hit_ids(similar("nct00000101")), Not(Contains("NCT00000101")));
    EXPECT_FALSE(similar("nct00000101").hits.empty());
}

TEST_F(SimilarTest, FiltersAndQueryWordsRestrictTheSuggestions) {
    EXPECT_THAT(hit_ids(similar("NCT00000101", "status:completed")), ElementsAre("NCT00000103"));
    EXPECT_THAT(hit_ids(similar("NCT00000101", "phase:2")), ElementsAre("NCT00000102"));
    EXPECT_THAT(hit_ids(similar("NCT00000101", "status:recruiting")),
                ElementsAre("NCT00000102", "NCT00000104"));
    // Words must match but do not reorder: only trials mentioning stromal cells.
    EXPECT_THAT(hit_ids(similar("NCT00000101", "stromal")), ElementsAre("NCT00000103"));
    EXPECT_THAT(hit_ids(similar("NCT00000101", "-tocilizumab")),
                ElementsAre("NCT00000103", "NCT00000104"));
    EXPECT_THROW((void)similar("NCT00000101", "status:(recruiting"), QueryError);
}

// Facet counts cover the similar trials, disjunctively as in a search: the status facet ignores
// the status filter, the total is the exact number of filtered suggestions.
TEST_F(SimilarTest, FacetCountsCoverTheSuggestions) {
    search::SimilarRequest r;
    r.nct_id = "NCT00000101";
    r.query = "status:recruiting";
    r.facets = {"status"};
    const auto resp = search::SimilarFinder(*searcher_).find(r);
    EXPECT_THAT(hit_ids(resp), ElementsAre("NCT00000102", "NCT00000104"));
    EXPECT_EQ(resp.total, 2u);
    EXPECT_TRUE(resp.total_exact);
    ASSERT_EQ(resp.facets.size(), 1u);
    std::map<std::string, std::uint64_t> counts;
    for (const auto& v : resp.facets[0].second) counts[v.value] = v.count;
    EXPECT_EQ(counts, (std::map<std::string, std::uint64_t>{{"COMPLETED", 1}, {"RECRUITING", 2}}));
    r.facets = {"nonsense"};
    EXPECT_THROW((void)search::SimilarFinder(*searcher_).find(r), QueryError);
}

TEST_F(SimilarTest, LimitAndOffsetPage) {
    EXPECT_THAT(hit_ids(similar("NCT00000101", "", 2)),
                ElementsAre("NCT00000102", "NCT00000103"));
    search::SimilarRequest r;
    r.nct_id = "NCT00000101";
    r.offset = 1;
    r.limit = 1;
    const auto resp = search::SimilarFinder(*searcher_).find(r);
    ASSERT_EQ(resp.hits.size(), 1u);
    EXPECT_EQ(resp.hits[0].nct_id, "NCT00000103");
    EXPECT_EQ(resp.hits[0].rank, 2u);
}

TEST_F(SimilarTest, WhyNamesTheSharedFeatures) {
    const auto resp = similar("NCT00000101");
    ASSERT_GE(resp.hits.size(), 3u);
    const auto& why = resp.hits[0].why;  // NCT00000102
    ASSERT_FALSE(why.empty());
    EXPECT_THAT(why, Contains("same MeSH: Respiratory Distress Syndrome"));
    EXPECT_THAT(why, Contains(HasSubstr("tocilizumab")));
    EXPECT_EQ(why.back(), "PHASE2");
    EXPECT_THAT(resp.hits[2].why, Contains(HasSubstr("shared ancestor: Lung Diseases")));
    // JSON carries it as "why": [...].
    const auto j = search::to_json(resp, {});
    EXPECT_EQ(j["hits"][0]["why"], nlohmann::json(why));
}

TEST_F(SimilarTest, BoilerplateWordsAreNeverChosen) {
    const auto terms = search::SimilarFinder(*searcher_).terms_for_trial("NCT00000101");
    ASSERT_FALSE(terms.empty());
    for (const auto& t : terms) {
        EXPECT_THAT(t.term, AllOf(Not(HasSubstr("study")), Not(HasSubstr("patient")),
                                  Not(HasSubstr("consent")), Not(HasSubstr("particip"))));
        EXPECT_GT(t.weight, 0.0) << t.term;
    }
}

TEST_F(SimilarTest, LikeOnARecordsOwnTextRanksThatRecordFirst) {
    search::SimilarFinder finder(*searcher_);
    for (const auto& nct : {"NCT00000101", "NCT00000103", "NCT00000104", "NCT00000105"}) {
        search::SearchRequest q;
        q.query = nct;
        const auto hits = searcher_->search(q).hits;
        ASSERT_EQ(hits.size(), 1u);
        search::SimilarRequest r;
        r.like_text = hits[0].data.value("title", std::string()) + ". " +
                      hits[0].data.value("summary", std::string());
        const auto resp = finder.find(r);
        ASSERT_FALSE(resp.hits.empty()) << nct;
        EXPECT_EQ(resp.hits[0].nct_id, nct) << r.like_text;
    }
    // Words of the text find trials through their titles, conditions and MeSH names too;
    // filters apply as with --similar.
    search::SimilarRequest r;
    r.like_text = "interleukin-6 blockade in acute respiratory distress";
    r.query = "status:recruiting";
    const auto ids = hit_ids(finder.find(r));
    ASSERT_GE(ids.size(), 2u);
    EXPECT_EQ(ids[0], "NCT00000101");
    EXPECT_EQ(ids[1], "NCT00000102");
    EXPECT_THAT(ids, Not(Contains("NCT00000103")));  // completed
    r.like_text = "the the and";
    EXPECT_THROW((void)finder.find(r), QueryError);
}

// Regression: a trial without condition MeSH matches its words across fields, which once used
// Xapian's OP_MAX; with TfIdfWeight that crashes Xapian 1.4.22 on a shard set (SIGSEGV in
// get_mset). The same studies as 3 shards must give the same suggestions as one database.
TEST_F(SimilarTest, ShardSetGivesTheSameSuggestions) {
    indexer::IndexOptions o;
    o.db_path = dir_ / "three";
    o.inputs = {dir_ / "in"};
    o.threads = 2;
    o.shards = 3;
    (void)indexer::run_index(o);
    search::Searcher three(dir_ / "three");
    search::SimilarFinder sharded(three), single(*searcher_);
    for (const char* nct : {"NCT00000101", "NCT00000104", "NCT00000105", "NCT00000106",
                            "NCT00000107"}) {
        search::SimilarRequest r;
        r.nct_id = nct;
        const auto a = single.find(r), b = sharded.find(r);
        EXPECT_EQ(hit_ids(a), hit_ids(b)) << nct;
        ASSERT_EQ(a.hits.size(), b.hits.size()) << nct;
        for (std::size_t i = 0; i < a.hits.size(); ++i) {
            EXPECT_EQ(a.hits[i].score, b.hits[i].score) << nct << " #" << i;
            EXPECT_EQ(a.hits[i].why, b.hits[i].why) << nct << " #" << i;
        }
    }
    // 106 has no condition MeSH: "asthma" is also looked for in MeSH names ("XMasthma").
    const auto terms = search::SimilarFinder(three).terms_for_trial("NCT00000106");
    EXPECT_TRUE(std::any_of(terms.begin(), terms.end(),
                            [](const auto& t) { return t.group >= 0 && t.term == "XMasthma"; }));
    search::SimilarRequest r;
    r.nct_id = "NCT00000106";
    const auto resp = sharded.find(r);
    ASSERT_FALSE(resp.hits.empty());
    EXPECT_EQ(resp.hits[0].nct_id, "NCT00000107");
}

TEST_F(SimilarTest, UnknownTrialIsAQueryError) {
    try {
        (void)similar("NCT09999999");
        FAIL() << "no error";
    } catch (const QueryError& e) {
        EXPECT_THAT(e.what(), HasSubstr("NCT09999999"));
    }
}

// The command line: --similar, --like and their errors (exit 2 with a clear message).
struct Run {
    int status;
    std::string out;
};
Run run(const std::string& args) {
    const std::string cmd = std::string(TRIALS_BIN_DIR) + "/trials-search " + args + " 2>&1";
    Run r{-1, {}};
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return r;
    char buf[4096];
    while (const auto n = fread(buf, 1, sizeof buf, p)) r.out.append(buf, n);
    const int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

TEST_F(SimilarTest, CommandLine) {
    const std::string db = "--db " + (dir_ / "db").string();
    auto r = run(db + " --similar NCT00000101 --json --limit 2");
    ASSERT_EQ(r.status, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["hits"].size(), 2u);
    EXPECT_EQ(j["hits"][0]["nct_id"], "NCT00000102");
    EXPECT_THAT(j["hits"][0]["why"].dump(), HasSubstr("same MeSH: Respiratory Distress Syndrome"));

    r = run(db + " --similar NCT00000101 status:completed");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_THAT(r.out, AllOf(HasSubstr("NCT00000103"), HasSubstr("Why: same MeSH"),
                             Not(HasSubstr("NCT00000102"))));

    r = run(db + " --like 'vedolizumab for crohn disease'");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_THAT(r.out, HasSubstr("NCT00000105"));

    r = run(db + " --similar NCT09999999");
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.out, HasSubstr("no trial NCT09999999 in this database"));
    r = run(db + " --similar NCT00000101 --like text");
    EXPECT_EQ(r.status, 2) << r.out;
    r = run(db + " --similar NCT00000101 --sort start");
    EXPECT_EQ(r.status, 2) << r.out;
}

}  // namespace
}  // namespace trials::testing
