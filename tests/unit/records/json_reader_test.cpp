// parse_document() on the hand-written JSON fixtures: an API v2 study with every mapped field,
// an array, an API page, NDJSON with bad lines, the classic v1 shape, and the error cases.
#include <gtest/gtest.h>

#include <thread>

#include "records_test_util.hpp"
#include "trials/records/normalize.hpp"

namespace trials::records {
namespace {

using testing::parse_bytes;
using testing::parse_fixture;
using V = std::vector<std::string>;

TEST(JsonReader, V2StudyMapsEveryField) {
    const ParseResult r = parse_fixture("v2_study.json", Format::Json);
    ASSERT_TRUE(r.errors.empty()) << testing::describe(r.errors);
    ASSERT_EQ(r.studies.size(), 1u);
    EXPECT_EQ(r.studies[0].origin, "v2_study.json");
    const Study& s = r.studies[0].study;
    EXPECT_EQ(s.nct_id, "NCT90000001");
    EXPECT_EQ(s.brief_title, "Inhaled Budesonide for COVID-19 Pneumonia");
    EXPECT_EQ(s.official_title,
              "A Randomised Trial of Inhaled Budesonide in Adults With COVID-19 Pneumonia");
    EXPECT_EQ(s.acronym, "TS-BUD");
    EXPECT_EQ(s.org_study_id, "TS-2020-001");
    EXPECT_EQ(s.secondary_ids, (V{"2020-000001-11", "R01CA000001"}));
    EXPECT_EQ(s.overall_status, "ACTIVE_NOT_RECRUITING");
    EXPECT_EQ(s.start_date, (PartialDate{2020, 6, 17}));
    EXPECT_EQ(s.primary_completion_date, (PartialDate{2021, 3, 0}));
    EXPECT_EQ(s.completion_date, (PartialDate{2022, 0, 0}));
    EXPECT_EQ(s.first_posted, (PartialDate{2020, 5, 2}));
    EXPECT_EQ(s.last_update_posted, (PartialDate{2021, 11, 30}));
    EXPECT_EQ(s.lead_sponsor, "Test Hospital Trust");
    EXPECT_EQ(s.lead_sponsor_class, "OTHER");
    EXPECT_EQ(s.collaborators, (V{"National Institute of Testing", "Pharma Co"}));
    EXPECT_EQ(s.brief_summary, "Budesonide given by inhaler to adults with COVID-19 pneumonia.");
    EXPECT_EQ(s.detailed_description, "Line one.\nLine two.");
    EXPECT_EQ(s.conditions, (V{"COVID-19", "Pneumonia, Viral"}));
    EXPECT_EQ(s.keywords, (V{"SARS-CoV-2", "inhaled corticosteroid"}));
    EXPECT_EQ(s.study_type, "INTERVENTIONAL");
    EXPECT_EQ(s.phases, (V{"PHASE2", "PHASE3"}));
    EXPECT_EQ(s.allocation, "RANDOMIZED");
    EXPECT_EQ(s.intervention_model, "PARALLEL");
    EXPECT_EQ(s.primary_purpose, "TREATMENT");
    EXPECT_EQ(s.masking, "DOUBLE");
    EXPECT_EQ(s.enrollment, 146);
    EXPECT_EQ(s.enrollment_type, "ACTUAL");
    ASSERT_EQ(s.arm_groups.size(), 2u);
    EXPECT_EQ(s.arm_groups[0].label, "Budesonide");
    EXPECT_EQ(s.arm_groups[0].type, "EXPERIMENTAL");
    EXPECT_EQ(s.arm_groups[0].description, "800 micrograms twice daily");
    EXPECT_EQ(s.arm_groups[0].intervention_names, (V{"Drug: Budesonide"}));
    EXPECT_EQ(s.arm_groups[1].type, "NO_INTERVENTION");
    ASSERT_EQ(s.interventions.size(), 1u);
    EXPECT_EQ(s.interventions[0].type, "DRUG");
    EXPECT_EQ(s.interventions[0].name, "Budesonide");
    EXPECT_EQ(s.interventions[0].description, "Dry powder inhaler");
    EXPECT_EQ(s.interventions[0].other_names, (V{"Pulmicort"}));
    EXPECT_EQ(s.interventions[0].arm_group_labels, (V{"Budesonide"}));
    ASSERT_EQ(s.primary_outcomes.size(), 1u);
    EXPECT_EQ(s.primary_outcomes[0].measure, "Urgent care visit or hospitalisation");
    EXPECT_EQ(s.primary_outcomes[0].description, "Any COVID-19 related visit");
    EXPECT_EQ(s.primary_outcomes[0].time_frame, "28 days");
    EXPECT_EQ(s.secondary_outcomes.size(), 2u);
    ASSERT_EQ(s.other_outcomes.size(), 1u);
    EXPECT_EQ(s.other_outcomes[0].measure, "Viral load");
    EXPECT_EQ(s.eligibility_criteria,
              "Inclusion Criteria:\n\n* Age >= 18 years\n\nExclusion Criteria:\n\n* Known allergy "
              "to budesonide");
    EXPECT_EQ(s.sex, "ALL");
    EXPECT_EQ(s.healthy_volunteers, false);
    EXPECT_EQ(s.minimum_age, "18 Years");
    EXPECT_EQ(s.maximum_age, "80 Years");
    EXPECT_EQ(s.minimum_age_years, 18.0);
    EXPECT_EQ(s.maximum_age_years, 80.0);
    EXPECT_EQ(s.std_ages, (V{"ADULT", "OLDER_ADULT"}));
    ASSERT_EQ(s.locations.size(), 2u);
    EXPECT_EQ(s.locations[0].facility, "Test Hospital");
    EXPECT_EQ(s.locations[0].city, "Oxford");
    EXPECT_EQ(s.locations[0].state, "Oxfordshire");
    EXPECT_EQ(s.locations[0].zip, "OX3 9DU");
    EXPECT_EQ(s.locations[0].country, "United Kingdom");
    EXPECT_EQ(s.locations[0].status, "RECRUITING");
    EXPECT_EQ(s.locations[1].facility, "Clinique \xC3\x89ole");
    EXPECT_EQ(s.locations[1].status, "");
    EXPECT_EQ(s.condition_mesh,
              (std::vector<MeshTerm>{{"D000086382", "COVID-19"}, {"D011024", "Pneumonia, Viral"}}));
    EXPECT_EQ(s.condition_mesh_ancestors,
              (std::vector<MeshTerm>{{"D012140", "Respiratory Tract Diseases"}}));
    EXPECT_EQ(s.intervention_mesh, (std::vector<MeshTerm>{{"D019819", "Budesonide"}}));
    EXPECT_EQ(s.intervention_mesh_ancestors,
              (std::vector<MeshTerm>{{"D000893", "Anti-Inflammatory Agents"}}));
    EXPECT_TRUE(s.has_results);
}

TEST(JsonReader, SniffsJsonWhenFormatUnknown) {
    const ParseResult r = parse_fixture("v2_study.json", Format::Unknown);
    ASSERT_EQ(r.studies.size(), 1u);
    EXPECT_EQ(r.studies[0].study.nct_id, "NCT90000001");
}

TEST(JsonReader, ArrayOfStudiesComputesStdAges) {
    const ParseResult r = parse_fixture("v2_array.json");
    ASSERT_TRUE(r.errors.empty()) << testing::describe(r.errors);
    ASSERT_EQ(r.studies.size(), 2u);
    EXPECT_EQ(r.studies[0].origin, "v2_array.json:study 1");
    EXPECT_EQ(r.studies[1].origin, "v2_array.json:study 2");
    const Study& a = r.studies[0].study;
    EXPECT_EQ(a.nct_id, "NCT90000011");
    EXPECT_EQ(a.overall_status, "RECRUITING");
    EXPECT_EQ(a.sex, "FEMALE");
    EXPECT_NEAR(a.minimum_age_years.value_or(-1), 0.5, 1e-12);
    EXPECT_EQ(a.std_ages, (V{"CHILD"}));  // not in the record: computed from 6 Months..17 Years
    EXPECT_FALSE(a.has_results);
    const Study& b = r.studies[1].study;
    EXPECT_EQ(b.overall_status, "COMPLETED");
    EXPECT_EQ(b.study_type, "OBSERVATIONAL");
    EXPECT_TRUE(b.std_ages.empty());  // no eligibility section: nothing to compute from
}

TEST(JsonReader, ApiPageKeepsGoodStudiesAndRejectsTheOneWithoutId) {
    const ParseResult r = parse_fixture("v2_page.json");
    ASSERT_EQ(r.studies.size(), 2u);
    EXPECT_EQ(r.studies[0].study.nct_id, "NCT90000021");
    EXPECT_EQ(r.studies[0].study.phases, (V{"EARLY_PHASE1"}));
    EXPECT_EQ(r.studies[1].study.nct_id, "NCT90000023");
    EXPECT_EQ(r.studies[1].study.phases, (V{"NA"}));
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].origin, "v2_page.json:study 2");
    EXPECT_EQ(r.errors[0].reason, "missing NCT id");
    EXPECT_EQ(r.errors[0].to_string(), "v2_page.json:study 2: missing NCT id");
}

