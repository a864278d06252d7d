// parse_document() on legacy <clinical_study> XML: the hand-written fixture (every mapped field,
// legacy spellings, wrapped textblocks), malformed XML, a missing id, invalid UTF-8.
#include <gtest/gtest.h>

#include "records_test_util.hpp"

namespace trials::records {
namespace {

using testing::parse_bytes;
using testing::parse_fixture;
using V = std::vector<std::string>;

TEST(XmlReader, LegacyStudyMapsEveryField) {
    const ParseResult r = parse_fixture("legacy_study.xml", Format::LegacyXml);
    ASSERT_TRUE(r.errors.empty()) << testing::describe(r.errors);
    ASSERT_EQ(r.studies.size(), 1u);
    const Study& s = r.studies[0].study;
    EXPECT_EQ(s.nct_id, "NCT90000051");
    EXPECT_EQ(s.org_study_id, "LEG-51");
    EXPECT_EQ(s.secondary_ids, (V{"EU-CT-51", "ANZ-51"}));
    EXPECT_EQ(s.brief_title, "Hydroxychloroquine in Adults & Teenagers With COVID-19");
    EXPECT_EQ(s.official_title, "A Test Record   With Odd Spacing");  // not a textblock
    EXPECT_EQ(s.acronym, "HCQ-T");
    EXPECT_EQ(s.lead_sponsor, "U.S. Test Agency");
    EXPECT_EQ(s.lead_sponsor_class, "FED");
    EXPECT_EQ(s.collaborators, (V{"Test University"}));
    EXPECT_EQ(s.brief_summary,
              "This study tests whether hydroxychloroquine shortens the illness of adults with "
              "COVID-19.\n\nA second paragraph, with spaces.");
    EXPECT_EQ(s.detailed_description, "Participants are randomised 1:1.");
    EXPECT_EQ(s.overall_status, "ACTIVE_NOT_RECRUITING");
    EXPECT_EQ(s.start_date, (PartialDate{2020, 4, 3}));
    EXPECT_EQ(s.completion_date, (PartialDate{2021, 12, 0}));
    EXPECT_EQ(s.primary_completion_date, (PartialDate{2020, 6, 0}));
    EXPECT_EQ(s.first_posted, (PartialDate{2020, 4, 9}));
    EXPECT_EQ(s.last_update_posted, (PartialDate{2021, 1, 5}));
    EXPECT_EQ(s.phases, (V{"PHASE2", "PHASE3"}));
    EXPECT_EQ(s.study_type, "INTERVENTIONAL");
    EXPECT_EQ(s.allocation, "RANDOMIZED");
    EXPECT_EQ(s.intervention_model, "PARALLEL");
    EXPECT_EQ(s.primary_purpose, "ECT");
    EXPECT_EQ(s.masking, "QUADRUPLE");
    EXPECT_EQ(s.enrollment, 440);
    EXPECT_EQ(s.enrollment_type, "ESTIMATED");
    EXPECT_EQ(s.conditions, (V{"COVID-19", "SARS-CoV-2 Infection"}));
    EXPECT_EQ(s.keywords, (V{"hydroxychloroquine", "coronavirus"}));
    ASSERT_EQ(s.arm_groups.size(), 2u);
    EXPECT_EQ(s.arm_groups[0].label, "Hydroxychloroquine");
    EXPECT_EQ(s.arm_groups[0].type, "EXPERIMENTAL");
    EXPECT_EQ(s.arm_groups[0].description, "400 mg twice on day 1,\nthen 200 mg twice daily");
    EXPECT_EQ(s.arm_groups[0].intervention_names, (V{"Drug: Hydroxychloroquine"}));
    EXPECT_EQ(s.arm_groups[1].type, "PLACEBO_COMPARATOR");
    EXPECT_EQ(s.arm_groups[1].intervention_names, (V{"Dietary Supplement: Placebo tablet"}));
    ASSERT_EQ(s.interventions.size(), 2u);
    EXPECT_EQ(s.interventions[0].type, "DRUG");
    EXPECT_EQ(s.interventions[0].name, "Hydroxychloroquine");
    EXPECT_EQ(s.interventions[0].description, "Tablets");
    EXPECT_EQ(s.interventions[0].other_names, (V{"Plaquenil", "HCQ"}));
    EXPECT_EQ(s.interventions[0].arm_group_labels, (V{"Hydroxychloroquine"}));
    EXPECT_EQ(s.interventions[1].type, "DIETARY_SUPPLEMENT");
    ASSERT_EQ(s.primary_outcomes.size(), 1u);
    EXPECT_EQ(s.primary_outcomes[0].measure, "Days to clinical recovery");
    EXPECT_EQ(s.primary_outcomes[0].time_frame, "28 days");
    EXPECT_EQ(s.primary_outcomes[0].description, "Time to resolution of fever and cough");
    ASSERT_EQ(s.secondary_outcomes.size(), 1u);
    EXPECT_EQ(s.secondary_outcomes[0].description, "");
    ASSERT_EQ(s.other_outcomes.size(), 1u);
    EXPECT_EQ(s.other_outcomes[0].measure, "QTc prolongation");
    EXPECT_EQ(s.eligibility_criteria,
              "Inclusion Criteria:\n\n- Positive SARS-CoV-2 test within 4 days, confirmed by a "
              "laboratory approved by the sponsor\n\n- Age 12 years or older\n\nExclusion "
              "Criteria:\n- QTc above 500 ms\n- Pregnancy");
    EXPECT_EQ(s.sex, "ALL");
    EXPECT_EQ(s.minimum_age, "12 Years");
    EXPECT_EQ(s.maximum_age, "N/A");
    EXPECT_EQ(s.minimum_age_years, 12.0);
    EXPECT_EQ(s.maximum_age_years, std::nullopt);
    EXPECT_EQ(s.std_ages, (V{"CHILD", "ADULT", "OLDER_ADULT"}));
    EXPECT_EQ(s.healthy_volunteers, false);
    ASSERT_EQ(s.locations.size(), 2u);
    EXPECT_EQ(s.locations[0].facility, "Test Clinic North");
    EXPECT_EQ(s.locations[0].city, "Boston");
    EXPECT_EQ(s.locations[0].state, "Massachusetts");
    EXPECT_EQ(s.locations[0].zip, "02114");
    EXPECT_EQ(s.locations[0].country, "United States");
    EXPECT_EQ(s.locations[0].status, "RECRUITING");
    EXPECT_EQ(s.locations[1].facility, "H\xC3\xB4pital d'Essai");
    EXPECT_EQ(s.locations[1].city, "Gen\xC3\xA8ve");
    EXPECT_EQ(s.condition_mesh,
              (std::vector<MeshTerm>{{"", "COVID-19"}, {"", "Pneumonia, Viral"}}));
    EXPECT_EQ(s.intervention_mesh, (std::vector<MeshTerm>{{"", "Hydroxychloroquine"}}));
    EXPECT_TRUE(s.condition_mesh_ancestors.empty());
    EXPECT_TRUE(s.has_results);
}

TEST(XmlReader, SniffedWhenFormatUnknownOrWrong) {
    for (const Format f : {Format::Unknown, Format::Json}) {
        const ParseResult r = parse_fixture("legacy_study.xml", f);
        ASSERT_EQ(r.studies.size(), 1u);
        EXPECT_EQ(r.studies[0].study.nct_id, "NCT90000051");
    }
}

TEST(XmlReader, MalformedXmlIsReportedWithTheParserReason) {
    const ParseResult r = parse_fixture("malformed.xml");
    EXPECT_TRUE(r.studies.empty());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].origin, "malformed.xml");
    EXPECT_EQ(r.errors[0].reason.rfind("XML syntax error at byte ", 0), 0u) << r.errors[0].reason;
    EXPECT_NE(r.errors[0].reason.find("mismatch"), std::string::npos) << r.errors[0].reason;
}

