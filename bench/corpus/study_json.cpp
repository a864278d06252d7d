// Study -> API v2 JSON (see study_json.hpp).
#include "study_json.hpp"

#include <nlohmann/json.hpp>

namespace trials::corpus {
namespace {

using Json = nlohmann::ordered_json;

void put(Json& obj, const char* key, const std::string& value) {
    if (!value.empty()) obj[key] = value;
}

// Dates up to the generator's "today" (2026) are ACTUAL, later ones ESTIMATED.
void put_date(Json& obj, const char* key, const records::PartialDate& d) {
    if (d.empty()) return;
    obj[key] = Json{{"date", d.to_string()}, {"type", d.year <= 2025 ? "ACTUAL" : "ESTIMATED"}};
}

Json outcomes(const std::vector<records::Outcome>& list) {
    Json out = Json::array();
    for (const records::Outcome& o : list) {
        Json j;
        put(j, "measure", o.measure);
        put(j, "description", o.description);
        put(j, "timeFrame", o.time_frame);
        out.push_back(std::move(j));
    }
    return out;
}

Json meshes(const std::vector<records::MeshTerm>& list) {
    Json out = Json::array();
    for (const records::MeshTerm& m : list) {
        Json j;
        put(j, "id", m.id);
        j["term"] = m.term;
        out.push_back(std::move(j));
    }
    return out;
}

Json strings(const std::vector<std::string>& list) { return Json(list); }

}  // namespace

std::string to_api_v2_json(const records::Study& s, int indent) {
    Json ps;
    Json& id = ps["identificationModule"];
    id["nctId"] = s.nct_id;
    id["orgStudyIdInfo"] = Json{{"id", s.org_study_id}};
    if (!s.secondary_ids.empty()) {
        for (const std::string& x : s.secondary_ids) id["secondaryIdInfos"].push_back({{"id", x}});
    }
    id["organization"] = Json{{"fullName", s.lead_sponsor}, {"class", s.lead_sponsor_class}};
    put(id, "briefTitle", s.brief_title);
    put(id, "officialTitle", s.official_title);
    put(id, "acronym", s.acronym);

    Json& st = ps["statusModule"];
    st["overallStatus"] = s.overall_status;
    put_date(st, "startDateStruct", s.start_date);
    put_date(st, "primaryCompletionDateStruct", s.primary_completion_date);
    put_date(st, "completionDateStruct", s.completion_date);
    put_date(st, "studyFirstPostDateStruct", s.first_posted);
    put_date(st, "lastUpdatePostDateStruct", s.last_update_posted);

    Json& sp = ps["sponsorCollaboratorsModule"];
    sp["leadSponsor"] = Json{{"name", s.lead_sponsor}, {"class", s.lead_sponsor_class}};
    for (const std::string& c : s.collaborators) sp["collaborators"].push_back({{"name", c}});

    Json& desc = ps["descriptionModule"];
    put(desc, "briefSummary", s.brief_summary);
    put(desc, "detailedDescription", s.detailed_description);

    Json& cond = ps["conditionsModule"];
    cond["conditions"] = strings(s.conditions);
    if (!s.keywords.empty()) cond["keywords"] = strings(s.keywords);

    Json& design = ps["designModule"];
    design["studyType"] = s.study_type;
    if (!s.phases.empty()) design["phases"] = strings(s.phases);
    Json info;
    put(info, "allocation", s.allocation);
    put(info, "interventionModel", s.intervention_model);
    put(info, "primaryPurpose", s.primary_purpose);
    if (!s.masking.empty()) info["maskingInfo"] = Json{{"masking", s.masking}};
    if (!info.empty()) design["designInfo"] = std::move(info);
    if (s.enrollment) {
        Json e{{"count", *s.enrollment}};
        put(e, "type", s.enrollment_type);
        design["enrollmentInfo"] = std::move(e);
    }

    Json& arms = ps["armsInterventionsModule"];
    arms["armGroups"] = Json::array();
    for (const records::ArmGroup& a : s.arm_groups) {
        Json j{{"label", a.label}};
        put(j, "type", a.type);
        put(j, "description", a.description);
        if (!a.intervention_names.empty()) j["interventionNames"] = strings(a.intervention_names);
        arms["armGroups"].push_back(std::move(j));
    }
    arms["interventions"] = Json::array();
    for (const records::Intervention& i : s.interventions) {
        Json j{{"type", i.type}, {"name", i.name}};
        put(j, "description", i.description);
        if (!i.arm_group_labels.empty()) j["armGroupLabels"] = strings(i.arm_group_labels);
        if (!i.other_names.empty()) j["otherNames"] = strings(i.other_names);
        arms["interventions"].push_back(std::move(j));
    }

    Json& oc = ps["outcomesModule"];
    oc["primaryOutcomes"] = outcomes(s.primary_outcomes);
    if (!s.secondary_outcomes.empty()) oc["secondaryOutcomes"] = outcomes(s.secondary_outcomes);
    if (!s.other_outcomes.empty()) oc["otherOutcomes"] = outcomes(s.other_outcomes);

    Json& el = ps["eligibilityModule"];
    put(el, "eligibilityCriteria", s.eligibility_criteria);
    if (s.healthy_volunteers) el["healthyVolunteers"] = *s.healthy_volunteers;
    put(el, "sex", s.sex);
    put(el, "minimumAge", s.minimum_age);
    put(el, "maximumAge", s.maximum_age);
    if (!s.std_ages.empty()) el["stdAges"] = strings(s.std_ages);

    if (!s.locations.empty()) {
        Json& locs = ps["contactsLocationsModule"]["locations"];
        for (const records::Location& l : s.locations) {
            Json j;
            put(j, "facility", l.facility);
            put(j, "status", l.status);
            put(j, "city", l.city);
            put(j, "state", l.state);
            put(j, "zip", l.zip);
            put(j, "country", l.country);
            locs.push_back(std::move(j));
        }
    }

    Json study;
    study["protocolSection"] = std::move(ps);
    Json ds;
    if (!s.condition_mesh.empty() || !s.condition_mesh_ancestors.empty()) {
        ds["conditionBrowseModule"] =
            Json{{"meshes", meshes(s.condition_mesh)}, {"ancestors", meshes(s.condition_mesh_ancestors)}};
    }
    if (!s.intervention_mesh.empty() || !s.intervention_mesh_ancestors.empty()) {
        ds["interventionBrowseModule"] = Json{{"meshes", meshes(s.intervention_mesh)},
                                              {"ancestors", meshes(s.intervention_mesh_ancestors)}};
    }
    if (!ds.empty()) study["derivedSection"] = std::move(ds);
    study["hasResults"] = s.has_results;
    // Invalid UTF-8 cannot come from the readers; replace rather than throw if it ever does.
    return study.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace trials::corpus
