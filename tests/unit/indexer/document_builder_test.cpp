// Unit tests of the document builder: id term, facet terms and slots, numeric slots, MeSH id
// terms, stored data, fingerprints and shard assignment.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "trials/analysis/schema.hpp"
#include "trials/indexer/document_builder.hpp"

namespace trials::indexer {
namespace {

records::Study sample() {
    records::Study s;
    s.nct_id = "NCT04447833";
    s.brief_title = "Mesenchymal Stromal Cell Therapy For ARDS";
    s.overall_status = "ACTIVE_NOT_RECRUITING";
    s.phases = {"PHASE1", "PHASE2"};
    s.study_type = "INTERVENTIONAL";
    s.conditions = {"ARDS, Human", "COVID"};
    s.locations = {{"Karolinska", "Stockholm", "", "", "Sweden", ""},
                   {"Site B", "Lund", "", "", "Sweden", ""}};
    s.start_date = {2020, 6, 17};
    s.enrollment = 7;
    s.minimum_age_years = 18;
    s.condition_mesh = {{"D012128", "Respiratory Distress Syndrome"}};
    s.condition_mesh_ancestors = {{"D012140", "Respiratory Tract Diseases"}};
    return s;
}

bool has_term(const Xapian::Document& d, const std::string& t) {
    auto it = d.termlist_begin();
    it.skip_to(t);
    return it != d.termlist_end() && *it == t;
}

TEST(DocumentBuilder, TermsSlotsAndData) {
    analysis::AnalyzerRegistry registry;
    DocumentBuilder b(registry, nullptr);
    const auto doc = b.build(sample());
    EXPECT_TRUE(has_term(doc, "QNCT04447833"));
    EXPECT_TRUE(has_term(doc, "XFstatus:active_not_recruiting"));
    EXPECT_TRUE(has_term(doc, "XFphase:phase1"));
    EXPECT_TRUE(has_term(doc, "XFphase:phase2"));
    EXPECT_TRUE(has_term(doc, "XFcountry:sweden"));
    EXPECT_TRUE(has_term(doc, "XMD:D012128"));
    EXPECT_TRUE(has_term(doc, "XMDX:D012128"));
    EXPECT_TRUE(has_term(doc, "XMD:D012140"));
    EXPECT_FALSE(has_term(doc, "XMDX:D012140"));
    EXPECT_TRUE(has_term(doc, "XTstromal"));
    EXPECT_TRUE(has_term(doc, "stromal"));
    const auto& phase = analysis::facet(analysis::Facet::Phase);
    EXPECT_EQ(doc.get_value(phase.slot), std::string("PHASE1\x1fPHASE2"));
    const auto& country = analysis::facet(analysis::Facet::Country);
    EXPECT_EQ(doc.get_value(country.slot), "Sweden");  // deduplicated
    EXPECT_EQ(Xapian::sortable_unserialise(doc.get_value(
                  static_cast<Xapian::valueno>(analysis::NumericSlot::StartDate))),
              20200617);
    const auto data = nlohmann::json::parse(doc.get_data());
    EXPECT_EQ(data["nct_id"], "NCT04447833");
    EXPECT_EQ(data["start_date"], "2020-06-17");
    EXPECT_EQ(data["condition_mesh"][0], "Respiratory Distress Syndrome");
}

TEST(DocumentBuilder, FingerprintTracksEveryChange) {
    const auto a = sample();
    auto b = sample();
    EXPECT_EQ(study_fingerprint(a), study_fingerprint(b));
    b.locations[1].city = "Malmo";
    EXPECT_NE(study_fingerprint(a), study_fingerprint(b));
    b = sample();
    b.phases = {"PHASE1"};
    EXPECT_NE(study_fingerprint(a), study_fingerprint(b));
    EXPECT_EQ(fingerprint_hex(0x1234).size(), 16u);
}

TEST(DocumentBuilder, ShardsAreStableAndSpread) {
    EXPECT_EQ(shard_of("NCT04447833", 1), 0u);
    EXPECT_EQ(shard_of("NCT04447833", 4), shard_of("NCT04447833", 4));
    std::vector<int> counts(4);
    for (int i = 0; i < 4000; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "NCT%08d", i * 7919);
        ++counts[shard_of(id, 4)];
    }
    for (int c : counts) EXPECT_GT(c, 800);
}

}  // namespace
}  // namespace trials::indexer

namespace trials::indexer {
namespace {

// Regression: the sort keys append the NCT id to a sortable_serialise() value, which is
// variable-length; unpadded, 2020-03-31 sorted before 2020-03-20 (found by the real-data
// cursor walk).
TEST(DocumentBuilder, SortKeysOrderLikeTheirValues) {
    analysis::AnalyzerRegistry registry;
    DocumentBuilder b(registry, nullptr);
    const auto* start = analysis::find_numeric("start");
    ASSERT_NE(start, nullptr);
    std::vector<std::pair<records::PartialDate, std::string>> dates = {
        {{2020, 3, 20}, "NCT00000009"}, {{2020, 3, 31}, "NCT00000001"},
        {{2020, 3, 0}, "NCT00000005"},  {{2019, 12, 1}, "NCT00000007"},
        {{2021, 0, 0}, "NCT00000003"},  {{0, 0, 0}, "NCT00000002"}};
    std::vector<std::pair<std::string, std::string>> asc, desc;
    for (const auto& [d, id] : dates) {
        records::Study s;
        s.nct_id = id;
        s.start_date = d;
        const auto doc = b.build(s);
        asc.emplace_back(doc.get_value(start->sort_base + 1), id);
        desc.emplace_back(doc.get_value(start->sort_base + 2), id);
    }
    std::sort(asc.begin(), asc.end());
    std::sort(desc.rbegin(), desc.rend());
    std::vector<std::string> asc_ids, desc_ids;
    for (const auto& [k, id] : asc) asc_ids.push_back(id);
    for (const auto& [k, id] : desc) desc_ids.push_back(id);
    EXPECT_EQ(asc_ids, (std::vector<std::string>{"NCT00000007", "NCT00000005", "NCT00000009",
                                                 "NCT00000001", "NCT00000003", "NCT00000002"}));
    EXPECT_EQ(desc_ids, (std::vector<std::string>{"NCT00000003", "NCT00000001", "NCT00000009",
                                                  "NCT00000005", "NCT00000007", "NCT00000002"}));
}

}  // namespace
}  // namespace trials::indexer
