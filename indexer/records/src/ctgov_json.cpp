// ClinicalTrials.gov JSON reader: API v2 study objects (protocolSection / derivedSection /
// hasResults), arrays of them, API pages {"studies": [...]}, NDJSON (one study per line), and
// the document shapes of the classic v1 API (mapped in ctgov_json_v1.cpp). simdjson DOM API,
// one parser per thread, so parse_document() may run on several threads at once.
#include <string>
#include <utility>

#include "json_util.hpp"
#include "reader_internal.hpp"
#include "trials/records/normalize.hpp"

namespace trials::records::detail {

namespace {

// A parser keeps its buffers between documents; one that grew on a huge document is dropped.
constexpr std::size_t kParserCapacityToKeep = std::size_t{16} << 20;

simdjson::dom::parser& thread_parser() {
    thread_local simdjson::dom::parser parser;
    return parser;
}

void release_if_large(simdjson::dom::parser& parser) {
    if (parser.capacity() > kParserCapacityToKeep) parser = simdjson::dom::parser{};
}

std::vector<Outcome> outcomes(const JsonValue& list) {
    std::vector<Outcome> out;
    json_for_each(list, [&](const JsonValue& o) {
        out.push_back(Outcome{json_text(o["measure"]), json_text(o["description"]),
                              json_text(o["timeFrame"])});
    });
    return out;
}

std::vector<MeshTerm> meshes(const JsonValue& list) {
    std::vector<MeshTerm> out;
    json_for_each(list, [&](const JsonValue& m) {
        MeshTerm term{normalize_mesh_id(json_string(m["id"])), json_string(m["term"])};
        if (!term.id.empty() || !term.term.empty()) out.push_back(std::move(term));
    });
    return out;
}

void map_design(const JsonValue& design, Study& s) {
    s.study_type = normalize_study_type(json_string(design["studyType"]));
    json_for_each(design["phases"], [&](const JsonValue& p) {
        if (std::string phase = normalize_phase(json_string(p)); !phase.empty()) {
            s.phases.push_back(std::move(phase));
        }
    });
    const JsonValue info = design["designInfo"];
    s.allocation = normalize_allocation(json_string(info["allocation"]));
    s.intervention_model = normalize_intervention_model(json_string(info["interventionModel"]));
    s.primary_purpose = normalize_primary_purpose(json_string(info["primaryPurpose"]));
    s.masking = normalize_masking(json_string(info["maskingInfo"]["masking"]));
    s.enrollment = json_int(design["enrollmentInfo"]["count"]);
    s.enrollment_type = normalize_enrollment_type(json_string(design["enrollmentInfo"]["type"]));
}

void map_arms(const JsonValue& arms, Study& s) {
    json_for_each(arms["armGroups"], [&](const JsonValue& a) {
        s.arm_groups.push_back(
            ArmGroup{json_string(a["label"]), normalize_enum(json_string(a["type"])),
                     json_text(a["description"]), json_strings(a["interventionNames"])});
    });
    json_for_each(arms["interventions"], [&](const JsonValue& i) {
        s.interventions.push_back(Intervention{normalize_intervention_type(json_string(i["type"])),
                                               json_string(i["name"]), json_text(i["description"]),
                                               json_strings(i["otherNames"]),
                                               json_strings(i["armGroupLabels"])});
    });
}

void map_eligibility(const JsonValue& e, Study& s) {
    s.eligibility_criteria = json_text(e["eligibilityCriteria"]);
    s.sex = normalize_sex(json_string(e["sex"]));
    s.healthy_volunteers = json_bool(e["healthyVolunteers"]);
    if (!s.healthy_volunteers) {
        s.healthy_volunteers = parse_healthy_volunteers(json_string(e["healthyVolunteers"]));
    }
    s.minimum_age = json_string(e["minimumAge"]);
    s.maximum_age = json_string(e["maximumAge"]);
    json_for_each(e["stdAges"], [&](const JsonValue& a) {
        if (std::string age = normalize_enum(json_string(a)); !age.empty()) {
            s.std_ages.push_back(std::move(age));
        }
    });
}

// API v2: study is the object holding "protocolSection".
void map_v2_study(const JsonValue& study, Study& s, bool& has_eligibility) {
    const JsonValue ps = study["protocolSection"];
    const JsonValue id = ps["identificationModule"];
    s.nct_id = json_string(id["nctId"]);
    s.brief_title = json_text(id["briefTitle"]);
    s.official_title = json_text(id["officialTitle"]);
    s.acronym = json_string(id["acronym"]);
    s.org_study_id = json_string(id["orgStudyIdInfo"]["id"]);
    json_for_each(id["secondaryIdInfos"], [&](const JsonValue& x) {
        if (std::string v = json_string(x["id"]); !v.empty()) s.secondary_ids.push_back(v);
    });

    const JsonValue st = ps["statusModule"];
    s.overall_status = normalize_status(json_string(st["overallStatus"]));
    s.start_date = parse_date(json_string(st["startDateStruct"]["date"]));
    s.primary_completion_date = parse_date(json_string(st["primaryCompletionDateStruct"]["date"]));
    s.completion_date = parse_date(json_string(st["completionDateStruct"]["date"]));
    s.first_posted = parse_date(json_string(st["studyFirstPostDateStruct"]["date"]));
    s.last_update_posted = parse_date(json_string(st["lastUpdatePostDateStruct"]["date"]));

    const JsonValue sp = ps["sponsorCollaboratorsModule"];
    s.lead_sponsor = json_string(sp["leadSponsor"]["name"]);
    s.lead_sponsor_class = normalize_sponsor_class(json_string(sp["leadSponsor"]["class"]));
    json_for_each(sp["collaborators"], [&](const JsonValue& c) {
        if (std::string v = json_string(c["name"]); !v.empty()) s.collaborators.push_back(v);
    });

    s.brief_summary = json_text(ps["descriptionModule"]["briefSummary"]);
    s.detailed_description = json_text(ps["descriptionModule"]["detailedDescription"]);
    s.conditions = json_strings(ps["conditionsModule"]["conditions"]);
    s.keywords = json_strings(ps["conditionsModule"]["keywords"]);

    map_design(ps["designModule"], s);
    map_arms(ps["armsInterventionsModule"], s);

    const JsonValue oc = ps["outcomesModule"];
    s.primary_outcomes = outcomes(oc["primaryOutcomes"]);
    s.secondary_outcomes = outcomes(oc["secondaryOutcomes"]);
    s.other_outcomes = outcomes(oc["otherOutcomes"]);

    has_eligibility = json_has(ps, "eligibilityModule");
    map_eligibility(ps["eligibilityModule"], s);

    json_for_each(ps["contactsLocationsModule"]["locations"], [&](const JsonValue& l) {
        s.locations.push_back(Location{json_string(l["facility"]), json_string(l["city"]),
                                       json_string(l["state"]), json_string(l["zip"]),
                                       json_string(l["country"]),
                                       normalize_status(json_string(l["status"]))});
    });

    const JsonValue ds = study["derivedSection"];
    s.condition_mesh = meshes(ds["conditionBrowseModule"]["meshes"]);
    s.condition_mesh_ancestors = meshes(ds["conditionBrowseModule"]["ancestors"]);
    s.intervention_mesh = meshes(ds["interventionBrowseModule"]["meshes"]);
    s.intervention_mesh_ancestors = meshes(ds["interventionBrowseModule"]["ancestors"]);
    s.has_results = json_bool(study["hasResults"]).value_or(json_has(study, "resultsSection"));
}

void add_error(ParseResult& out, const std::string& origin, std::string reason) {
    out.errors.push_back(InputError{origin, {}, std::move(reason)});
}

// One element that should be a study: API v2, a classic FullStudy {"Study": {...}}, or a bare
// classic study {"ProtocolSection": ...}.
void read_study(const JsonValue& item, std::string origin, ParseResult& out) {
    Study study;
    bool has_eligibility = false;
    if (json_has(item, "protocolSection")) {
        map_v2_study(item, study, has_eligibility);
    } else if (json_has(item["Study"], "ProtocolSection")) {
        map_v1_study(item["Study"], study, has_eligibility);
    } else if (json_has(item, "ProtocolSection")) {
        map_v1_study(item, study, has_eligibility);
    } else {
        add_error(out, origin, "not a ClinicalTrials.gov study: no protocolSection");
        return;
    }
    finish_ages(study, has_eligibility);
    accept_study(std::move(study), std::move(origin), out);
}

void read_list(const JsonValue& list, const std::string& origin, ParseResult& out) {
    std::size_t n = 0;
    json_for_each(list, [&](const JsonValue& item) {
        read_study(item, origin + ":study " + std::to_string(++n), out);
    });
}

void read_root(const JsonValue& root, const std::string& origin, ParseResult& out) {
    if (root.is_array()) {
        read_list(root, origin, out);
    } else if (!root.is_object()) {
        add_error(out, origin, "not a ClinicalTrials.gov study: top level is not an object");
    } else if (root["studies"].is_array()) {  // API v2 page
        read_list(root["studies"], origin, out);
    } else if (json_has(root, "FullStudiesResponse")) {  // classic API search response
        read_list(root["FullStudiesResponse"]["FullStudies"], origin, out);
    } else if (json_has(root, "FullStudyResponse")) {  // classic API single-study response
        read_study(root["FullStudyResponse"]["FullStudy"], origin, out);
    } else {
        read_study(root, origin, out);
    }
}

bool parse_json(simdjson::dom::parser& parser, std::string_view text, const std::string& origin,
                ParseResult& out, simdjson::dom::element& root) {
    const simdjson::error_code err = parser.parse(text.data(), text.size()).get(root);
    if (err == simdjson::SUCCESS) return true;
    add_error(out, origin, std::string("JSON syntax error: ") + simdjson::error_message(err));
    return false;
}

}  // namespace

void read_ctgov_json(std::string_view text, const std::string& origin, ParseResult& out) {
    simdjson::dom::parser& parser = thread_parser();
    simdjson::dom::element root;
    if (parse_json(parser, text, origin, out, root))
        read_root(JsonValue(std::move(root)), origin, out);
    release_if_large(parser);
}

void read_ctgov_ndjson(std::string_view text, const std::string& origin, std::size_t first_line,
                       ParseResult& out) {
    simdjson::dom::parser& parser = thread_parser();
    std::size_t line_no = first_line;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = trim(text.substr(pos, end - pos));
        if (!line.empty()) {
            const std::string line_origin = origin + ":line " + std::to_string(line_no);
            simdjson::dom::element root;
            if (const std::size_t bad = find_invalid_utf8(line); bad != std::string_view::npos) {
                add_error(out, line_origin,
                          "invalid UTF-8 at byte " + std::to_string(bad) + " of the line");
            } else if (parse_json(parser, line, line_origin, out, root)) {
                read_root(JsonValue(std::move(root)), line_origin, out);
            }
        }
        ++line_no;
        pos = end + 1;
    }
    release_if_large(parser);
}

}  // namespace trials::records::detail