TEST(XmlReader, MissingAndMalformedNctId) {
    ParseResult r = parse_bytes("<clinical_study><brief_title>x</brief_title></clinical_study>");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].reason, "missing NCT id");
    r = parse_bytes(
        "<clinical_study><id_info><nct_id>NCT 00000102</nct_id></id_info>"
        "</clinical_study>");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].reason, "malformed NCT id 'NCT 00000102'");
    r = parse_bytes(
        "<clinical_study><id_info><nct_id> NCT00000102\n</nct_id></id_info>"
        "</clinical_study>");
    ASSERT_EQ(r.studies.size(), 1u);
    EXPECT_EQ(r.studies[0].study.nct_id, "NCT00000102");
}

TEST(XmlReader, WrongRootElement) {
    const ParseResult r = parse_bytes("<?xml version=\"1.0\"?><html><body/></html>");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].reason,
              "not a ClinicalTrials.gov study: root element is <html>, expected <clinical_study>");
}

TEST(XmlReader, InvalidUtf8IsRejected) {
    std::string text = testing::slurp(testing::fixture("legacy_study.xml"));
    const std::size_t at = text.find("Boston");
    ASSERT_NE(at, std::string::npos);
    text.insert(at, "\xE9");  // Latin-1 e-acute, not UTF-8
    const ParseResult r = parse_bytes(text);
    EXPECT_TRUE(r.studies.empty());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].reason, "invalid UTF-8 at byte " + std::to_string(at));
}

TEST(XmlReader, WithheldRecordHasNoStudyType) {
    const ParseResult r = parse_bytes(
        "<clinical_study><id_info><nct_id>NCT90000091</nct_id></id_info>"
        "<overall_status>Withheld</overall_status><study_type>N/A</study_type></clinical_study>");
    ASSERT_EQ(r.studies.size(), 1u);
    EXPECT_EQ(r.studies[0].study.overall_status, "WITHHELD");
    EXPECT_EQ(r.studies[0].study.study_type, "");
    EXPECT_TRUE(r.studies[0].study.std_ages.empty());
    EXPECT_FALSE(r.studies[0].study.has_results);
}

}  // namespace
}  // namespace trials::records
