// Table-driven tests of the normalisation functions: every legacy spelling seen in the real
// ClinicalTrials.gov files, the API v2 values (which must pass through unchanged), dates, ages.
#include "trials/records/normalize.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace trials::records {
namespace {

struct Case {
    std::string_view in;
    std::string_view out;
};

using Fn = std::string (*)(std::string_view);

void check_table(Fn fn, const std::vector<Case>& cases) {
    for (const Case& c : cases) EXPECT_EQ(fn(c.in), c.out) << "input: '" << c.in << "'";
}

TEST(NormalizeStatus, LegacyAndV2Spellings) {
    check_table(normalize_status, {{"Recruiting", "RECRUITING"},
                                   {"Active, not recruiting", "ACTIVE_NOT_RECRUITING"},
                                   {"Not yet recruiting", "NOT_YET_RECRUITING"},
                                   {"Enrolling by invitation", "ENROLLING_BY_INVITATION"},
                                   {"Completed", "COMPLETED"},
                                   {"Suspended", "SUSPENDED"},
                                   {"Terminated", "TERMINATED"},
                                   {"Withdrawn", "WITHDRAWN"},
                                   {"Unknown status", "UNKNOWN"},
                                   {"Available", "AVAILABLE"},
                                   {"No longer available", "NO_LONGER_AVAILABLE"},
                                   {"Temporarily not available", "TEMPORARILY_NOT_AVAILABLE"},
                                   {"Approved for marketing", "APPROVED_FOR_MARKETING"},
                                   {"Withheld", "WITHHELD"},
                                   {"  Recruiting \n", "RECRUITING"},
                                   {"ACTIVE_NOT_RECRUITING", "ACTIVE_NOT_RECRUITING"},
                                   {"UNKNOWN", "UNKNOWN"},
                                   {"", ""},
                                   {"Something New-ish", "SOMETHING_NEW_ISH"}});
}

TEST(NormalizePhase, SingleAndCombined) {
    const std::vector<std::pair<std::string_view, std::vector<std::string>>> cases = {
        {"Phase 1", {"PHASE1"}},
        {"Phase 2", {"PHASE2"}},
        {"Phase 3", {"PHASE3"}},
        {"Phase 4", {"PHASE4"}},
        {"Phase 1/Phase 2", {"PHASE1", "PHASE2"}},
        {"Phase 2/Phase 3", {"PHASE2", "PHASE3"}},
        {"Phase 2/3", {"PHASE2", "PHASE3"}},
        {"Phase 1|Phase 2", {"PHASE1", "PHASE2"}},
        {"Early Phase 1", {"EARLY_PHASE1"}},
        {"Phase 0", {"EARLY_PHASE1"}},
        {"N/A", {"NA"}},
        {"Not Applicable", {"NA"}},
        {"PHASE2", {"PHASE2"}},
        {"EARLY_PHASE1", {"EARLY_PHASE1"}},
        {"NA", {"NA"}},
        {"Phase II", {"PHASE2"}},
        {"", {}},
    };
    for (const auto& [in, out] : cases) EXPECT_EQ(normalize_phases(in), out) << in;
    EXPECT_EQ(normalize_phase("Phase 1"), "PHASE1");
    EXPECT_EQ(normalize_phase("N/A"), "NA");
}

TEST(NormalizeDesign, StudyTypeAllocationModelMasking) {
    check_table(normalize_study_type, {{"Interventional", "INTERVENTIONAL"},
                                       {"Observational", "OBSERVATIONAL"},
                                       {"Observational [Patient Registry]", "OBSERVATIONAL"},
                                       {"Expanded Access", "EXPANDED_ACCESS"},
                                       {"N/A", ""},
                                       {"INTERVENTIONAL", "INTERVENTIONAL"},
                                       {"EXPANDED_ACCESS", "EXPANDED_ACCESS"}});
    check_table(normalize_allocation, {{"Randomized", "RANDOMIZED"},
                                       {"Non-Randomized", "NON_RANDOMIZED"},
                                       {"N/A", "NA"},
                                       {"NON_RANDOMIZED", "NON_RANDOMIZED"},
                                       {"NA", "NA"}});
    check_table(normalize_intervention_model, {{"Single Group Assignment", "SINGLE_GROUP"},
                                               {"Parallel Assignment", "PARALLEL"},
                                               {"Crossover Assignment", "CROSSOVER"},
                                               {"Factorial Assignment", "FACTORIAL"},
                                               {"Sequential Assignment", "SEQUENTIAL"},
                                               {"SINGLE_GROUP", "SINGLE_GROUP"},
                                               {"PARALLEL", "PARALLEL"}});
    check_table(
        normalize_masking,
        {{"None (Open Label)", "NONE"},
         {"Single (Participant)", "SINGLE"},
         {"Single (Outcomes Assessor)", "SINGLE"},
         {"Single", "SINGLE"},
         {"Double (Participant, Investigator)", "DOUBLE"},
         {"Double", "DOUBLE"},
         {"Triple (Participant, Care Provider, Investigator)", "TRIPLE"},
         {"Quadruple (Participant, Care Provider, Investigator, Outcomes Assessor)", "QUADRUPLE"},
         {"Open Label", "NONE"},
         {"NONE", "NONE"},
         {"QUADRUPLE", "QUADRUPLE"}});
    check_table(normalize_primary_purpose,
                {{"Treatment", "TREATMENT"},
                 {"Supportive Care", "SUPPORTIVE_CARE"},
                 {"Health Services Research", "HEALTH_SERVICES_RESEARCH"},
                 {"Basic Science", "BASIC_SCIENCE"},
                 {"Device Feasibility", "DEVICE_FEASIBILITY"},
                 {"Educational/Counseling/Training", "ECT"},
                 {"ECT", "ECT"},
                 {"Screening", "SCREENING"}});
    check_table(normalize_enrollment_type, {{"Actual", "ACTUAL"},
                                            {"Anticipated", "ESTIMATED"},
                                            {"Estimate", "ESTIMATED"},
                                            {"ESTIMATED", "ESTIMATED"},
                                            {"", ""}});
}

TEST(NormalizeEnum, ArmTypesAndGenericRule) {
    check_table(normalize_enum, {{"Experimental", "EXPERIMENTAL"},
                                 {"Active Comparator", "ACTIVE_COMPARATOR"},
                                 {"Placebo Comparator", "PLACEBO_COMPARATOR"},
                                 {"Sham Comparator", "SHAM_COMPARATOR"},
                                 {"No Intervention", "NO_INTERVENTION"},
                                 {"Older Adult", "OLDER_ADULT"},
                                 {"Single Group Assignment", "SINGLE_GROUP_ASSIGNMENT"},
                                 {"  a--b  c ", "A_B_C"},
                                 {"N/A", "NA"}});
}

TEST(NormalizeInterventionType, AllLegacyTypes) {
    check_table(normalize_intervention_type, {{"Drug", "DRUG"},
                                              {"Biological", "BIOLOGICAL"},
                                              {"Dietary Supplement", "DIETARY_SUPPLEMENT"},
                                              {"Diagnostic Test", "DIAGNOSTIC_TEST"},
                                              {"Combination Product", "COMBINATION_PRODUCT"},
                                              {"Genetic", "GENETIC"},
                                              {"Radiation", "RADIATION"},
                                              {"Procedure", "PROCEDURE"},
                                              {"Device", "DEVICE"},
                                              {"Behavioral", "BEHAVIORAL"},
                                              {"Other", "OTHER"},
                                              {"DIETARY_SUPPLEMENT", "DIETARY_SUPPLEMENT"}});
}

TEST(NormalizeSexAndSponsor, Spellings) {
    check_table(normalize_sex, {{"All", "ALL"},
                                {"Both", "ALL"},
                                {"Female", "FEMALE"},
                                {"Male", "MALE"},
                                {"FEMALE", "FEMALE"},
                                {"", ""}});
    check_table(normalize_sponsor_class, {{"NIH", "NIH"},
                                          {"U.S. Fed", "FED"},
                                          {"Industry", "INDUSTRY"},
                                          {"Other", "OTHER"},
                                          {"Individual", "INDIV"},
                                          {"Network", "NETWORK"},
                                          {"Ambiguous", "AMBIG"},
                                          {"Unknown", "UNKNOWN"},
                                          {"OTHER_GOV", "OTHER_GOV"},
                                          {"INDIV", "INDIV"},
                                          {"FED", "FED"}});
}

TEST(NormalizeHealthyVolunteers, Spellings) {
    EXPECT_EQ(parse_healthy_volunteers("Accepts Healthy Volunteers"), true);
    EXPECT_EQ(parse_healthy_volunteers("Yes"), true);
    EXPECT_EQ(parse_healthy_volunteers("No"), false);
    EXPECT_EQ(parse_healthy_volunteers("false"), false);
    EXPECT_EQ(parse_healthy_volunteers(""), std::nullopt);
    EXPECT_EQ(parse_healthy_volunteers("maybe"), std::nullopt);
}

TEST(ParseDate, AllForms) {
    const std::vector<std::pair<std::string_view, PartialDate>> cases = {
        {"2020-06-17", {2020, 6, 17}},
        {"2020-06", {2020, 6, 0}},
        {"2020", {2020, 0, 0}},
        {"June 17, 2020", {2020, 6, 17}},
        {"June 2020", {2020, 6, 0}},
        {"Jun 2020", {2020, 6, 0}},
        {"Jun. 2020", {2020, 6, 0}},
        {"Sept 2019", {2019, 9, 0}},
        {"December 31, 1999", {1999, 12, 31}},
        {"May 1, 2020", {2020, 5, 1}},
        {"17 June 2020", {2020, 6, 17}},
        {" 2020-06-17T08:30:00 ", {2020, 6, 17}},
        {"", {}},
        {"N/A", {}},
        {"2020-13", {}},
        {"2020-06-32", {}},
        {"Juni 2020", {}},
        {"June 17 2020 extra", {}},
        {"20201", {}},
    };
    for (const auto& [in, out] : cases) EXPECT_EQ(parse_date(in), out) << "input: '" << in << "'";
}

TEST(PartialDate, ToStringAndNumber) {
    EXPECT_EQ((PartialDate{2020, 6, 17}).to_string(), "2020-06-17");
    EXPECT_EQ((PartialDate{2020, 6, 0}).to_string(), "2020-06");
    EXPECT_EQ((PartialDate{2020, 0, 0}).to_string(), "2020");
    EXPECT_EQ(PartialDate{}.to_string(), "");
    EXPECT_EQ((PartialDate{2020, 6, 0}).as_number(), 20200600);
    EXPECT_LT((PartialDate{2020, 6, 0}).as_number(), (PartialDate{2020, 6, 1}).as_number());
}

TEST(ParseAge, UnitsToYears) {
    struct AgeCase {
        std::string_view in;
        std::optional<double> years;
    };
    const std::vector<AgeCase> cases = {
        {"18 Years", 18.0},
        {"1 Year", 1.0},
        {"65 years", 65.0},
        {"6 Months", 0.5},
        {"1 Month", 1.0 / 12.0},
        {"2 Weeks", 14.0 / 365.25},
        {"30 Days", 30.0 / 365.25},
        {"1 Day", 1.0 / 365.25},
        {"12 Hours", 12.0 / (24.0 * 365.25)},
        {"1 Minute", 1.0 / (24.0 * 60.0 * 365.25)},
        {"30 Minutes", 30.0 / (24.0 * 60.0 * 365.25)},
        {"N/A", std::nullopt},
        {"", std::nullopt},
        {"old", std::nullopt},
        {"18 Parsecs", std::nullopt},
    };
    for (const AgeCase& c : cases) {
        const std::optional<double> got = parse_age_years(c.in);
        ASSERT_EQ(got.has_value(), c.years.has_value()) << c.in;
        if (got) {
            EXPECT_NEAR(*got, *c.years, 1e-12) << c.in;
        }
    }
}

TEST(StdAges, ClinicalTrialsGovGroups) {
    using V = std::vector<std::string>;
    EXPECT_EQ(std_ages_for(18.0, std::nullopt), (V{"ADULT", "OLDER_ADULT"}));
    EXPECT_EQ(std_ages_for(std::nullopt, std::nullopt), (V{"CHILD", "ADULT", "OLDER_ADULT"}));
    EXPECT_EQ(std_ages_for(0.5, 17.0), (V{"CHILD"}));
    EXPECT_EQ(std_ages_for(12.0, 18.0), (V{"CHILD", "ADULT"}));
    EXPECT_EQ(std_ages_for(18.0, 64.0), (V{"ADULT"}));
    EXPECT_EQ(std_ages_for(18.0, 65.0), (V{"ADULT", "OLDER_ADULT"}));
    EXPECT_EQ(std_ages_for(65.0, std::nullopt), (V{"OLDER_ADULT"}));
    EXPECT_EQ(std_ages_for(std::nullopt, 30.0), (V{"CHILD", "ADULT"}));
}

TEST(MeshId, PaddedDescriptorsAreUnpadded) {
    check_table(normalize_mesh_id, {{"D000012140", "D012140"},
                                    {"D000066331", "D066331"},
                                    {"D000086382", "D000086382"},
                                    {"D000066388", "D000066388"},
                                    {"D012140", "D012140"},
                                    {"C000072379", "C000072379"},
                                    {" D002289 ", "D002289"},
                                    {"", ""}});
}

TEST(NctId, Validation) {
    EXPECT_TRUE(is_valid_nct_id("NCT04267848"));
    EXPECT_FALSE(is_valid_nct_id("NCT0426784"));
    EXPECT_FALSE(is_valid_nct_id("NCT042678480"));
    EXPECT_FALSE(is_valid_nct_id("nct04267848"));
    EXPECT_FALSE(is_valid_nct_id("NCT0426784X"));
    EXPECT_FALSE(is_valid_nct_id(""));
}

TEST(Utf8, Validation) {
    EXPECT_TRUE(is_valid_utf8("plain ASCII"));
    EXPECT_TRUE(is_valid_utf8("Genève \xE2\x89\xA5 18 \xF0\x9F\x98\x80"));
    EXPECT_EQ(find_invalid_utf8("ab\xFF"), 2u);
    EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u);          // overlong '/'
    EXPECT_EQ(find_invalid_utf8("x\xED\xA0\x80"), 1u);     // surrogate
    EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
    EXPECT_EQ(find_invalid_utf8("ok\xE2\x89"), 2u);        // truncated sequence
    EXPECT_EQ(find_invalid_utf8("caf\xC3\xA9"), std::string_view::npos);
}

TEST(Textblock, CollapsesHardWrapping) {
    const std::string in =
        "\n      Inclusion Criteria:\r\n\r\n          -  Positive test within 4 days, confirmed"
        "\r\n             by a laboratory\r\n\r\n          -  Age 12   years\r\n\r\n"
        "        Exclusion Criteria:\r\n          -  QTc above 500 ms\r\n          -  Pregnancy"
        "\r\n    ";
    EXPECT_EQ(collapse_textblock(in),
              "Inclusion Criteria:\n\n- Positive test within 4 days, confirmed by a laboratory"
              "\n\n- Age 12 years\n\nExclusion Criteria:\n- QTc above 500 ms\n- Pregnancy");
    EXPECT_EQ(collapse_textblock("one\ntwo\n\n\n\nthree"), "one two\n\nthree");
    EXPECT_EQ(collapse_textblock("1. first\n2) second\n10 mg daily"),
              "1. first\n2) second 10 mg daily");
    EXPECT_EQ(collapse_textblock("   \r\n  "), "");
}

}  // namespace
}  // namespace trials::records