TEST(JsonReader, NdjsonBadLinesAreRejectedWithTheirLineNumbers) {
    for (const Format f : {Format::Ndjson, Format::Unknown, Format::Json}) {
        const ParseResult r = parse_fixture("studies.ndjson", f);
        ASSERT_EQ(r.studies.size(), 2u);
        EXPECT_EQ(r.studies[0].study.nct_id, "NCT90000031");
        EXPECT_EQ(r.studies[0].origin, "studies.ndjson:line 1");
        EXPECT_EQ(r.studies[1].study.nct_id, "NCT90000035");
        EXPECT_EQ(r.studies[1].origin, "studies.ndjson:line 5");
        EXPECT_TRUE(r.studies[1].study.has_results);
        ASSERT_EQ(r.errors.size(), 2u);
        EXPECT_EQ(r.errors[0].origin, "studies.ndjson:line 3");
        EXPECT_EQ(r.errors[0].reason.rfind("JSON syntax error: ", 0), 0u) << r.errors[0].reason;
        EXPECT_EQ(r.errors[1].origin, "studies.ndjson:line 4");
        EXPECT_EQ(r.errors[1].reason, "malformed NCT id 'NCT9000004'");
    }
}

TEST(JsonReader, NdjsonChunkLineNumbersStartAtFirstLine) {
    RawDocument doc{"big.ndjson", "\n{\"protocolSection\":{}}\n", Format::Ndjson, 41};
    const ParseResult r = parse_document(doc);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].origin, "big.ndjson:line 42");
    EXPECT_EQ(r.errors[0].reason, "missing NCT id");
}

