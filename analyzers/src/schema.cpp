// The schema tables: text fields, numeric slots and facets, and the facet value normalisation.
#include "trials/analysis/schema.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "trials/error.hpp"

namespace trials::analysis {
namespace {

// Catch-all weights favour titles, conditions and MeSH over long narrative text, as
// ClinicalTrials.gov's search areas do (Condition .95, BriefTitle .6, MeSH .5, Keyword .3).
constexpr std::array kTextFields{
    TextFieldSpec{TextField::Title, "title", "XT", "prose", 5, true},
    TextFieldSpec{TextField::Summary, "summary", "XS", "prose", 2, false},
    TextFieldSpec{TextField::Description, "description", "XD", "prose", 1, false},
    TextFieldSpec{TextField::Eligibility, "eligibility", "XE", "prose", 1, false},
    TextFieldSpec{TextField::Condition, "condition", "XC", "name", 5, true},
    TextFieldSpec{TextField::Keyword, "keyword", "XK", "name", 3, true},
    TextFieldSpec{TextField::Intervention, "intervention", "XI", "name", 3, true},
    TextFieldSpec{TextField::Arm, "arm", "XR", "prose", 1, false},
    TextFieldSpec{TextField::Outcome, "outcome", "XO", "prose", 1, false},
    TextFieldSpec{TextField::Sponsor, "sponsor", "XP", "name", 1, true},
    TextFieldSpec{TextField::Location, "location", "XL", "name", 1, true},
    TextFieldSpec{TextField::Identifier, "id", "XN", "identifier", 1, true},
    TextFieldSpec{TextField::Mesh, "mesh", "XM", "name", 3, true},
};

struct Alias {
    std::string_view alias;
    std::string_view name;
};
constexpr std::array kTextAliases{
    Alias{"titles", "title"},          Alias{"acronym", "title"},
    Alias{"cond", "condition"},        Alias{"conditions", "condition"},
    Alias{"keywords", "keyword"},      Alias{"intr", "intervention"},
    Alias{"interventions", "intervention"}, Alias{"drug", "intervention"},
    Alias{"outc", "outcome"},          Alias{"outcomes", "outcome"},
    Alias{"spons", "sponsor"},         Alias{"lead", "sponsor"},
    Alias{"locn", "location"},         Alias{"site", "location"},
    Alias{"criteria", "eligibility"},  Alias{"elig", "eligibility"},
    Alias{"arms", "arm"},              Alias{"nct", "id"},
    Alias{"ids", "id"},                Alias{"detailed", "description"},
    Alias{"brief", "summary"},
};

constexpr std::array kNumeric{
    NumericSpec{NumericSlot::StartDate, "start", true, 40},
    NumericSpec{NumericSlot::PrimaryCompletion, "primary_completion", true, 43},
    NumericSpec{NumericSlot::Completion, "completion", true, 46},
    NumericSpec{NumericSlot::FirstPosted, "first_posted", true, 49},
    NumericSpec{NumericSlot::LastUpdate, "updated", true, 52},
    NumericSpec{NumericSlot::Enrollment, "enrollment", false, 55},
    NumericSpec{NumericSlot::MinimumAge, "min_age", false, 58},
    NumericSpec{NumericSlot::MaximumAge, "max_age", false, 61},
};
constexpr std::array kNumericAliases{
    Alias{"start_date", "start"},     Alias{"completion_date", "completion"},
    Alias{"last_update", "updated"},  Alias{"lastupdate", "updated"},
    Alias{"enrolment", "enrollment"}, Alias{"posted", "first_posted"},
};

constexpr std::array kFacets{
    FacetSpec{Facet::Status, "status", "status", 20},
    FacetSpec{Facet::Phase, "phase", "phase", 21},
    FacetSpec{Facet::StudyType, "type", "type", 22},
    FacetSpec{Facet::Allocation, "allocation", "alloc", 23},
    FacetSpec{Facet::InterventionModel, "model", "model", 24},
    FacetSpec{Facet::Masking, "masking", "mask", 25},
    FacetSpec{Facet::Purpose, "purpose", "purpose", 26},
    FacetSpec{Facet::InterventionType, "intervention_type", "itype", 27},
    FacetSpec{Facet::Sex, "sex", "sex", 28},
    FacetSpec{Facet::HealthyVolunteers, "healthy", "healthy", 29},
    FacetSpec{Facet::AgeGroup, "age_group", "agegrp", 30},
    FacetSpec{Facet::Country, "country", "country", 31},
    FacetSpec{Facet::SponsorClass, "sponsor_class", "fclass", 32},
    FacetSpec{Facet::HasResults, "results", "results", 33},
    FacetSpec{Facet::ConditionMesh, "condition_mesh", "cmesh", 34},
};
constexpr std::array kFacetAliases{
    Alias{"overall_status", "status"}, Alias{"phases", "phase"},
    Alias{"study_type", "type"},       Alias{"studytype", "type"},
    Alias{"gender", "sex"},            Alias{"intervention_model", "model"},
    Alias{"primary_purpose", "purpose"}, Alias{"itype", "intervention_type"},
    Alias{"healthy_volunteers", "healthy"}, Alias{"ages", "age_group"},
    Alias{"funder", "sponsor_class"},  Alias{"funder_type", "sponsor_class"},
    Alias{"has_results", "results"},   Alias{"countries", "country"},
    Alias{"mesh_condition", "condition_mesh"},
};

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

template <typename Spec, std::size_t N, std::size_t M>
const Spec* find_by_name(const std::array<Spec, N>& specs, const std::array<Alias, M>& aliases,
                         std::string_view name) {
    const std::string key = lower_ascii(name);
    std::string_view canonical = key;
    for (const auto& a : aliases) {
        if (a.alias == key) canonical = a.name;
    }
    for (const auto& s : specs) {
        if (s.name == canonical) return &s;
    }
    return nullptr;
}

// "Active, not recruiting" -> "active_not_recruiting": lower case, runs of non-alphanumerics
// become one '_', trimmed.
std::string fold_enum(std::string_view value) {
    std::string out;
    bool pending = false;
    for (unsigned char c : value) {
        if (std::isalnum(c)) {
            if (pending && !out.empty()) out.push_back('_');
            pending = false;
            out.push_back(static_cast<char>(std::tolower(c)));
        } else {
            pending = true;
        }
    }
    return out;
}

}  // namespace

std::span<const TextFieldSpec> text_fields() { return kTextFields; }

const TextFieldSpec& text_field(TextField field) {
    for (const auto& f : kTextFields) {
        if (f.field == field) return f;
    }
    throw Error("unknown text field");
}

const TextFieldSpec* find_text_field(std::string_view name) {
    return find_by_name(kTextFields, kTextAliases, name);
}

std::span<const NumericSpec> numeric_slots() { return kNumeric; }

const NumericSpec* find_numeric(std::string_view name) {
    return find_by_name(kNumeric, kNumericAliases, name);
}

std::span<const FacetSpec> facets() { return kFacets; }

const FacetSpec& facet(Facet f) {
    for (const auto& s : kFacets) {
        if (s.facet == f) return s;
    }
    throw Error("unknown facet");
}

const FacetSpec* find_facet(std::string_view name) {
    return find_by_name(kFacets, kFacetAliases, name);
}

std::string facet_prefix(const FacetSpec& spec) {
    std::string p = "XF";
    p += spec.code;
    p += ':';
    return p;
}

std::string facet_term(const FacetSpec& spec, std::string_view value) {
    std::string t = facet_prefix(spec);
    // Multi-word free values (countries, MeSH names) keep their spaces; enums fold to a_b.
    if (spec.facet == Facet::Country || spec.facet == Facet::ConditionMesh) {
        t += lower_ascii(value);
    } else {
        t += fold_enum(value);
    }
    return t;
}

std::string normalize_facet_value(const FacetSpec& spec, std::string_view value) {
    std::string v = fold_enum(value);
    switch (spec.facet) {
        case Facet::Phase: {
            // phase:2, phase:ii, phase:phase2, phase:early1, phase:early_phase1, phase:na
            if (v == "1" || v == "i" || v == "phase_1") return "phase1";
            if (v == "2" || v == "ii" || v == "phase_2") return "phase2";
            if (v == "3" || v == "iii" || v == "phase_3") return "phase3";
            if (v == "4" || v == "iv" || v == "phase_4") return "phase4";
            if (v == "0" || v == "early" || v == "early1" || v == "early_1" ||
                v == "early_phase_1" || v == "early_phase1")
                return "early_phase1";
            if (v == "n_a" || v == "none" || v == "not_applicable") return "na";
            return v;
        }
        case Facet::Status: {
            if (v == "open") return "recruiting";
            if (v == "active") return "active_not_recruiting";
            if (v == "unknown_status") return "unknown";
            return v;
        }
        case Facet::Sex:
            if (v == "women" || v == "f") return "female";
            if (v == "men" || v == "m") return "male";
            if (v == "both") return "all";
            return v;
        case Facet::HealthyVolunteers:
        case Facet::HasResults:
            if (v == "true" || v == "y" || v == "1" || v == "with") return "yes";
            if (v == "false" || v == "n" || v == "0" || v == "without") return "no";
            return v;
        case Facet::Country:
        case Facet::ConditionMesh:
            return lower_ascii(value);
        default:
            return v;
    }
}

}  // namespace trials::analysis
