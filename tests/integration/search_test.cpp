// End-to-end: tiny API v2 studies written by the test -> run_index -> Searcher. Asserts exact
// NCT ids for keywords, fields, filters, ranges, sorting, facets, cursors and re-indexing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_support.hpp"
#include "trials/analysis/facet_columns.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"

namespace trials::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class SearchTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto s1 = study("NCT00000001", "Tocilizumab for COVID-19 Pneumonia", "RECRUITING",
                        {"PHASE3"});
        module(s1, "conditionsModule")["conditions"] = {"COVID-19", "Pneumonia, Viral"};
        module(s1, "armsInterventionsModule")["interventions"] = {
            {{"type", "DRUG"}, {"name", "Tocilizumab"}, {"otherNames", {"RoActemra"}}}};
        module(s1, "eligibilityModule") = {
            {"eligibilityCriteria",
             "Inclusion Criteria:\n* hospitalised adults\nExclusion Criteria:\n* prior "
             "vedolizumab"},
            {"sex", "ALL"}, {"minimumAge", "18 Years"}};
        module(s1, "contactsLocationsModule")["locations"] = {
            {{"facility", "Karolinska University Hospital"}, {"city", "Stockholm"},
             {"country", "Sweden"}}};
        module(s1, "statusModule")["startDateStruct"] = {{"date", "2020-05"}};
        module(s1, "designModule")["enrollmentInfo"] = {{"count", 300}};

        auto s2 = study("NCT00000002", "Vedolizumab in Crohn Disease", "COMPLETED", {"PHASE2"});
        module(s2, "conditionsModule")["conditions"] = {"Crohn Disease"};
        module(s2, "armsInterventionsModule")["interventions"] = {
            {{"type", "BIOLOGICAL"}, {"name", "Vedolizumab"}}};
        module(s2, "eligibilityModule") = {
            {"sex", "FEMALE"}, {"minimumAge", "18 Years"}, {"maximumAge", "65 Years"}};
        module(s2, "contactsLocationsModule")["locations"] = {
            {{"facility", "Mayo Clinic"}, {"city", "Rochester"}, {"country", "United States"}}};
        module(s2, "statusModule")["startDateStruct"] = {{"date", "2018-03-01"}};
        module(s2, "designModule")["enrollmentInfo"] = {{"count", 50}};

        auto s3 = study("NCT00000003", "Mesenchymal Stromal Cells for ARDS",
                        "ACTIVE_NOT_RECRUITING", {"PHASE1"});
        module(s3, "descriptionModule")["briefSummary"] =
            "Patients with SARS-CoV-2 induced acute respiratory distress syndrome receive "
            "stromal cells.";
        module(s3, "conditionsModule")["conditions"] = {"ARDS, Human", "COVID"};
        module(s3, "eligibilityModule") = {{"minimumAge", "18 Years"}, {"maximumAge", "65 Years"}};
        module(s3, "contactsLocationsModule")["locations"] = {
            {{"facility", "Karolinska"}, {"city", "Huddinge"}, {"country", "Sweden"}}};
        module(s3, "statusModule")["startDateStruct"] = {{"date", "2020-06-17"}};
        module(s3, "designModule")["enrollmentInfo"] = {{"count", 7}};
        s3["derivedSection"]["conditionBrowseModule"] = {
            {"meshes", {{{"id", "D012128"}, {"term", "Respiratory Distress Syndrome"}}}},
            {"ancestors", {{{"id", "D012140"}, {"term", "Respiratory Tract Diseases"}}}}};

        auto s4 = study("NCT00000004", "Inhaled Budesonide in Children With Asthma", "RECRUITING",
                        {"PHASE1", "PHASE2"});
        module(s4, "conditionsModule")["conditions"] = {"Asthma in Children"};
        module(s4, "eligibilityModule") = {{"minimumAge", "6 Months"}, {"maximumAge", "17 Years"}};
        module(s4, "contactsLocationsModule")["locations"] = {
            {{"facility", "Hopital Necker"}, {"city", "Paris"}, {"country", "France"}}};
        module(s4, "statusModule")["startDateStruct"] = {{"date", "2022-01-10"}};
        module(s4, "designModule")["enrollmentInfo"] = {{"count", 120}};

        auto s5 = study("NCT00000005", "Breast Cancer Registry", "NOT_YET_RECRUITING", {});
        module(s5, "designModule")["studyType"] = "OBSERVATIONAL";
        module(s5, "conditionsModule")["conditions"] = {"Breast Cancer"};

        write_file(dir_ / "in/a.json", nlohmann::json::array({s1, s2}).dump());
        write_file(dir_ / "in/b.json", nlohmann::json({{"studies", {s3, s4}}}).dump());
        write_file(dir_ / "in/c.ndjson", s5.dump() + "\n");
        const auto stats = index_paths(dir_ / "db", {dir_ / "in"});
        ASSERT_EQ(stats.added, 5u);
        ASSERT_EQ(stats.rejected, 0u);
        searcher_ = std::make_unique<search::Searcher>(dir_ / "db");
    }

    TempDir dir_;
    std::unique_ptr<search::Searcher> searcher_;
};

