// Study -> Xapian::Document following the schema tables (analysis/schema.hpp).
#include "trials/indexer/document_builder.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "trials/analysis/schema.hpp"
#include "trials/analysis/xapian_bridge.hpp"

namespace trials::indexer {
namespace {

using analysis::Facet;
using analysis::NumericSlot;
using analysis::TextField;
using records::Study;

constexpr std::size_t kStoredTextLimit = 2000;  // bytes of long narrative kept for snippets

std::string truncate_utf8(const std::string& s, std::size_t limit) {
    if (s.size() <= limit) return s;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut);
}

void add_number(Xapian::Document& doc, NumericSlot slot, double value) {
    doc.add_value(static_cast<Xapian::valueno>(slot), Xapian::sortable_serialise(value));
}

void add_date(Xapian::Document& doc, NumericSlot slot, const records::PartialDate& d) {
    if (!d.empty()) add_number(doc, slot, d.as_number());
}

// Facet values: a boolean term per value and the joined values in the facet's slot.
void add_facet(Xapian::Document& doc, Facet f, std::vector<std::string> values) {
    values.erase(std::remove(values.begin(), values.end(), std::string()), values.end());
    if (values.empty()) return;
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    const auto& spec = analysis::facet(f);
    std::string joined;
    for (const auto& v : values) {
        doc.add_boolean_term(analysis::facet_term(spec, v));
        if (!joined.empty()) joined += analysis::kFacetSeparator;
        joined += v;
    }
    doc.add_value(spec.slot, joined);
}

void add_facet(Xapian::Document& doc, Facet f, const std::string& value) {
    add_facet(doc, f, std::vector<std::string>{value});
}

std::string yes_no(bool b) { return b ? "YES" : "NO"; }

// FNV-1a, 64 bit: stable, fast, good enough to detect a changed record.
class Fnv {
public:
    void add(std::string_view s) {
        for (unsigned char c : s) {
            h_ ^= c;
            h_ *= 1099511628211ULL;
        }
        h_ ^= 0xFF;  // field separator
        h_ *= 1099511628211ULL;
    }
    void add(const std::vector<std::string>& v) {
        for (const auto& s : v) add(s);
        add("]");
    }
    void add(const records::PartialDate& d) { add(d.to_string()); }
    void add(const std::vector<records::MeshTerm>& v) {
        for (const auto& m : v) {
            add(m.id);
            add(m.term);
        }
        add("]");
    }
    [[nodiscard]] std::uint64_t value() const { return h_; }

private:
    std::uint64_t h_ = 14695981039346656037ULL;
};

}  // namespace

std::uint64_t settings_fingerprint(const std::vector<std::string>& texts) {
    Fnv h;
    h.add(texts);
    return h.value();
}

std::uint64_t study_fingerprint(const Study& s, std::uint64_t settings) {
    Fnv h;
    if (settings != 0) h.add(fingerprint_hex(settings));
    for (const auto* str : {&s.nct_id, &s.brief_title, &s.official_title, &s.acronym,
                            &s.org_study_id, &s.overall_status, &s.lead_sponsor,
                            &s.lead_sponsor_class, &s.brief_summary, &s.detailed_description,
                            &s.study_type, &s.allocation, &s.intervention_model,
                            &s.primary_purpose, &s.masking, &s.enrollment_type,
                            &s.eligibility_criteria, &s.sex, &s.minimum_age, &s.maximum_age}) {
        h.add(*str);
    }
    for (const auto* v : {&s.secondary_ids, &s.collaborators, &s.conditions, &s.keywords,
                          &s.phases, &s.std_ages}) {
        h.add(*v);
    }
    for (const auto* d : {&s.start_date, &s.primary_completion_date, &s.completion_date,
                          &s.first_posted, &s.last_update_posted}) {
        h.add(*d);
    }
    h.add(s.enrollment ? std::to_string(*s.enrollment) : "-");
    h.add(s.healthy_volunteers ? yes_no(*s.healthy_volunteers) : "-");
    h.add(s.has_results ? "R" : "-");
    for (const auto& a : s.arm_groups) {
        h.add(a.label);
        h.add(a.type);
        h.add(a.description);
        h.add(a.intervention_names);
    }
    for (const auto& i : s.interventions) {
        h.add(i.type);
        h.add(i.name);
        h.add(i.description);
        h.add(i.other_names);
        h.add(i.arm_group_labels);
    }
    for (const auto* outs : {&s.primary_outcomes, &s.secondary_outcomes, &s.other_outcomes}) {
        for (const auto& o : *outs) {
            h.add(o.measure);
            h.add(o.description);
            h.add(o.time_frame);
        }
        h.add("]");
    }
    for (const auto& l : s.locations) {
        h.add(l.facility);
        h.add(l.city);
        h.add(l.state);
        h.add(l.zip);
        h.add(l.country);
        h.add(l.status);
    }
    for (const auto* m : {&s.condition_mesh, &s.condition_mesh_ancestors, &s.intervention_mesh,
                          &s.intervention_mesh_ancestors}) {
        h.add(*m);
    }
    return h.value();
}

