// Legacy ClinicalTrials.gov <clinical_study> XML (public.xsd, AllPublicXML.zip) -> Study, with
// pugixml. Textblocks lose their hard wrapping; legacy spellings become API v2 enums; MeSH terms
// come as names only.
#include <charconv>
#include <cstdint>
#include <pugixml.hpp>
#include <string>

#include "reader_internal.hpp"
#include "text_util.hpp"
#include "trials/records/normalize.hpp"

namespace trials::records::detail {

namespace {

std::string_view raw(const pugi::xml_node& node, const char* name) {
    return node.child(name).text().get();
}

std::string field(const pugi::xml_node& node, const char* name) {
    return clean_text(raw(node, name));
}

std::vector<std::string> fields(const pugi::xml_node& node, const char* name) {
    std::vector<std::string> out;
    for (const pugi::xml_node child : node.children(name)) {
        if (std::string v = clean_text(child.text().get()); !v.empty()) out.push_back(std::move(v));
    }
    return out;
}

std::string textblock(const pugi::xml_node& node, const char* name) {
    return collapse_textblock(node.child(name).child("textblock").text().get());
}

std::vector<Outcome> outcomes(const pugi::xml_node& root, const char* name) {
    std::vector<Outcome> out;
    for (const pugi::xml_node o : root.children(name)) {
        out.push_back(
            Outcome{field(o, "measure"), field(o, "description"), field(o, "time_frame")});
    }
    return out;
}

std::vector<MeshTerm> mesh_terms(const pugi::xml_node& browse) {
    std::vector<MeshTerm> out;
    for (const std::string& term : fields(browse, "mesh_term")) out.push_back(MeshTerm{{}, term});
    return out;
}

void map_design(const pugi::xml_node& root, Study& s) {
    s.study_type = normalize_study_type(raw(root, "study_type"));
    s.phases = normalize_phases(raw(root, "phase"));
    const pugi::xml_node design = root.child("study_design_info");
    s.allocation = normalize_allocation(raw(design, "allocation"));
    s.intervention_model = normalize_intervention_model(raw(design, "intervention_model"));
    s.primary_purpose = normalize_primary_purpose(raw(design, "primary_purpose"));
    s.masking = normalize_masking(raw(design, "masking"));
    const pugi::xml_node enrollment = root.child("enrollment");
    const std::string_view count = trim(enrollment.text().get());
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
    if (!count.empty() && ec == std::errc{} && end == count.data() + count.size()) s.enrollment = n;
    s.enrollment_type = normalize_enrollment_type(enrollment.attribute("type").value());
}

void map_arms(const pugi::xml_node& root, Study& s) {
    for (const pugi::xml_node a : root.children("arm_group")) {
        s.arm_groups.push_back(ArmGroup{field(a, "arm_group_label"),
                                        normalize_enum(raw(a, "arm_group_type")),
                                        field(a, "description"),
                                        {}});
    }
    for (const pugi::xml_node i : root.children("intervention")) {
        Intervention iv{normalize_intervention_type(raw(i, "intervention_type")),
                        field(i, "intervention_name"), field(i, "description"),
                        fields(i, "other_name"), fields(i, "arm_group_label")};
        // API v2 lists "Type: name" under each arm; legacy XML links arms from the other side.
        const std::string display = std::string(trim(raw(i, "intervention_type"))) + ": " + iv.name;
        for (const std::string& label : iv.arm_group_labels) {
            for (ArmGroup& arm : s.arm_groups) {
                if (arm.label == label) arm.intervention_names.push_back(display);
            }
        }
        s.interventions.push_back(std::move(iv));
    }
}

void map_eligibility(const pugi::xml_node& e, Study& s) {
    s.eligibility_criteria = textblock(e, "criteria");
    s.sex = normalize_sex(raw(e, "gender"));
    s.healthy_volunteers = parse_healthy_volunteers(raw(e, "healthy_volunteers"));
    s.minimum_age = field(e, "minimum_age");
    s.maximum_age = field(e, "maximum_age");
}

void map_locations(const pugi::xml_node& root, Study& s) {
    for (const pugi::xml_node l : root.children("location")) {
        const pugi::xml_node facility = l.child("facility");
        const pugi::xml_node address = facility.child("address");
        s.locations.push_back(Location{
            field(facility, "name"), field(address, "city"), field(address, "state"),
            field(address, "zip"), field(address, "country"), normalize_status(raw(l, "status"))});
    }
}

Study map_study(const pugi::xml_node& root) {
    Study s;
    const pugi::xml_node ids = root.child("id_info");
    s.nct_id = field(ids, "nct_id");
    s.org_study_id = field(ids, "org_study_id");
    s.secondary_ids = fields(ids, "secondary_id");
    s.brief_title = field(root, "brief_title");
    s.official_title = field(root, "official_title");
    s.acronym = field(root, "acronym");

    s.overall_status = normalize_status(raw(root, "overall_status"));
    s.start_date = parse_date(raw(root, "start_date"));
    s.primary_completion_date = parse_date(raw(root, "primary_completion_date"));
    s.completion_date = parse_date(raw(root, "completion_date"));
    s.first_posted = parse_date(raw(root, "study_first_posted"));
    if (s.first_posted.empty()) s.first_posted = parse_date(raw(root, "firstreceived_date"));
    s.last_update_posted = parse_date(raw(root, "last_update_posted"));
    if (s.last_update_posted.empty()) {
        s.last_update_posted = parse_date(raw(root, "lastchanged_date"));
    }

    const pugi::xml_node sponsors = root.child("sponsors");
    s.lead_sponsor = field(sponsors.child("lead_sponsor"), "agency");
    s.lead_sponsor_class =
        normalize_sponsor_class(raw(sponsors.child("lead_sponsor"), "agency_class"));
    for (const pugi::xml_node c : sponsors.children("collaborator")) {
        if (std::string v = field(c, "agency"); !v.empty()) s.collaborators.push_back(std::move(v));
    }

    s.brief_summary = textblock(root, "brief_summary");
    s.detailed_description = textblock(root, "detailed_description");
    s.conditions = fields(root, "condition");
    s.keywords = fields(root, "keyword");
    map_design(root, s);
    map_arms(root, s);
    s.primary_outcomes = outcomes(root, "primary_outcome");
    s.secondary_outcomes = outcomes(root, "secondary_outcome");
    s.other_outcomes = outcomes(root, "other_outcome");
    map_eligibility(root.child("eligibility"), s);
    map_locations(root, s);
    s.condition_mesh = mesh_terms(root.child("condition_browse"));
    s.intervention_mesh = mesh_terms(root.child("intervention_browse"));
    s.has_results = static_cast<bool>(root.child("clinical_results"));
    finish_ages(s, static_cast<bool>(root.child("eligibility")));
    return s;
}

}  // namespace

void read_legacy_xml(std::string_view text, const std::string& origin, ParseResult& out) {
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed =
        doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
        out.errors.push_back(InputError{origin,
                                        {},
                                        "XML syntax error at byte " +
                                            std::to_string(parsed.offset) + ": " +
                                            parsed.description()});
        return;
    }
    const pugi::xml_node top = doc.document_element();
    if (std::string_view(top.name()) == "clinical_study") {
        accept_study(map_study(top), origin, out);
        return;
    }
    std::size_t n = 0;  // a wrapper holding several studies
    for (const pugi::xml_node study : top.children("clinical_study")) {
        accept_study(map_study(study), origin + ":study " + std::to_string(++n), out);
    }
    if (n == 0) {
        out.errors.push_back(InputError{origin,
                                        {},
                                        "not a ClinicalTrials.gov study: root element is <" +
                                            std::string(top.name()) +
                                            ">, expected <clinical_study>"});
    }
}

}  // namespace trials::records::detail