TEST_F(SearchTest, KeywordsAndPhrases) {
    EXPECT_THAT(ids(*searcher_, "tocilizumab"), ElementsAre("NCT00000001"));
    EXPECT_THAT(ids(*searcher_, "roactemra"), ElementsAre("NCT00000001"));
    EXPECT_THAT(ids(*searcher_, "\"acute respiratory distress\""), ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "\"distress acute\""), ElementsAre());
    EXPECT_THAT(ids(*searcher_, "asthma children"), ElementsAre("NCT00000004"));
    EXPECT_THAT(ids(*searcher_, "asthma OR crohn"),
                UnorderedElementsAre("NCT00000002", "NCT00000004"));
    EXPECT_THAT(ids(*searcher_, "karolinska NOT tocilizumab"), ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "karolinska -tocilizumab"), ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "NCT00000004"), ElementsAre("NCT00000004"));
}

TEST_F(SearchTest, FieldsOnlyMatchTheirField) {
    EXPECT_THAT(ids(*searcher_, "vedolizumab"),
                UnorderedElementsAre("NCT00000001", "NCT00000002"));
    EXPECT_THAT(ids(*searcher_, "intervention:vedolizumab"), ElementsAre("NCT00000002"));
    EXPECT_THAT(ids(*searcher_, "eligibility:vedolizumab"), ElementsAre("NCT00000001"));
    EXPECT_THAT(ids(*searcher_, "title:ards"), ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "location:stockholm"), ElementsAre("NCT00000001"));
    EXPECT_THAT(ids(*searcher_, "mesh:\"respiratory tract diseases\""),
                ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "AREA[InterventionName]vedolizumab"), ElementsAre("NCT00000002"));
    EXPECT_THAT(ids(*searcher_, "condition:(asthma OR crohn)"),
                UnorderedElementsAre("NCT00000002", "NCT00000004"));
}

// Long narrative fields keep a stemmed word by its stem alone and no positions: a word there
// matches any form, a phrase or an exact word (EXPANSION[None]) is checked in the catch-all
// (NCT00000003's summary: "Patients with SARS-CoV-2 induced acute respiratory distress
// syndrome receive stromal cells.").
TEST_F(SearchTest, LongFieldsMatchStemsPhrasesAndExactWords) {
    EXPECT_THAT(ids(*searcher_, "summary:receiving"), ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "summary:receive"), ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "EXPANSION[None]summary:receive"), ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "EXPANSION[None]summary:receiving"), ElementsAre());
    EXPECT_THAT(ids(*searcher_, "summary:\"stromal cells\""), ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "summary:\"cells stromal\""), ElementsAre());
    EXPECT_THAT(ids(*searcher_, "summary:sars-cov-2"), ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "summary:\"SARS-CoV-2 induced\""), ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "summary:karolinska"), ElementsAre());
    EXPECT_THAT(ids(*searcher_, "eligibility:\"prior vedolizumab\""), ElementsAre("NCT00000001"));
}

