// The index schema: one declarative table of text fields, one of facets, one of value slots.
// Adding a field is one row here; the indexer and the search both read these tables.
#pragma once

#include <xapian.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace trials::analysis {

// Schema version stored in database metadata; a mismatch is refused with a clear message.
inline constexpr std::string_view kSchemaVersion = "6";
inline constexpr std::string_view kSchemaMetadataKey = "trials:schema";

// Boolean term of the unique id: "Q" + NCT id.
inline constexpr std::string_view kIdPrefix = "Q";
// MeSH descriptor ids of the study's conditions/interventions and their ancestors:
// "XMD:" + UI (e.g. "XMD:D012128"). Direct descriptors also get "XMDX:" + UI.
inline constexpr std::string_view kMeshIdPrefix = "XMD:";
inline constexpr std::string_view kMeshDirectIdPrefix = "XMDX:";

// Position gap between field instances, so phrases never cross a field boundary.
inline constexpr Xapian::termpos kFieldGap = 100;

enum class TextField {
    Title,        // brief title, official title, acronym
    Summary,      // brief summary
    Description,  // detailed description
    Eligibility,  // eligibility criteria
    Condition,    // conditions
    Keyword,      // keywords
    Intervention, // intervention names, other names, descriptions
    Arm,          // arm group labels and descriptions
    Outcome,      // primary, secondary, other outcomes
    Sponsor,      // lead sponsor, collaborators
    Location,     // facility, city, state, country
    Identifier,   // NCT id, org study id, secondary ids
    Mesh,         // condition + intervention MeSH terms and their ancestors
};

struct TextFieldSpec {
    TextField field;
    std::string_view name;         // query name: title:, condition:, ...
    std::string_view prefix;       // term prefix ("XT", ...)
    std::string_view analyzer;     // registry name
    Xapian::termcount unprefixed_wdf;  // index-time weight in the unprefixed catch-all field
                                       // (0: not in the catch-all)
    bool positions;  // prefixed terms carry positions (short fields). Long narrative fields do
                     // not, and keep a stemmable word by its stem alone (not its exact form): a
                     // phrase or an exact word (EXPANSION[None]) scoped to them is matched as the
                     // phrase or word in the catch-all AND every word's stem in the field. That
                     // halves the positional data indexed and leaves out a quarter of the terms.
};

[[nodiscard]] std::span<const TextFieldSpec> text_fields();
[[nodiscard]] const TextFieldSpec& text_field(TextField field);
// By query name or alias ("title", "cond", "condition", "intervention", "intr", ...).
[[nodiscard]] const TextFieldSpec* find_text_field(std::string_view name);

// Numeric value slots (Xapian::sortable_serialise of the number).
enum class NumericSlot : Xapian::valueno {
    StartDate = 1,          // yyyymmdd (missing month/day as 00)
    PrimaryCompletion = 2,
    Completion = 3,
    FirstPosted = 4,
    LastUpdate = 5,
    Enrollment = 6,
    MinimumAge = 7,         // years
    MaximumAge = 8,         // years
};
// String slots.
inline constexpr Xapian::valueno kContentHashSlot = 9;  // 16 hex digits of the record's hash
inline constexpr Xapian::valueno kNctIdSlot = 10;       // NCT id, for stable sort tie-breaks

struct NumericSpec {
    NumericSlot slot;
    std::string_view name;       // start, completion, primary_completion, first_posted, updated,
                                 // enrollment, min_age, max_age
    bool is_date;
    // Sort keys (Xapian's remote backend cannot sort with a KeyMaker, so they are precomputed):
    // sort_base: the value, or "\xff" when missing (ascending, missing last);
    // sort_base+1: that + NCT id (ascending, ties by id); sort_base+2: the value, or "" when
    // missing, + NCT id (descending, ties by id, missing last). The plain slot serves ranges and
    // descending sorts tied by relevance.
    Xapian::valueno sort_base;
};
[[nodiscard]] std::span<const NumericSpec> numeric_slots();
[[nodiscard]] const NumericSpec* find_numeric(std::string_view name);

// Facets: a boolean filter term per value ("XF" + code + ":" + lower-case value) and a value
// slot holding all the study's values joined by kFacetSeparator (sorted, unique), so that a
// ValueCountMatchSpy (which works over remote shards too) counts value combinations that are
// then split into per-value counts. One local database counts them from its stored facet
// columns instead while they are current (facet_columns.hpp).
inline constexpr char kFacetSeparator = '\x1f';

enum class Facet {
    Status, Phase, StudyType, Allocation, InterventionModel, Masking, Purpose,
    InterventionType, Sex, HealthyVolunteers, AgeGroup, Country, SponsorClass, HasResults,
    ConditionMesh,
};

struct FacetSpec {
    Facet facet;
    std::string_view name;      // status, phase, type, ...
    std::string_view code;      // short code in the term prefix
    Xapian::valueno slot;
};
[[nodiscard]] std::span<const FacetSpec> facets();
[[nodiscard]] const FacetSpec& facet(Facet f);
// By name or alias ("status", "phase", "type", "study_type", "sex", "gender", "country", ...).
[[nodiscard]] const FacetSpec* find_facet(std::string_view name);

// Term for a facet value: "XF" + code + ":" + folded value (lower case, spaces kept).
[[nodiscard]] std::string facet_term(const FacetSpec& spec, std::string_view value);
// The prefix of all of a facet's terms ("XF" + code + ":").
[[nodiscard]] std::string facet_prefix(const FacetSpec& spec);
// Normalises what a user types for a facet filter to the indexed value (phase:2 -> phase2,
// status:"active, not recruiting" -> active_not_recruiting, country:Sweden -> sweden).
[[nodiscard]] std::string normalize_facet_value(const FacetSpec& spec, std::string_view value);

}  // namespace trials::analysis