TEST(JsonReader, NdjsonInvalidUtf8LineIsOneError) {
    std::string text =
        "{\"protocolSection\":{\"identificationModule\":{\"nctId\":\"NCT90000081\"}}}\n";
    text += "{\"protocolSection\":{\"identificationModule\":{\"nctId\":\"NCT90000082\",";
    text += "\"briefTitle\":\"bad \xC3\x28 byte\"}}}\n";
    const ParseResult r = parse_bytes(text, Format::Ndjson, "u.ndjson");
    ASSERT_EQ(r.studies.size(), 1u);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].origin, "u.ndjson:line 2");
    EXPECT_EQ(r.errors[0].reason.rfind("invalid UTF-8 at byte ", 0), 0u) << r.errors[0].reason;
}

TEST(JsonReader, ClassicV1Response) {
    const ParseResult r = parse_fixture("v1_study.json");
    ASSERT_TRUE(r.errors.empty()) << testing::describe(r.errors);
    ASSERT_EQ(r.studies.size(), 1u);
    const Study& s = r.studies[0].study;
    EXPECT_EQ(s.nct_id, "NCT90000071");
    EXPECT_EQ(s.org_study_id, "V1-71");
    EXPECT_EQ(s.secondary_ids, (V{"S-71"}));
    EXPECT_EQ(s.acronym, "CLASSIC");
    EXPECT_EQ(s.overall_status, "NOT_YET_RECRUITING");
    EXPECT_EQ(s.start_date, (PartialDate{2021, 3, 9}));
    EXPECT_EQ(s.completion_date, (PartialDate{2022, 7, 0}));
    EXPECT_EQ(s.lead_sponsor, "Classic Foods");
    EXPECT_EQ(s.lead_sponsor_class, "INDUSTRY");
    EXPECT_EQ(s.collaborators, (V{"Classic University"}));
    EXPECT_EQ(s.conditions, (V{"Anxiety"}));
    EXPECT_EQ(s.keywords, (V{"probiotic"}));
    EXPECT_EQ(s.phases, (V{"NA"}));
    EXPECT_EQ(s.intervention_model, "CROSSOVER");
    EXPECT_EQ(s.primary_purpose, "SUPPORTIVE_CARE");
    EXPECT_EQ(s.masking, "QUADRUPLE");
    EXPECT_EQ(s.enrollment, 60);
    EXPECT_EQ(s.enrollment_type, "ESTIMATED");
    ASSERT_EQ(s.arm_groups.size(), 1u);
    EXPECT_EQ(s.arm_groups[0].type, "ACTIVE_COMPARATOR");
    EXPECT_EQ(s.arm_groups[0].intervention_names, (V{"Other: Fermented milk"}));
    ASSERT_EQ(s.interventions.size(), 1u);
    EXPECT_EQ(s.interventions[0].type, "OTHER");
    EXPECT_EQ(s.interventions[0].other_names, (V{"Yoghurt"}));
    EXPECT_EQ(s.interventions[0].arm_group_labels, (V{"Test"}));
    ASSERT_EQ(s.primary_outcomes.size(), 1u);
    EXPECT_EQ(s.primary_outcomes[0].time_frame, "4 weeks");
    EXPECT_EQ(s.healthy_volunteers, true);
    EXPECT_EQ(s.sex, "FEMALE");
    EXPECT_EQ(s.std_ages, (V{"ADULT"}));
    ASSERT_EQ(s.locations.size(), 1u);
    EXPECT_EQ(s.locations[0].status, "NOT_YET_RECRUITING");
    EXPECT_EQ(s.locations[0].city, "Ghent");
    EXPECT_EQ(s.condition_mesh, (std::vector<MeshTerm>{{"D001008", "Anxiety Disorders"}}));
    EXPECT_EQ(s.condition_mesh_ancestors, (std::vector<MeshTerm>{{"D001523", "Mental Disorders"}}));
    EXPECT_FALSE(s.has_results);
}