TEST_F(SearchTest, FacetFilters) {
    EXPECT_THAT(ids(*searcher_, "status:recruiting"),
                UnorderedElementsAre("NCT00000001", "NCT00000004"));
    EXPECT_THAT(ids(*searcher_, "phase:2"), UnorderedElementsAre("NCT00000002", "NCT00000004"));
    EXPECT_THAT(ids(*searcher_, "phase:1"), UnorderedElementsAre("NCT00000003", "NCT00000004"));
    EXPECT_THAT(ids(*searcher_, "country:sweden"),
                UnorderedElementsAre("NCT00000001", "NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "country:\"united states\""), ElementsAre("NCT00000002"));
    EXPECT_THAT(ids(*searcher_, "sex:female"), ElementsAre("NCT00000002"));
    EXPECT_THAT(ids(*searcher_, "type:observational"), ElementsAre("NCT00000005"));
    EXPECT_THAT(ids(*searcher_, "status:recruiting,completed"),
                UnorderedElementsAre("NCT00000001", "NCT00000002", "NCT00000004"));
    EXPECT_THAT(ids(*searcher_, "karolinska status:recruiting"), ElementsAre("NCT00000001"));
    EXPECT_THAT(ids(*searcher_, "AREA[OverallStatus]COMPLETED"), ElementsAre("NCT00000002"));
    EXPECT_EQ(ids(*searcher_, "").size(), 5u);
}