std::string fingerprint_hex(std::uint64_t fp) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fp));
    return buf;
}

unsigned shard_of(const std::string& nct_id, unsigned shards) {
    if (shards <= 1) return 0;
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : nct_id) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return static_cast<unsigned>(h % shards);
}

DocumentBuilder::DocumentBuilder(const analysis::AnalyzerRegistry& registry,
                                 const analysis::MeshThesaurus* mesh, std::uint64_t settings,
                                 const analysis::ConceptMatcher* concepts)
    : registry_(registry), mesh_(mesh), settings_(settings), concepts_(concepts) {}

std::string DocumentBuilder::fingerprint(const Study& s) const {
    return fingerprint_hex(study_fingerprint(s, settings_));
}

Xapian::Document DocumentBuilder::build(const Study& s) { return build(s, fingerprint(s)); }

Xapian::Document DocumentBuilder::build(const Study& s, const std::string& fingerprint) {
    Xapian::Document doc;
    doc.add_boolean_term(std::string(analysis::kIdPrefix) + s.nct_id);

    Xapian::termpos pos = 0;
    std::vector<analysis::IndexTarget> targets(2);
    auto field_text = [&](TextField f, const std::string& text, Xapian::termcount extra = 1) {
        if (text.empty()) return;
        const auto& spec = analysis::text_field(f);
        targets[0] = {std::string(spec.prefix), 1, spec.positions, spec.positions};
        targets[1] = {std::string(), spec.unprefixed_wdf * extra, true};
        const std::size_t n = spec.unprefixed_wdf == 0 ? 1 : 2;
        std::vector<analysis::IndexTarget> used(targets.begin(), targets.begin() + n);
        analysis::index_text(doc, registry_.get(spec.analyzer), text, used, pos, scratch_,
                             concepts_);
        pos += analysis::kFieldGap;
    };
    auto field_texts = [&](TextField f, const std::vector<std::string>& texts) {
        for (const auto& t : texts) field_text(f, t);
    };

    field_text(TextField::Title, s.brief_title);
    field_text(TextField::Title, s.official_title);
    field_text(TextField::Title, s.acronym);
    field_text(TextField::Summary, s.brief_summary);
    field_text(TextField::Description, s.detailed_description);
    field_text(TextField::Eligibility, s.eligibility_criteria);
    field_texts(TextField::Condition, s.conditions);
    field_texts(TextField::Keyword, s.keywords);
    for (const auto& i : s.interventions) {
        field_text(TextField::Intervention, i.name);
        field_texts(TextField::Intervention, i.other_names);
        field_text(TextField::Intervention, i.description);
    }
    for (const auto& a : s.arm_groups) {
        field_text(TextField::Arm, a.label);
        field_text(TextField::Arm, a.description);
    }
    for (const auto* outs : {&s.primary_outcomes, &s.secondary_outcomes, &s.other_outcomes}) {
        for (const auto& o : *outs) {
            field_text(TextField::Outcome, o.measure);
            field_text(TextField::Outcome, o.description);
        }
    }
    field_text(TextField::Sponsor, s.lead_sponsor);
    field_texts(TextField::Sponsor, s.collaborators);
    for (const auto& l : s.locations) {
        field_text(TextField::Location, l.facility);
        field_text(TextField::Location, l.city);
        field_text(TextField::Location, l.state);
        field_text(TextField::Location, l.country);
    }
    field_text(TextField::Identifier, s.nct_id);
    field_text(TextField::Identifier, s.org_study_id);
    field_texts(TextField::Identifier, s.secondary_ids);

    // MeSH: names as text (direct terms weigh more than ancestors), descriptor ids as terms.
    std::vector<std::string> cond_mesh_names;
    std::set<std::string> ids_done;
    // Descriptor id -> name of the condition [0] and intervention [1] sides, direct terms and
    // ancestors: similar trials name shared descriptors and tell condition from drug classes.
    nlohmann::json mesh_ids[2] = {nlohmann::json::object(), nlohmann::json::object()};
    auto add_mesh_id = [&](const std::string& ui, bool direct, const std::string& name,
                           bool is_condition) {
        if (ui.empty()) return;
        mesh_uis_.insert(ui);
        mesh_ids[is_condition ? 0 : 1].emplace(ui, name);
        doc.add_term(std::string(analysis::kMeshIdPrefix) + ui);
        if (direct) doc.add_term(std::string(analysis::kMeshDirectIdPrefix) + ui);
    };
    auto add_mesh = [&](const std::vector<records::MeshTerm>& direct,
                        const std::vector<records::MeshTerm>& ancestors, bool is_condition) {
        // Direct terms first (all of them), then ancestors: an ancestor of one term may be
        // another direct term of the same study and must still count as direct.
        std::set<std::string> names_done;
        std::vector<const analysis::MeshDescriptor*> resolved;
        for (const auto& m : direct) {
            if (!names_done.insert(m.term).second) continue;
            field_text(TextField::Mesh, m.term, 2);
            if (is_condition) cond_mesh_names.push_back(m.term);
            std::string ui = m.id;
            const analysis::MeshDescriptor* d = nullptr;
            if (mesh_ != nullptr) {
                d = ui.empty() ? mesh_->by_term(m.term) : mesh_->by_ui(ui);
                if (d == nullptr && !ui.empty()) d = mesh_->by_term(m.term);
                if (d != nullptr) ui = d->ui;
            }
            add_mesh_id(ui, true, m.term, is_condition);
            if (d != nullptr) resolved.push_back(d);
        }
        // Records without ancestors (legacy XML) get them from the thesaurus' tree numbers.
        if (ancestors.empty()) {
            for (const auto* d : resolved) {
                for (const auto* a : mesh_->ancestors(*d)) {
                    if (names_done.insert(a->name).second) field_text(TextField::Mesh, a->name);
                    add_mesh_id(a->ui, false, a->name, is_condition);
                }
            }
        }
        for (const auto& m : ancestors) {
            if (names_done.insert(m.term).second) field_text(TextField::Mesh, m.term);
            add_mesh_id(m.id, false, m.term, is_condition);
        }
    };
    add_mesh(s.condition_mesh, s.condition_mesh_ancestors, true);
    add_mesh(s.intervention_mesh, s.intervention_mesh_ancestors, false);

    // Facets.
    add_facet(doc, Facet::Status, s.overall_status);
    add_facet(doc, Facet::Phase, s.phases);
    add_facet(doc, Facet::StudyType, s.study_type);
    add_facet(doc, Facet::Allocation, s.allocation);
    add_facet(doc, Facet::InterventionModel, s.intervention_model);
    add_facet(doc, Facet::Masking, s.masking);
    add_facet(doc, Facet::Purpose, s.primary_purpose);
    std::vector<std::string> itypes;
    for (const auto& i : s.interventions) itypes.push_back(i.type);
    add_facet(doc, Facet::InterventionType, itypes);
    add_facet(doc, Facet::Sex, s.sex);
    if (s.healthy_volunteers) add_facet(doc, Facet::HealthyVolunteers, yes_no(*s.healthy_volunteers));
    add_facet(doc, Facet::AgeGroup, s.std_ages);
    std::vector<std::string> countries;
    for (const auto& l : s.locations) countries.push_back(l.country);
    add_facet(doc, Facet::Country, countries);
    add_facet(doc, Facet::SponsorClass, s.lead_sponsor_class);
    add_facet(doc, Facet::HasResults, yes_no(s.has_results));
    add_facet(doc, Facet::ConditionMesh, cond_mesh_names);

    // Numeric slots.
    add_date(doc, NumericSlot::StartDate, s.start_date);
    add_date(doc, NumericSlot::PrimaryCompletion, s.primary_completion_date);
    add_date(doc, NumericSlot::Completion, s.completion_date);
    add_date(doc, NumericSlot::FirstPosted, s.first_posted);
    add_date(doc, NumericSlot::LastUpdate, s.last_update_posted);
    if (s.enrollment) add_number(doc, NumericSlot::Enrollment, static_cast<double>(*s.enrollment));
    if (s.minimum_age_years) add_number(doc, NumericSlot::MinimumAge, *s.minimum_age_years);
    if (s.maximum_age_years) add_number(doc, NumericSlot::MaximumAge, *s.maximum_age_years);
    for (const auto& spec : analysis::numeric_slots()) {
        const std::string v = doc.get_value(static_cast<Xapian::valueno>(spec.slot));
        doc.add_value(spec.sort_base, v.empty() ? std::string("\xff") : v);
        // sortable_serialise() is variable-length: pad to its maximum (9 bytes) with '\0',
        // which keeps the order, so the NCT id appended as a tie-break starts at one offset.
        std::string padded = v.empty() ? std::string("\xff") : v;
        padded.resize(9, '\0');
        doc.add_value(spec.sort_base + 1, padded + s.nct_id);
        padded = v;
        padded.resize(9, '\0');
        doc.add_value(spec.sort_base + 2, padded + s.nct_id);
    }
    doc.add_value(analysis::kContentHashSlot, fingerprint);
    doc.add_value(analysis::kNctIdSlot, s.nct_id);

    // Stored data: what a result line and --json need, without reparsing the source.
    nlohmann::json j;
    j["nct_id"] = s.nct_id;
    j["title"] = s.brief_title;
    if (!s.official_title.empty()) j["official_title"] = s.official_title;
    if (!s.acronym.empty()) j["acronym"] = s.acronym;
    j["status"] = s.overall_status;
    j["phases"] = s.phases;
    j["study_type"] = s.study_type;
    j["conditions"] = s.conditions;
    if (!s.keywords.empty()) j["keywords"] = s.keywords;
    nlohmann::json interventions = nlohmann::json::array();
    for (const auto& i : s.interventions) {
        interventions.push_back({{"type", i.type}, {"name", i.name}});
    }
    j["interventions"] = interventions;
    j["condition_mesh"] = cond_mesh_names;
    if (!mesh_ids[0].empty()) j["condition_mesh_ids"] = std::move(mesh_ids[0]);
    if (!mesh_ids[1].empty()) j["intervention_mesh_ids"] = std::move(mesh_ids[1]);
    j["sponsor"] = s.lead_sponsor;
    if (!s.start_date.empty()) j["start_date"] = s.start_date.to_string();
    if (!s.completion_date.empty()) j["completion_date"] = s.completion_date.to_string();
    if (!s.last_update_posted.empty()) j["last_update"] = s.last_update_posted.to_string();
    if (s.enrollment) j["enrollment"] = *s.enrollment;
    if (!s.sex.empty()) j["sex"] = s.sex;
    if (!s.minimum_age.empty()) j["minimum_age"] = s.minimum_age;
    if (!s.maximum_age.empty()) j["maximum_age"] = s.maximum_age;
    j["summary"] = truncate_utf8(s.brief_summary, 2 * kStoredTextLimit);
    if (!s.detailed_description.empty()) {
        j["description"] = truncate_utf8(s.detailed_description, kStoredTextLimit);
    }
    if (!s.eligibility_criteria.empty()) {
        j["eligibility"] = truncate_utf8(s.eligibility_criteria, kStoredTextLimit);
    }
    doc.set_data(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return doc;
}

}  // namespace trials::indexer