TEST(JsonReader, MalformedJsonIsReportedWithTheParserReason) {
    const ParseResult r = parse_fixture("malformed.json");
    EXPECT_TRUE(r.studies.empty());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].origin, "malformed.json");
    EXPECT_EQ(r.errors[0].reason.rfind("JSON syntax error: ", 0), 0u) << r.errors[0].reason;
    EXPECT_GT(r.errors[0].reason.size(), std::string("JSON syntax error: ").size());
}

TEST(JsonReader, MissingAndMalformedNctId) {
    ParseResult r = parse_fixture("missing_nct.json");
    EXPECT_TRUE(r.studies.empty());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].reason, "missing NCT id");

    r = parse_bytes(R"({"protocolSection":{"identificationModule":{"nctId":"NCT1234"}}})");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].reason, "malformed NCT id 'NCT1234'");
    EXPECT_EQ(r.errors[0].to_string(), "mem: malformed NCT id 'NCT1234'");
}

TEST(JsonReader, InvalidUtf8IsRejectedWithItsOffset) {
    std::string text = testing::slurp(testing::fixture("v2_study.json"));
    const std::size_t at = text.find("Budesonide");
    ASSERT_NE(at, std::string::npos);
    text[at] = '\xFF';
    const ParseResult r = parse_bytes(text, Format::Json);
    EXPECT_TRUE(r.studies.empty());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].reason, "invalid UTF-8 at byte " + std::to_string(at));
}

TEST(JsonReader, NotAStudyAndEmptyDocuments) {
    ParseResult r = parse_bytes(R"({"hello": "world"})");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].reason, "not a ClinicalTrials.gov study: no protocolSection");
    r = parse_bytes("   \n");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].reason, "empty document");
    r = parse_bytes("hello");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].reason, "unrecognised content (neither JSON nor XML)");
    r = parse_bytes(R"({"studies": []})");
    EXPECT_TRUE(r.studies.empty());
    EXPECT_TRUE(r.errors.empty());
}

TEST(JsonReader, ByteOrderMarkIsSkipped) {
    const ParseResult r =
        parse_bytes("\xEF\xBB\xBF" + testing::slurp(testing::fixture("v2_study.json")));
    ASSERT_EQ(r.studies.size(), 1u);
    EXPECT_TRUE(r.errors.empty());
}

TEST(JsonReader, ParsesConcurrentlyFromSeveralThreads) {
    const std::string v2 = testing::slurp(testing::fixture("v2_study.json"));
    const std::string nd = testing::slurp(testing::fixture("studies.ndjson"));
    std::vector<std::thread> threads;
    std::vector<int> ok(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                const ParseResult a = parse_bytes(v2, Format::Json);
                const ParseResult b = parse_bytes(nd, Format::Ndjson);
                if (a.studies.size() == 1 && a.studies[0].study.enrollment == 146 &&
                    b.studies.size() == 2 && b.errors.size() == 2) {
                    ++ok[static_cast<std::size_t>(t)];
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    for (const int n : ok) EXPECT_EQ(n, 200);
}

}  // namespace
}  // namespace trials::records