TEST_F(SearchTest, Ranges) {
    EXPECT_THAT(ids(*searcher_, "start:2020..2020-12"),
                UnorderedElementsAre("NCT00000001", "NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "start:2020-06"), ElementsAre("NCT00000003"));
    EXPECT_THAT(ids(*searcher_, "start:..2019"), ElementsAre("NCT00000002"));
    EXPECT_THAT(ids(*searcher_, "enrollment:100.."),
                UnorderedElementsAre("NCT00000001", "NCT00000004"));
    EXPECT_THAT(ids(*searcher_, "age:10"), UnorderedElementsAre("NCT00000004", "NCT00000005"));
    EXPECT_THAT(ids(*searcher_, "age:6m"), UnorderedElementsAre("NCT00000004", "NCT00000005"));
    EXPECT_THAT(ids(*searcher_, "age:70"), UnorderedElementsAre("NCT00000001", "NCT00000005"));
    EXPECT_THAT(ids(*searcher_, "AREA[MinimumAge]RANGE[MIN, 16 years]"),
                ElementsAre("NCT00000004"));
    EXPECT_THAT(ids(*searcher_, "AREA[StartDate]RANGE[2020-01-01, MAX]"),
                UnorderedElementsAre("NCT00000001", "NCT00000003", "NCT00000004"));
    EXPECT_THAT(ids(*searcher_, "AREA[EnrollmentCount]MISSING"), ElementsAre("NCT00000005"));
}

TEST_F(SearchTest, SortingPutsMissingValuesLast) {
    EXPECT_THAT(ids(*searcher_, "", 10, "start:asc"),
                ElementsAre("NCT00000002", "NCT00000001", "NCT00000003", "NCT00000004",
                            "NCT00000005"));
    EXPECT_THAT(ids(*searcher_, "", 10, "start:desc"),
                ElementsAre("NCT00000004", "NCT00000003", "NCT00000001", "NCT00000002",
                            "NCT00000005"));
    EXPECT_THAT(ids(*searcher_, "", 10, "enrollment"),
                ElementsAre("NCT00000001", "NCT00000004", "NCT00000002", "NCT00000003",
                            "NCT00000005"));
    EXPECT_THROW((void)ids(*searcher_, "", 10, "colour"), QueryError);
}

TEST_F(SearchTest, FacetCountsAreExactAndDisjunctive) {
    search::SearchRequest r;
    r.query = "status:recruiting";
    r.facets = {"status", "phase", "country"};
    const auto resp = searcher_->search(r);
    EXPECT_EQ(resp.total, 2u);
    ASSERT_EQ(resp.facets.size(), 3u);
    std::map<std::string, std::uint64_t> status, phase, country;
    for (const auto& v : resp.facets[0].second) status[v.value] = v.count;
    for (const auto& v : resp.facets[1].second) phase[v.value] = v.count;
    for (const auto& v : resp.facets[2].second) country[v.value] = v.count;
    // status ignores its own filter: every status of the whole index.
    EXPECT_EQ(status, (std::map<std::string, std::uint64_t>{{"RECRUITING", 2},
                                                             {"COMPLETED", 1},
                                                             {"ACTIVE_NOT_RECRUITING", 1},
                                                             {"NOT_YET_RECRUITING", 1}}));
    // phase counts the two recruiting trials, multi-valued per phase.
    EXPECT_EQ(phase, (std::map<std::string, std::uint64_t>{
                         {"PHASE1", 1}, {"PHASE2", 1}, {"PHASE3", 1}}));
    EXPECT_EQ(country,
              (std::map<std::string, std::uint64_t>{{"Sweden", 1}, {"France", 1}}));
}

// Facet counts come from the columns trials-index stores with its last commit; once another
// commit makes them stale they come from the value slots, with the same counts.
TEST_F(SearchTest, FacetColumnsAreStoredWithTheLastCommitAndUsedWhileCurrent) {
    auto counts = [](search::Searcher& s, const std::string& q, std::size_t which) {
        search::SearchRequest r;
        r.query = q;
        r.facets = {"status", "phase", "country"};
        std::map<std::string, std::uint64_t> out;
        const auto resp = s.search(r);
        for (const auto& v : resp.facets.at(which).second) out[v.value] = v.count;
        return out;
    };
    const auto& status = analysis::facet(analysis::Facet::Status);
    Xapian::docid crohn = 0;
    {
        Xapian::Database db((dir_ / "db").string());
        crohn = *db.postlist_begin(std::string(analysis::kIdPrefix) + "NCT00000002");
        for (const auto& f : analysis::facets()) {
            EXPECT_TRUE(analysis::load_facet_column(db, f.slot).has_value()) << f.name;
        }
        const auto column = analysis::load_facet_column(db, status.slot);
        ASSERT_TRUE(column.has_value());
        ASSERT_LT(crohn, column->codes.size());
        EXPECT_EQ(column->values.at(column->codes[crohn] - 1), "COMPLETED");
    }
    const auto expected_status = std::map<std::string, std::uint64_t>{
        {"RECRUITING", 2}, {"COMPLETED", 1}, {"ACTIVE_NOT_RECRUITING", 1},
        {"NOT_YET_RECRUITING", 1}};
    EXPECT_EQ(counts(*searcher_, "", 0), expected_status);
    EXPECT_EQ(counts(*searcher_, "karolinska", 2),
              (std::map<std::string, std::uint64_t>{{"Sweden", 2}}));

    // A column stamped for the next commit is what the searcher counts with: here a made-up one
    // that calls every study TERMINATED.
    searcher_.reset();
    {
        Xapian::WritableDatabase w((dir_ / "db").string(), Xapian::DB_OPEN);
        analysis::FacetColumn fake;
        fake.values = {"TERMINATED"};
        fake.codes.assign(w.get_lastdocid() + 1, 1);
        w.set_metadata(analysis::kFacetColumnMetadataPrefix + std::to_string(status.slot),
                       analysis::encode_facet_column(fake, w.get_uuid(), w.get_revision() + 1));
        w.commit();
    }
    {
        search::Searcher s(dir_ / "db");
        EXPECT_EQ(counts(s, "", 0), (std::map<std::string, std::uint64_t>{{"TERMINATED", 5}}));
    }
    // Any later commit leaves the columns stale: counted from the slots, the true counts.
    {
        Xapian::WritableDatabase w((dir_ / "db").string(), Xapian::DB_OPEN);
        w.set_metadata("another-program", "was here");
        w.commit();
        EXPECT_FALSE(analysis::load_facet_column(w, status.slot).has_value());
    }
    {
        search::Searcher s(dir_ / "db");
        EXPECT_EQ(counts(s, "", 0), expected_status);
        EXPECT_EQ(counts(s, "karolinska", 2), (std::map<std::string, std::uint64_t>{{"Sweden", 2}}));
    }
    // An update stores them again, with the changed study's new status.
    auto s2 = study("NCT00000002", "Vedolizumab in Crohn Disease", "TERMINATED", {"PHASE2"});
    write_file(dir_ / "in2/s2.json", s2.dump());
    const auto stats = index_paths(dir_ / "db", {dir_ / "in2"});
    EXPECT_EQ(stats.updated, 1u);
    {
        Xapian::Database db((dir_ / "db").string());
        const auto column = analysis::load_facet_column(db, status.slot);
        ASSERT_TRUE(column.has_value());
        const Xapian::docid now =
            *db.postlist_begin(std::string(analysis::kIdPrefix) + "NCT00000002");
        EXPECT_EQ(column->values.at(column->codes.at(now) - 1), "TERMINATED");
    }
    search::Searcher s(dir_ / "db");
    EXPECT_EQ(counts(s, "", 0), (std::map<std::string, std::uint64_t>{{"RECRUITING", 2},
                                                                     {"TERMINATED", 1},
                                                                     {"ACTIVE_NOT_RECRUITING", 1},
                                                                     {"NOT_YET_RECRUITING", 1}}));
}

TEST_F(SearchTest, CursorWalkReturnsEveryMatchOnce) {
    search::SearchRequest r;
    r.limit = 2;
    r.sort = "start";
    std::vector<std::string> seen;
    for (int page = 0; page < 10; ++page) {
        const auto resp = searcher_->search(r);
        for (const auto& h : resp.hits) seen.push_back(h.nct_id);
        if (!resp.next_cursor) break;
        r.cursor = resp.next_cursor;
    }
    EXPECT_THAT(seen, ElementsAre("NCT00000004", "NCT00000003", "NCT00000001", "NCT00000002",
                                  "NCT00000005"));
    r.cursor = "2-bogus";
    EXPECT_THROW((void)searcher_->search(r), QueryError);
}

TEST_F(SearchTest, SnippetsHighlightTheMatchingField) {
    search::SearchRequest r;
    r.query = "stromal";
    const auto resp = searcher_->search(r);
    ASSERT_EQ(resp.hits.size(), 1u);
    EXPECT_NE(resp.hits[0].snippet.find("\x01stromal\x02"), std::string::npos)
        << resp.hits[0].snippet;
}

TEST_F(SearchTest, QueryErrorsAreOneLine) {
    EXPECT_THROW((void)ids(*searcher_, "\"unterminated"), QueryError);
    EXPECT_THROW((void)ids(*searcher_, "AREA[NoSuchArea]x"), QueryError);
    EXPECT_THROW((void)ids(*searcher_, "start:yesterday"), QueryError);
    EXPECT_THROW((void)ids(*searcher_, "(asthma"), QueryError);
    EXPECT_THROW((void)ids(*searcher_, "asthma)"), QueryError);
    EXPECT_THROW((void)ids(*searcher_, "EXPANSION[Sideways]asthma"), QueryError);
}

TEST_F(SearchTest, ReindexingReplacesChangedStudiesOnly) {
    auto s2 = study("NCT00000002", "Etrolizumab in Crohn Disease", "COMPLETED", {"PHASE2"});
    write_file(dir_ / "in2/s2.json", s2.dump());
    searcher_.reset();
    const auto stats = index_paths(dir_ / "db", {dir_ / "in2"});
    EXPECT_EQ(stats.updated, 1u);
    EXPECT_EQ(stats.added, 0u);
    EXPECT_EQ(stats.doc_count, 5u);
    search::Searcher s(dir_ / "db");
    EXPECT_THAT(ids(s, "etrolizumab"), ElementsAre("NCT00000002"));
    EXPECT_THAT(ids(s, "title:vedolizumab"), ElementsAre());
    // The same input again changes nothing.
    const auto again = index_paths(dir_ / "db", {dir_ / "in2"});
    EXPECT_EQ(again.unchanged, 1u);
    EXPECT_EQ(again.updated, 0u);
}

TEST(IndexRun, BadRecordsAreReportedAndTheRestIndexed) {
    TempDir dir;
    write_file(dir / "in/good.json", study("NCT00000011", "Good Study").dump());
    write_file(dir / "in/bad.json", "{\"protocolSection\": {");
    write_file(dir / "in/noid.json", study("", "No Id").dump());
    std::vector<std::string> errors;
    const auto stats = index_paths(dir / "db", {dir / "in"}, &errors);
    EXPECT_EQ(stats.added, 1u);
    EXPECT_EQ(stats.rejected, 2u);
    ASSERT_EQ(errors.size(), 2u);
    const std::string all = errors[0] + "\n" + errors[1];
    EXPECT_NE(all.find("bad.json"), std::string::npos) << all;
    EXPECT_NE(all.find("noid.json"), std::string::npos) << all;
}

TEST(IndexRun, MissingDatabaseIsAClearError) {
    TempDir dir;
    EXPECT_THROW(search::Searcher(dir / "nope"), IndexError);
}

}  // namespace
}  // namespace trials::testing
