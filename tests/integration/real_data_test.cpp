// Integration over the real records in ../shared/data/real (skipped when absent): the legacy XML
// archives indexed straight from their .tar.gz, the API v2 fixtures, MeSH 2024. Expected numbers
// were counted independently in the source files (grep over the unpacked XML; SOURCE.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "test_support.hpp"

namespace trials::testing {
namespace {

using ::testing::Contains;

std::filesystem::path covid_tar() {
    return shared_data() / "ctgov-xml-covid-kaggle/clinical_studies_xml.tar.gz";
}

std::map<std::string, std::uint64_t> facet_counts(search::Searcher& s, const std::string& query,
                                                  const std::string& facet) {
    search::SearchRequest r;
    r.query = query;
    r.limit = 0;
    r.facets = {facet};
    std::map<std::string, std::uint64_t> out;
    const auto resp = s.search(r);
    for (const auto& v : resp.facets.at(0).second) out[v.value] = v.count;
    return out;
}

std::uint64_t exact_total(search::Searcher& s, const std::string& query) {
    search::SearchRequest r;
    r.query = query;
    r.limit = 0;
    r.exact_total = true;
    return s.search(r).total;
}

// The databases built by the real_dbs ctest fixture (build_real_dbs.sh) through trials-index:
// "covid" (the COVID archive alone) and "all" (every real record, with MeSH 2024).
class RealData : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const std::filesystem::path dbs(TRIALS_TEST_DBS);
        if (!std::filesystem::exists(dbs / "all") || !std::filesystem::exists(dbs / "covid")) {
            return;
        }
        covid_ = new search::Searcher(dbs / "covid");
        all_ = new search::Searcher(dbs / "all");
    }
    static void TearDownTestSuite() {
        delete covid_;
        delete all_;
        covid_ = all_ = nullptr;
    }
    void SetUp() override {
        if (all_ == nullptr) {
            GTEST_SKIP() << "real data absent: " << covid_tar()
                         << " (../shared/data/real is not beside the project, so the real_dbs "
                            "fixture built no database)";
        }
    }
    static inline search::Searcher* covid_ = nullptr;
    static inline search::Searcher* all_ = nullptr;
};

TEST_F(RealData, EveryLegacyRecordIsIndexedFromTheArchives) {
    EXPECT_EQ(covid_->doc_count(), 5020u);
    // 5,020 + 6,786 legacy records (distinct ids) plus the API v2 fixtures' other studies.
    EXPECT_GE(all_->doc_count(), 5020u + 6786u);
    EXPECT_LE(all_->doc_count(), 5020u + 6786u + 20u);
}

TEST_F(RealData, CovidStatusAndPhaseCountsMatchTheSource) {
    const auto status = facet_counts(*covid_, "", "status");
    EXPECT_EQ(status.at("RECRUITING"), 2505u);
    EXPECT_EQ(status.at("NOT_YET_RECRUITING"), 981u);
    EXPECT_EQ(status.at("COMPLETED"), 760u);
    EXPECT_EQ(status.at("ACTIVE_NOT_RECRUITING"), 414u);
    EXPECT_EQ(status.at("ENROLLING_BY_INVITATION"), 170u);
    EXPECT_EQ(status.at("WITHDRAWN"), 86u);
    EXPECT_EQ(status.at("TERMINATED"), 50u);
    EXPECT_EQ(status.at("SUSPENDED"), 23u);
    EXPECT_EQ(status.at("AVAILABLE"), 22u);
    EXPECT_EQ(status.at("NO_LONGER_AVAILABLE"), 7u);
    EXPECT_EQ(status.at("APPROVED_FOR_MARKETING"), 2u);
    // Multi-valued phases: "Phase 1/Phase 2" counts for both (grep of <phase> in the XML).
    const auto phase = facet_counts(*covid_, "", "phase");
    EXPECT_EQ(phase.at("PHASE2"), 627u + 180u + 168u);
    EXPECT_EQ(phase.at("PHASE3"), 411u + 180u);
    EXPECT_EQ(phase.at("PHASE1"), 207u + 168u);
    EXPECT_EQ(phase.at("PHASE4"), 129u);
    EXPECT_EQ(phase.at("EARLY_PHASE1"), 42u);
    EXPECT_EQ(phase.at("NA"), 1128u);
    EXPECT_EQ(exact_total(*covid_, "status:recruiting"), 2505u);
    EXPECT_EQ(exact_total(*covid_, "phase:2 phase:3"), 180u);
    // Condition MeSH terms per value (grep of condition_browse/mesh_term in the XML).
    const auto mesh = facet_counts(*covid_, "", "condition_mesh");
    EXPECT_EQ(mesh.at("Respiratory Distress Syndrome, Adult"), 196u);
    EXPECT_EQ(mesh.at("Coronavirus Infections"), 882u);
}

