// The record model: one clinical study, whatever format it was read from. Enumerations hold
// ClinicalTrials.gov API v2 values (RECRUITING, PHASE2, INTERVENTIONAL, ...); text is UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trials::records {

// A registry date: yyyy, yyyy-MM or yyyy-MM-dd. Missing parts are 0.
struct PartialDate {
    int year = 0;
    int month = 0;  // 1..12, 0 when absent
    int day = 0;    // 1..31, 0 when absent

    [[nodiscard]] bool empty() const { return year == 0; }
    // yyyymmdd with missing month/day as 00 (sorts before any full date in that period).
    [[nodiscard]] std::int32_t as_number() const { return year * 10000 + month * 100 + day; }
    // "2020", "2020-06" or "2020-06-17"; empty string when empty.
    [[nodiscard]] std::string to_string() const;
    bool operator==(const PartialDate&) const = default;
};

struct MeshTerm {
    std::string id;    // descriptor UI, e.g. "D012128"; may be empty (legacy XML has names only)
    std::string term;  // descriptor name as the record gives it
    bool operator==(const MeshTerm&) const = default;
};

struct Intervention {
    std::string type;  // API v2 enum: DRUG, DEVICE, BIOLOGICAL, PROCEDURE, RADIATION, BEHAVIORAL,
                       // GENETIC, DIETARY_SUPPLEMENT, COMBINATION_PRODUCT, DIAGNOSTIC_TEST, OTHER
    std::string name;
    std::string description;
    std::vector<std::string> other_names;
    std::vector<std::string> arm_group_labels;
};

struct ArmGroup {
    std::string label;
    std::string type;  // EXPERIMENTAL, ACTIVE_COMPARATOR, PLACEBO_COMPARATOR, SHAM_COMPARATOR,
                       // NO_INTERVENTION, OTHER
    std::string description;
    std::vector<std::string> intervention_names;
};

struct Outcome {
    std::string measure;
    std::string description;
    std::string time_frame;
};

struct Location {
    std::string facility;
    std::string city;
    std::string state;
    std::string zip;
    std::string country;
    std::string status;  // RECRUITING, ... when given
};

struct Study {
    // identification
    std::string nct_id;  // "NCT" + 8 digits, validated by the readers
    std::string brief_title;
    std::string official_title;
    std::string acronym;
    std::string org_study_id;
    std::vector<std::string> secondary_ids;

    // status
    std::string overall_status;  // RECRUITING, NOT_YET_RECRUITING, ACTIVE_NOT_RECRUITING,
                                 // COMPLETED, ENROLLING_BY_INVITATION, SUSPENDED, TERMINATED,
                                 // WITHDRAWN, AVAILABLE, NO_LONGER_AVAILABLE,
                                 // TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING,
                                 // WITHHELD, UNKNOWN
    PartialDate start_date;
    PartialDate primary_completion_date;
    PartialDate completion_date;
    PartialDate first_posted;
    PartialDate last_update_posted;

    // sponsors
    std::string lead_sponsor;
    std::string lead_sponsor_class;  // NIH, FED, OTHER_GOV, INDIV, INDUSTRY, NETWORK, AMBIG,
                                     // OTHER, UNKNOWN
    std::vector<std::string> collaborators;

    // description
    std::string brief_summary;
    std::string detailed_description;

    // conditions
    std::vector<std::string> conditions;
    std::vector<std::string> keywords;

    // design
    std::string study_type;           // INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS
    std::vector<std::string> phases;  // EARLY_PHASE1, PHASE1, PHASE2, PHASE3, PHASE4, NA
    std::string allocation;           // RANDOMIZED, NON_RANDOMIZED, NA
    std::string intervention_model;   // SINGLE_GROUP, PARALLEL, CROSSOVER, FACTORIAL, SEQUENTIAL
    std::string primary_purpose;      // TREATMENT, PREVENTION, DIAGNOSTIC, ...
    std::string masking;              // NONE, SINGLE, DOUBLE, TRIPLE, QUADRUPLE
    std::optional<std::int64_t> enrollment;
    std::string enrollment_type;      // ACTUAL, ESTIMATED

    // arms and interventions
    std::vector<ArmGroup> arm_groups;
    std::vector<Intervention> interventions;

    // outcomes
    std::vector<Outcome> primary_outcomes;
    std::vector<Outcome> secondary_outcomes;
    std::vector<Outcome> other_outcomes;

    // eligibility
    std::string eligibility_criteria;
    std::string sex;                  // ALL, FEMALE, MALE (empty when not given)
    std::optional<bool> healthy_volunteers;
    std::string minimum_age;          // as written, e.g. "18 Years"
    std::string maximum_age;
    std::optional<double> minimum_age_years;  // normalised; nullopt when absent / "N/A"
    std::optional<double> maximum_age_years;
    std::vector<std::string> std_ages;  // CHILD, ADULT, OLDER_ADULT

    // locations
    std::vector<Location> locations;

    // derived (API v2 derivedSection; legacy XML has condition/intervention MeSH terms only)
    std::vector<MeshTerm> condition_mesh;
    std::vector<MeshTerm> condition_mesh_ancestors;
    std::vector<MeshTerm> intervention_mesh;
    std::vector<MeshTerm> intervention_mesh_ancestors;

    bool has_results = false;
};

}  // namespace trials::records
