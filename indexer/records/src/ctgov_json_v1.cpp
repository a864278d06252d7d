// Classic ClinicalTrials.gov API (v1, retired 2024) study JSON -> Study: PascalCase keys, values
// in the legacy spellings ("Not yet recruiting", "Phase 2", "March 4, 2021"), lists wrapped as
// {"ConditionList": {"Condition": [...]}}, MeSH ids zero-padded ("D000012140").
#include <string>

#include "json_util.hpp"
#include "trials/records/normalize.hpp"

namespace trials::records::detail {

namespace {

std::vector<Outcome> v1_outcomes(const JsonValue& module, const std::string& kind) {
    std::vector<Outcome> out;
    json_for_each(module[kind + "OutcomeList"][kind + "Outcome"], [&](const JsonValue& o) {
        out.push_back(Outcome{json_text(o[kind + "OutcomeMeasure"]),
                              json_text(o[kind + "OutcomeDescription"]),
                              json_text(o[kind + "OutcomeTimeFrame"])});
    });
    return out;
}

// kind is "Condition" or "Intervention"; what is "Mesh" or "Ancestor".
std::vector<MeshTerm> v1_meshes(const JsonValue& module, const std::string& kind,
                                const std::string& what) {
    std::vector<MeshTerm> out;
    const std::string item = kind + what;
    json_for_each(module[item + "List"][item], [&](const JsonValue& m) {
        MeshTerm term{normalize_mesh_id(json_string(m[item + "Id"])),
                      json_string(m[item + "Term"])};
        if (!term.id.empty() || !term.term.empty()) out.push_back(std::move(term));
    });
    return out;
}

void v1_design(const JsonValue& d, Study& s) {
    s.study_type = normalize_study_type(json_string(d["StudyType"]));
    json_for_each(d["PhaseList"]["Phase"], [&](const JsonValue& p) {
        for (std::string& phase : normalize_phases(json_string(p))) {
            s.phases.push_back(std::move(phase));
        }
    });
    const JsonValue info = d["DesignInfo"];
    s.allocation = normalize_allocation(json_string(info["DesignAllocation"]));
    s.intervention_model =
        normalize_intervention_model(json_string(info["DesignInterventionModel"]));
    s.primary_purpose = normalize_primary_purpose(json_string(info["DesignPrimaryPurpose"]));
    s.masking = normalize_masking(json_string(info["DesignMaskingInfo"]["DesignMasking"]));
    s.enrollment = json_int(d["EnrollmentInfo"]["EnrollmentCount"]);
    s.enrollment_type =
        normalize_enrollment_type(json_string(d["EnrollmentInfo"]["EnrollmentType"]));
}

void v1_arms(const JsonValue& m, Study& s) {
    json_for_each(m["ArmGroupList"]["ArmGroup"], [&](const JsonValue& a) {
        s.arm_groups.push_back(ArmGroup{
            json_string(a["ArmGroupLabel"]), normalize_enum(json_string(a["ArmGroupType"])),
            json_text(a["ArmGroupDescription"]),
            json_strings(a["ArmGroupInterventionList"]["ArmGroupInterventionName"])});
    });
    json_for_each(m["InterventionList"]["Intervention"], [&](const JsonValue& i) {
        s.interventions.push_back(Intervention{
            normalize_intervention_type(json_string(i["InterventionType"])),
            json_string(i["InterventionName"]), json_text(i["InterventionDescription"]),
            json_strings(i["InterventionOtherNameList"]["InterventionOtherName"]),
            json_strings(i["InterventionArmGroupLabelList"]["InterventionArmGroupLabel"])});
    });
}

void v1_eligibility(const JsonValue& e, Study& s) {
    s.eligibility_criteria = json_text(e["EligibilityCriteria"]);
    s.sex = normalize_sex(json_string(e["Gender"]));
    s.healthy_volunteers = parse_healthy_volunteers(json_string(e["HealthyVolunteers"]));
    s.minimum_age = json_string(e["MinimumAge"]);
    s.maximum_age = json_string(e["MaximumAge"]);
    json_for_each(e["StdAgeList"]["StdAge"], [&](const JsonValue& a) {
        if (std::string age = normalize_enum(json_string(a)); !age.empty()) {
            s.std_ages.push_back(std::move(age));
        }
    });
}

}  // namespace

void map_v1_study(const JsonValue& study, Study& s, bool& has_eligibility) {
    const JsonValue ps = study["ProtocolSection"];
    const JsonValue id = ps["IdentificationModule"];
    s.nct_id = json_string(id["NCTId"]);
    s.brief_title = json_text(id["BriefTitle"]);
    s.official_title = json_text(id["OfficialTitle"]);
    s.acronym = json_string(id["Acronym"]);
    s.org_study_id = json_string(id["OrgStudyIdInfo"]["OrgStudyId"]);
    json_for_each(id["SecondaryIdInfoList"]["SecondaryIdInfo"], [&](const JsonValue& x) {
        if (std::string v = json_string(x["SecondaryId"]); !v.empty()) s.secondary_ids.push_back(v);
    });

    const JsonValue st = ps["StatusModule"];
    s.overall_status = normalize_status(json_string(st["OverallStatus"]));
    s.start_date = parse_date(json_string(st["StartDateStruct"]["StartDate"]));
    s.primary_completion_date =
        parse_date(json_string(st["PrimaryCompletionDateStruct"]["PrimaryCompletionDate"]));
    s.completion_date = parse_date(json_string(st["CompletionDateStruct"]["CompletionDate"]));
    s.first_posted = parse_date(json_string(st["StudyFirstPostDateStruct"]["StudyFirstPostDate"]));
    s.last_update_posted =
        parse_date(json_string(st["LastUpdatePostDateStruct"]["LastUpdatePostDate"]));

    const JsonValue sp = ps["SponsorCollaboratorsModule"];
    s.lead_sponsor = json_string(sp["LeadSponsor"]["LeadSponsorName"]);
    s.lead_sponsor_class =
        normalize_sponsor_class(json_string(sp["LeadSponsor"]["LeadSponsorClass"]));
    json_for_each(sp["CollaboratorList"]["Collaborator"], [&](const JsonValue& c) {
        if (std::string v = json_string(c["CollaboratorName"]); !v.empty()) {
            s.collaborators.push_back(v);
        }
    });

    s.brief_summary = json_text(ps["DescriptionModule"]["BriefSummary"]);
    s.detailed_description = json_text(ps["DescriptionModule"]["DetailedDescription"]);
    s.conditions = json_strings(ps["ConditionsModule"]["ConditionList"]["Condition"]);
    s.keywords = json_strings(ps["ConditionsModule"]["KeywordList"]["Keyword"]);

    v1_design(ps["DesignModule"], s);
    v1_arms(ps["ArmsInterventionsModule"], s);

    const JsonValue oc = ps["OutcomesModule"];
    s.primary_outcomes = v1_outcomes(oc, "Primary");
    s.secondary_outcomes = v1_outcomes(oc, "Secondary");
    s.other_outcomes = v1_outcomes(oc, "Other");

    has_eligibility = json_has(ps, "EligibilityModule");
    v1_eligibility(ps["EligibilityModule"], s);

    json_for_each(ps["ContactsLocationsModule"]["LocationList"]["Location"],
                  [&](const JsonValue& l) {
                      s.locations.push_back(
                          Location{json_string(l["LocationFacility"]),
                                   json_string(l["LocationCity"]), json_string(l["LocationState"]),
                                   json_string(l["LocationZip"]), json_string(l["LocationCountry"]),
                                   normalize_status(json_string(l["LocationStatus"]))});
                  });

    const JsonValue ds = study["DerivedSection"];
    s.condition_mesh = v1_meshes(ds["ConditionBrowseModule"], "Condition", "Mesh");
    s.condition_mesh_ancestors = v1_meshes(ds["ConditionBrowseModule"], "Condition", "Ancestor");
    s.intervention_mesh = v1_meshes(ds["InterventionBrowseModule"], "Intervention", "Mesh");
    s.intervention_mesh_ancestors =
        v1_meshes(ds["InterventionBrowseModule"], "Intervention", "Ancestor");
    s.has_results = json_has(study, "ResultsSection");
}

}  // namespace trials::records::detail
