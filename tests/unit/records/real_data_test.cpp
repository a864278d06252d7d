// The readers against the real ClinicalTrials.gov data in ../shared/data/real (skipped when it is
// absent): record counts, the status and phase spread of the COVID-19 set, and field values
// checked by hand against the source files (grep of the XML, jq of the JSON).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "records_test_util.hpp"
#include "trials/records/normalize.hpp"

namespace trials::records {
namespace {

using V = std::vector<std::string>;

std::filesystem::path real(const std::string& rel) { return testing::shared_data() / rel; }

#define REQUIRE_REAL(rel)                                                                          \
    do {                                                                                           \
        if (!std::filesystem::exists(real(rel))) {                                                 \
            GTEST_SKIP() << "shared real data not found: " << real(rel).string()                   \
                         << " (tests over real ClinicalTrials.gov data need ../shared/data/real)"; \
        }                                                                                          \
    } while (0)

const Study* find(const testing::Collected& c, const std::string& id) {
    for (const auto& s : c.studies) {
        if (s.study.nct_id == id) return &s.study;
    }
    return nullptr;
}

TEST(RealData, ReeseWangLegacyXmlArchive) {
    REQUIRE_REAL("ctgov-xml-reesewang/clinical_studies_xml.tar.gz");
    const auto path = real("ctgov-xml-reesewang/clinical_studies_xml.tar.gz");
    const auto c = testing::collect(path);
    EXPECT_TRUE(c.source_errors.empty()) << testing::describe(c.source_errors);
    EXPECT_TRUE(c.parse_errors.empty()) << testing::describe(c.parse_errors);
    EXPECT_EQ(c.documents.size(), 6786u);
    ASSERT_EQ(c.studies.size(), 6786u);

    std::map<std::string, int> status;
    int with_results = 0;
    for (const auto& s : c.studies) {
        ++status[s.study.overall_status];
        with_results += s.study.has_results ? 1 : 0;
    }
    EXPECT_EQ(status["COMPLETED"], 5665);
    EXPECT_EQ(status["UNKNOWN"], 474);
    EXPECT_EQ(status["TERMINATED"], 385);
    EXPECT_EQ(status["APPROVED_FOR_MARKETING"], 1);
    EXPECT_EQ(with_results, 440);  // files with <clinical_results>

    const Study* s = find(c, "NCT00000102");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(c.studies.front().origin.find(path.string() + ":NCT00"), 0u);
    EXPECT_EQ(s->brief_title,
              "Congenital Adrenal Hyperplasia: Calcium Channels as Therapeutic Targets");
    EXPECT_EQ(s->org_study_id, "NCRR-M01RR01070-0506");
    EXPECT_EQ(s->secondary_ids, (V{"M01RR001070"}));
    EXPECT_EQ(s->lead_sponsor, "National Center for Research Resources (NCRR)");
    EXPECT_EQ(s->lead_sponsor_class, "NIH");
    EXPECT_EQ(s->overall_status, "COMPLETED");
    EXPECT_EQ(s->phases, (V{"PHASE1", "PHASE2"}));
    EXPECT_EQ(s->study_type, "INTERVENTIONAL");
    EXPECT_EQ(s->allocation, "");
    EXPECT_EQ(s->intervention_model, "PARALLEL");
    EXPECT_EQ(s->masking, "DOUBLE");
    EXPECT_EQ(s->conditions, (V{"Congenital Adrenal Hyperplasia"}));
    ASSERT_EQ(s->interventions.size(), 1u);
    EXPECT_EQ(s->interventions[0].type, "DRUG");
    EXPECT_EQ(s->interventions[0].name, "Nifedipine");
    EXPECT_EQ(s->minimum_age_years, 14.0);
    EXPECT_EQ(s->maximum_age_years, 35.0);
    EXPECT_EQ(s->std_ages, (V{"CHILD", "ADULT"}));
    EXPECT_EQ(s->healthy_volunteers, false);
    EXPECT_EQ(s->first_posted, (PartialDate{1999, 11, 4}));
    EXPECT_EQ(s->last_update_posted, (PartialDate{2005, 6, 24}));
    EXPECT_EQ(s->brief_summary.rfind("This study will test the ability of extended release "
                                     "nifedipine (Procardia XL), a blood pressure medication, to",
                                     0),
              0u);
    EXPECT_EQ(s->eligibility_criteria.rfind(
                  "Inclusion Criteria:\n\n- diagnosed with Congenital Adrenal Hyperplasia (CAH)\n\n"
                  "- normal ECG during baseline evaluation\n\nExclusion Criteria:",
                  0),
              0u);
    ASSERT_EQ(s->locations.size(), 1u);
    EXPECT_EQ(s->locations[0].city, "Charleston");
    EXPECT_EQ(s->condition_mesh.size(), 4u);
    EXPECT_EQ(s->condition_mesh[0].term, "Adrenal Hyperplasia, Congenital");
    EXPECT_EQ(s->intervention_mesh, (std::vector<MeshTerm>{{"", "Nifedipine"}}));
    EXPECT_FALSE(s->has_results);
}

TEST(RealData, CovidLegacyXmlArchive) {
    REQUIRE_REAL("ctgov-xml-covid-kaggle/clinical_studies_xml.tar.gz");
    const auto c = testing::collect(real("ctgov-xml-covid-kaggle/clinical_studies_xml.tar.gz"));
    EXPECT_TRUE(c.source_errors.empty()) << testing::describe(c.source_errors);
    EXPECT_TRUE(c.parse_errors.empty()) << testing::describe(c.parse_errors);
    ASSERT_EQ(c.studies.size(), 5020u);

    std::map<std::string, int> status;
    std::map<std::string, int> phases;
    int with_mesh = 0;
    for (const auto& p : c.studies) {
        ++status[p.study.overall_status];
        for (const auto& ph : p.study.phases) ++phases[ph];
        with_mesh += p.study.condition_mesh.empty() ? 0 : 1;
    }
    // SOURCE.md lists ten statuses summing to 5,018; the other two records are
    // "Approved for marketing" (checked with grep).
    const std::map<std::string, int> expected_status = {{"RECRUITING", 2505},
                                                        {"NOT_YET_RECRUITING", 981},
                                                        {"COMPLETED", 760},
                                                        {"ACTIVE_NOT_RECRUITING", 414},
                                                        {"ENROLLING_BY_INVITATION", 170},
                                                        {"WITHDRAWN", 86},
                                                        {"TERMINATED", 50},
                                                        {"SUSPENDED", 23},
                                                        {"AVAILABLE", 22},
                                                        {"NO_LONGER_AVAILABLE", 7},
                                                        {"APPROVED_FOR_MARKETING", 2}};
    EXPECT_EQ(status, expected_status);
    // Phase 2/Phase 3 (180) and Phase 1/Phase 2 (168) count under both phases.
    EXPECT_EQ(phases["NA"], 1128);
    EXPECT_EQ(phases["PHASE2"], 627 + 180 + 168);
    EXPECT_EQ(phases["PHASE3"], 411 + 180);
    EXPECT_EQ(phases["PHASE1"], 207 + 168);
    EXPECT_EQ(phases["PHASE4"], 129);
    EXPECT_EQ(phases["EARLY_PHASE1"], 42);
    EXPECT_EQ(with_mesh, 2966);

    const Study* s = find(c, "NCT04378881");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->org_study_id, "COVID19-TRHC-2020-002");
    EXPECT_EQ(s->lead_sponsor, "Tabula Rasa HealthCare");
    EXPECT_EQ(s->lead_sponsor_class, "INDUSTRY");
    EXPECT_EQ(s->collaborators, (V{"Cambia Health Solutions"}));
    EXPECT_EQ(s->overall_status, "ACTIVE_NOT_RECRUITING");
    EXPECT_EQ(s->study_type, "OBSERVATIONAL");
    EXPECT_TRUE(s->phases.empty());
    EXPECT_EQ(s->start_date, (PartialDate{2020, 6, 1}));
    EXPECT_EQ(s->completion_date, (PartialDate{2021, 4, 30}));
    EXPECT_EQ(s->primary_completion_date, (PartialDate{2020, 12, 30}));
    EXPECT_EQ(s->enrollment, 100);
    EXPECT_EQ(s->enrollment_type, "ESTIMATED");
    EXPECT_EQ(s->conditions, (V{"COVID", "Drug Effect", "Drug Interaction", "Adverse Drug Event"}));
    EXPECT_EQ(s->primary_outcomes.size(), 4u);
    EXPECT_EQ(s->secondary_outcomes.size(), 2u);
    EXPECT_EQ(s->secondary_outcomes[1].time_frame, "One year");
    EXPECT_EQ(s->std_ages, (V{"ADULT", "OLDER_ADULT"}));
    EXPECT_NE(s->eligibility_criteria.find(
                  "- Patients enrolled with Cambia Health Solutions; Medicare/Medicaid or "
                  "Commercial Health Insurance Plan\n\n- Patients with drug claims"),
              std::string::npos)
        << s->eligibility_criteria;