TEST_F(RealData, KnownTrialFoundByConditionAndMesh) {
    // NCT03042143 (REALIST): condition "Acute Respiratory Distress Syndrome", legacy MeSH term
    // "Respiratory Distress Syndrome, Adult" (no ancestors in the XML).
    EXPECT_THAT(ids(*all_, "condition:\"acute respiratory distress syndrome\"", 1000),
                Contains("NCT03042143"));
    EXPECT_THAT(ids(*all_, "mesh:\"respiratory distress syndrome adult\"", 1000),
                Contains("NCT03042143"));
    // Ancestors come from the MeSH tree numbers for legacy records.
    EXPECT_THAT(ids(*all_, "mesh:\"respiratory tract diseases\"", 5000), Contains("NCT03042143"));
    // Entry terms are synonyms of their descriptor: no record says "shock lung".
    EXPECT_THAT(ids(*all_, "shock lung", 1000), Contains("NCT03042143"));
    EXPECT_THAT(ids(*all_, "stromal status:recruiting phase:1", 100), Contains("NCT03042143"));
}

TEST_F(RealData, ApiV2RecordsKeepTheirDerivedMesh) {
    // NCT04267848 (NSCLC, API v2): its condition MeSH and an ancestor from derivedSection.
    EXPECT_THAT(ids(*all_, "NCT04267848"), Contains("NCT04267848"));
    EXPECT_THAT(ids(*all_, "mesh:\"lung neoplasms\"", 1000), Contains("NCT04267848"));
}

}  // namespace
}  // namespace trials::testing

namespace trials::testing {
namespace {

// Range filters, sort order and a cursor walk on the COVID archive, against counts taken
// independently from the XML (a Python scan of start_date / enrollment in the unpacked files).
TEST_F(RealData, CovidRangesSortsAndCursorsMatchTheSource) {
    EXPECT_EQ(exact_total(*covid_, "start:2020"), 4327u);           // start_date ends in 2020
    EXPECT_EQ(exact_total(*covid_, "AREA[StartDate]MISSING"), 31u);  // no start_date
    EXPECT_EQ(exact_total(*covid_, "enrollment:1000.."), 944u);      // enrollment >= 1000
    EXPECT_EQ(exact_total(*covid_, "start:2020 OR start:..2019 OR start:2021.."), 5020u - 31u);

    // Sorted by start date: non-decreasing, missing dates last.
    search::SearchRequest r;
    r.query = "status:recruiting";
    r.sort = "start:asc";
    r.limit = 500;
    r.snippets = false;
    std::set<std::string> seen;
    std::string last_date;
    std::size_t pages = 0;
    bool missing_started = false;
    while (true) {
        const auto resp = covid_->search(r);
        ++pages;
        for (const auto& h : resp.hits) {
            EXPECT_TRUE(seen.insert(h.nct_id).second) << "repeated " << h.nct_id;
            const std::string d = h.data.value("start_date", std::string());
            if (d.empty()) {
                missing_started = true;
            } else {
                EXPECT_FALSE(missing_started) << h.nct_id << " has a date after missing ones";
                EXPECT_LE(last_date, d) << h.nct_id;
                last_date = d;
            }
        }
        if (!resp.next_cursor) break;
        r.cursor = resp.next_cursor;
    }
    // The walk returns every recruiting trial exactly once (2,505 in SOURCE.md).
    EXPECT_EQ(seen.size(), 2505u);
    EXPECT_EQ(pages, 6u);
}

}  // namespace
}  // namespace trials::testing