    s = find(c, "NCT04280705");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->brief_title, "Adaptive COVID-19 Treatment Trial (ACTT)");
    EXPECT_EQ(s->lead_sponsor_class, "NIH");
    EXPECT_EQ(s->phases, (V{"PHASE3"}));
    EXPECT_EQ(s->masking, "DOUBLE");
    EXPECT_EQ(s->enrollment, 1062);
    EXPECT_EQ(s->enrollment_type, "ACTUAL");
    ASSERT_EQ(s->arm_groups.size(), 2u);
    EXPECT_EQ(s->arm_groups[1].label, "Remdesivir");
    EXPECT_EQ(s->arm_groups[1].intervention_names, (V{"Drug: Remdesivir"}));
    EXPECT_EQ(s->locations.size(), 60u);
    EXPECT_EQ(s->locations[0].zip, "35233");
    EXPECT_EQ(s->maximum_age_years, 99.0);
    EXPECT_TRUE(s->has_results);
}

TEST(RealData, ApiV2Studies) {
    REQUIRE_REAL("ctgov-api-v2/studies");
    const auto c = testing::collect(real("ctgov-api-v2/studies"));
    EXPECT_TRUE(c.source_errors.empty()) << testing::describe(c.source_errors);
    EXPECT_TRUE(c.parse_errors.empty()) << testing::describe(c.parse_errors);
    ASSERT_EQ(c.studies.size(), 3u);  // two v2 JSON files and the legacy XML of NCT02513394

    const Study* s = find(c, "NCT04267848");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->conditions,
              (V{"Lung Non-Small Cell Carcinoma", "Lung Non-Small Cell Squamous Carcinoma",
                 "Lung Non-Squamous Non-Small Cell Carcinoma", "Stage II Lung Cancer AJCC v8",
                 "Stage IIIA Lung Cancer AJCC v8", "Stage IIIB Lung Cancer AJCC v8"}));
    EXPECT_EQ(s->phases, (V{"PHASE3"}));
    EXPECT_EQ(s->overall_status, "RECRUITING");
    EXPECT_EQ(s->start_date, (PartialDate{2020, 6, 16}));
    EXPECT_EQ(s->lead_sponsor, "National Cancer Institute (NCI)");
    EXPECT_EQ(s->lead_sponsor_class, "NIH");
    EXPECT_EQ(s->enrollment, 1210);
    EXPECT_EQ(s->enrollment_type, "ESTIMATED");
    EXPECT_EQ(s->org_study_id, "NCI-2020-00751");
    EXPECT_EQ(s->secondary_ids.size(), 4u);
    EXPECT_EQ(s->condition_mesh,
              (std::vector<MeshTerm>{{"D002289", "Carcinoma, Non-Small-Cell Lung"},
                                     {"D008175", "Lung Neoplasms"}}));
    EXPECT_EQ(s->condition_mesh_ancestors.size(), 8u);
    ASSERT_FALSE(s->intervention_mesh.empty());
    EXPECT_NE(std::find(s->intervention_mesh.begin(), s->intervention_mesh.end(),
                        MeshTerm{"C582435", "pembrolizumab"}),
              s->intervention_mesh.end());
    EXPECT_EQ(s->interventions.size(), 12u);
    EXPECT_EQ(s->interventions[9].type, "BIOLOGICAL");
    EXPECT_EQ(s->arm_groups.size(), 3u);
    EXPECT_EQ(s->locations.size(), 1148u);
    EXPECT_EQ(s->locations[0].status, "SUSPENDED");
    EXPECT_EQ(s->std_ages, (V{"ADULT", "OLDER_ADULT"}));
    EXPECT_EQ(s->maximum_age_years, std::nullopt);
    EXPECT_FALSE(s->has_results);

    // The same study in two formats agrees on the fields both snapshots share.
    std::vector<const Study*> pallas;
    for (const auto& p : c.studies) {
        if (p.study.nct_id == "NCT02513394") pallas.push_back(&p.study);
    }
    ASSERT_EQ(pallas.size(), 2u);
    for (const Study* p : pallas) {
        EXPECT_EQ(p->acronym, "PALLAS");
        EXPECT_EQ(p->overall_status, "ACTIVE_NOT_RECRUITING");
        EXPECT_EQ(p->phases, (V{"PHASE3"}));
        EXPECT_EQ(p->conditions, (V{"Breast Cancer"}));
        EXPECT_EQ(p->enrollment, 5796);
        EXPECT_EQ(p->start_date, (PartialDate{2015, 8, 0}));
        EXPECT_EQ(p->std_ages, (V{"ADULT", "OLDER_ADULT"}));
        EXPECT_EQ(p->sex, "ALL");
        ASSERT_FALSE(p->condition_mesh.empty());
        EXPECT_EQ(p->condition_mesh[0].term, "Breast Neoplasms");
    }
    EXPECT_EQ(pallas[0]->condition_mesh[0].id, "D001943");  // v2 "D000001943", unpadded
}

TEST(RealData, AactFixturesAllFormats) {
    REQUIRE_REAL("aact-fixtures");
    const auto c = testing::collect(real("aact-fixtures"));
    EXPECT_TRUE(c.source_errors.empty()) << testing::describe(c.source_errors);
    EXPECT_TRUE(c.parse_errors.empty()) << testing::describe(c.parse_errors);
    // json_v1: 100-study search + 3 single responses; json_v2: 14 files; xml_data: 63 files.
    EXPECT_EQ(c.studies.size(), 100u + 3u + 14u + 63u);

    int v1 = 0;
    for (const auto& p : c.studies)
        v1 += p.origin.find("covid-19-search.json:study ") != std::string::npos;
    EXPECT_EQ(v1, 100);

    const Study* s = find(c, "NCT06388018");  // wrapped as {"studies": [...]}
    ASSERT_NE(s, nullptr);
    s = find(c, "NCT03182660");  // a withheld legacy record: study_type "N/A"
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->overall_status, "WITHHELD");
    EXPECT_EQ(s->study_type, "");

    // Where a record gives both ages and its std_ages, our computation must agree.
    int compared = 0;
    for (const auto& p : c.studies) {
        const Study& st = p.study;
        if (st.std_ages.empty() || p.origin.find("xml_data") != std::string::npos) continue;
        EXPECT_EQ(std_ages_for(st.minimum_age_years, st.maximum_age_years), st.std_ages)
            << p.origin << " " << st.minimum_age << " - " << st.maximum_age;
        ++compared;
    }
    EXPECT_GT(compared, 100);
}

}  // namespace
}  // namespace trials::records
