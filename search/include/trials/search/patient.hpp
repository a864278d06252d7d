// Patient-description search (trials-search --patient TEXT, --patient-file FILE): a clinical
// note in, the trials the patient may be eligible for out, as in the TREC Clinical Trials track.
//
// 1. The note is read for the patient's age ("58-year-old", "6-month-old", "58 yo", "aged 7",
//    "48 M ..."), sex (the person the age introduces, "53-year-old man", "75 yo M"; else
//    woman/man/girl/boy/he/she/female/male by majority) and the MeSH concepts it names
//    (n-grams found among the database's MeSH entry terms: "heart attack" -> D009203), leaving
//    out negated ones ("no history of diabetes", "denies chest pain"), whose words are also left
//    out of the query, and those said of relatives ("his father has hypertension", "family
//    history of ..." up to where the sentence comes back to the patient), whose words are left
//    out of the query too.
// 2. The query: every word of the note (shorthand spelled out: "HTN" is searched as
//    "hypertension") ORed in the catch-all field, again in the condition, title and MeSH-name
//    fields with higher weights (without the words that state the age and sex), the concepts of
//    two or more words as phrases in the condition and title fields, and the concepts' MeSH
//    descriptor terms.
// 3. Pseudo-relevance feedback: condition and MeSH terms of the first pass's top trials.
// 4. Re-ranking: a trial whose age range or sex excludes the patient is demoted, and so is one
//    whose exclusion criteria name the patient's concepts (and whose conditions do not).
// Each step can be switched off (PatientOptions) to measure what it adds.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trials/analysis/registry.hpp"
#include "trials/analysis/xapian_bridge.hpp"
#include "trials/search/searcher.hpp"
#include "trials/search/weighting.hpp"

namespace trials::search {

enum class PatientSex { Unknown, Female, Male };

struct PatientConcept {
    std::string text;     // the words of the note, as written
    std::string key;      // the analysed phrase key ("myocardial infarction")
    std::vector<std::string> mesh_terms;  // "XMD:D009203", ...
    // What shorthand stands for, as a curated synonym group spells it out ("HTN": "hypertension");
    // empty when the note's words are MeSH's own.
    std::string expands;
    bool negated = false;  // "no history of ...", "denies ...", "negative for ..."
    bool family = false;  // said of a relative: "family history of ...", "her father has ..."

    // The words trial records use for it: what shorthand stands for, else the note's own.
    [[nodiscard]] const std::string& words() const { return expands.empty() ? text : expands; }
    // As notes and Why lines quote it: "HTN (hypertension)", "chronic pain".
    [[nodiscard]] std::string quoted() const {
        return expands.empty() ? text : text + " (" + expands + ")";
    }
};

struct PatientProfile {
    std::string text;
    std::optional<double> age_years;
    std::string age_text;  // as written ("58-year-old")
    PatientSex sex = PatientSex::Unknown;
    std::string sex_evidence;  // the words that decided it ("woman, she x3")
    std::vector<PatientConcept> concepts;
    // Byte ranges of the note about relatives rather than the patient: from "family history" or
    // a relative opening a sentence to the sentence's end or its first word back to the patient
    // (a pronoun of the patient's sex, "patient"), as ConText's "experiencer: other".
    std::vector<std::pair<std::size_t, std::size_t>> family_spans;
};

// Reads age, sex and MeSH concepts from a note. synonyms may be null (no concepts then).
[[nodiscard]] PatientProfile read_patient(std::string_view text,
                                          const analysis::AnalyzerRegistry& registry,
                                          const analysis::SynonymSource* synonyms);

// The note with the words of its negated concepts blanked out ("no history of diabetes": the
// patient's condition is not diabetes), unless the same concept is also named un-negated; whole
// words only.
[[nodiscard]] std::string note_without_negated(const PatientProfile& profile);

// `text` (the note, or a copy of it blanked as above) with the profile's parts about relatives
// blanked out: "His father has type 2 diabetes" is no reason to search for diabetes.
[[nodiscard]] std::string note_without_family(const PatientProfile& profile, std::string text);

// `text` (the note, or a copy of it blanked as above) with the words that state the patient's age
// and sex blanked out: the age expression ("60-year-old") and the words for a person of a sex
// ("man", "women"; not "MEN"). They are read as the age and sex; searched in conditions and
// titles, "man" finds "Stiff-Man Syndrome".
[[nodiscard]] std::string note_without_demographics(const PatientProfile& profile,
                                                    std::string text);

// `text` (the note, blanked as above) with the shorthand the profile reads as concepts spelled
// out, as trial records write it ("HTN" -> "hypertension", "C diff" -> "clostridioides difficile
// infection"): searched as written, its letters match what they do not mean ("c" matched
// Hepatitis C). Negated and relatives' shorthand is left as it is (blanked already). Part of
// "shorthand".
[[nodiscard]] std::string note_with_shorthand_spelled_out(const PatientProfile& profile,
                                                          std::string text);

// The age in years an expression like "58-year-old", "6-month-old", "58 yo", "aged 7", "3 weeks
// old", "41 year man" or a note opening "48 M ..." / "74M ..." gives, with the matched text;
// nullopt when there is none.
// The sex: the word the age introduces ("53-year-old man", "75 yo M", "48 M") when there is one,
// else the majority of sex words and pronouns; evidence lists them ("subject man; his, she x2").
[[nodiscard]] std::optional<std::pair<double, std::string>> read_age(std::string_view text);
[[nodiscard]] PatientSex read_sex(std::string_view text, std::string* evidence = nullptr);

struct PatientOptions {
    // Query parts (weights of OP_SCALE_WEIGHT; a part weighted 0 is left out). The note's words
    // in the catch-all (with synonyms, as the query parser does) are always there: with every
    // part off, this is plain keyword search over the whole note.
    bool fields = true;     // the note's words in the condition and title fields
    bool mesh = true;       // ... in the MeSH-name field, and the note's MeSH descriptor ids
    bool age_sex = true;
    bool exclusion = true;
    bool feedback = true;
    double all_weight = 1.0;
    // Defaults chosen on TREC CT 2021 and SIGIR 2016 (README "Relevance"; 2022 left untouched).
    double condition_weight = 1.0;
    double title_weight = 0.5;
    double mesh_name_weight = 1.0;
    double mesh_weight = 0.0;  // descriptor ids: added nothing on 2021 (--param to try)
    double feedback_weight = 0.6;
    unsigned feedback_docs = 10;
    unsigned feedback_terms = 20;
    double age_factor = 0.25;       // score multiplier when the age range excludes the patient
    double sex_factor = 0.25;       // ... when the trial's sex excludes the patient
    double exclusion_factor = 0.7;  // ... per concept in the exclusion criteria (at most 2)
    // The exclusion demotion reads the criteria that open with "No" as well ("No prior
    // chemotherapy"; PDQ cancer trials write all their exclusions so; part "no-criteria").
    bool no_criteria = true;
    bool drop_negated = true;  // the query leaves out negated concepts' words (part "negation")
    // A record without structured ages is checked against the range its criteria state ("Age: 18
    // and over", legacy PDQ and NIH Clinical Center records; part "stated-ages").
    bool stated_ages = true;
    // Shorthand a curated synonym group spells out is read as its concept ("HTN", "CLL", "T2DM";
    // part "shorthand"): searched spelled out, and its words in the exclusion criteria and as a
    // phrase in conditions.
    bool shorthand = true;
    // Concepts said of relatives are not the patient's (no MeSH ids, no exclusion demotion) and
    // the words about relatives leave the query (part "family").
    bool family = true;
    // The words that state the age and sex ("60-year-old", "man") leave the condition, title and
    // MeSH-name parts of the query: the age and sex demotion reads them (part "demographics").
    bool demographics = true;
    // The patient's concepts of two or more words as phrases in the condition field (1) and the
    // title field (0.5), ORed and scaled (part "concept-phrases"). Single words are matched there
    // by the condition and title parts already.
    bool concept_phrases = true;
    double concept_phrase_weight = 2.0;
    // The note's first sentence, where notes name the patient and the history they come with ("A
    // 45-year-old man with a history of anaplastic astrocytoma of the spine ..."), again in the
    // condition field (part "first-sentence").
    bool first_sentence = true;
    double first_sentence_weight = 0.5;
    // The note's sentences that state a diagnosis ("... confirmed the diagnosis of Turner
    // syndrome", "consistent with Burkitt's lymphoma"), again in the condition field (part
    // "diagnosis"; diagnosis_sentences()).
    bool diagnosis = true;
    double diagnosis_weight = 1.5;
    unsigned max_words = kMaxOrWords;  // the note's rarest words searched (0: all of them)
    std::size_t rerank_depth = 1000;  // trials re-ranked (all when restricted)
    // Synonym groups matched by one phrase per other spelling (as before concept terms, schema 4;
    // ranks better on 2021, 2022 and SIGIR) or by their indexed concept terms, as keyword search
    // does.
    bool synonym_phrases = true;
    double bm25_k1 = kBm25K1;  // BM25 parameters (weighting.hpp)
    double bm25_b = kBm25B;
};

// The note's parts about relatives as written, trimmed (for the Note line and --json).
[[nodiscard]] std::vector<std::string> about_relatives(const PatientProfile& profile);

// Whether a concept of the note counts as the patient's: not negated, and not said of a relative
// (unless options.family is off).
[[nodiscard]] bool patients_own(const PatientConcept& c, const PatientOptions& options);

// The criteria of an eligibility text that exclude by opening with "No", "Not" or "Without" ("No
// prior chemotherapy"): the exclusion demotion reads them besides the exclusion section (part
// "no-criteria"). Limits ("No more than 2 prior regimens") are not among them.
[[nodiscard]] std::vector<std::string_view> no_criteria(std::string_view text);

// A note's first sentence: up to the first '.', '!' or '?' followed by a space and a capital (not
// after a title or an initial: "Dr. Smith", "J. Smith"; not inside a number, "1.5") or to the
// first line break after some text; the whole note when it has one sentence.
[[nodiscard]] std::string_view first_sentence(std::string_view note);

// The note's sentences (split at '.' and line breaks) that state a diagnosis: those that say
// "diagnos...", "confirm...", "consistent with" or "found to have" (in any case), each followed by
// ". "; empty when none does.
[[nodiscard]] std::string diagnosis_sentences(std::string_view note);

// The age range a record without structured ages states in its criteria, as the legacy
// registry's PDQ and NIH Clinical Center records do ("Age: 18 and over", "Age: 2 to 21", "Age
// range: 15 or older", "Age: 10-80 years"): the age demotion checks the patient against it (part
// "stated-ages"). nullopt when the criteria state none so.
struct StatedAges {
    std::optional<double> lo, hi;  // years
    std::string text;              // as written, on one line ("Age: 18 and over")
};
[[nodiscard]] std::optional<StatedAges> stated_ages(const std::string& eligibility);

// Switches a part off by name (fields, mesh, age-sex, exclusion, feedback, negation, family,
// concept-phrases, no-criteria, stated-ages, shorthand, first-sentence, demographics, diagnosis,
// all = every
// part: plain keyword search over the note) and sets a number by name (all_weight=1.2,
// feedback_docs=5, ...).
// Throws trials::UsageError on an unknown name or a bad value.
void disable_part(PatientOptions& options, std::string_view part);
void set_option(PatientOptions& options, std::string_view name_equals_value);

struct PatientRequest {
    std::string text;                   // the note
    std::string filters;                // query-language filters/words restricting the trials
    std::vector<std::string> only_ids;  // rank only these trials (judged-subset evaluation)
    std::size_t offset = 0;
    std::size_t limit = 10;
    bool snippets = true;
};

// One trial's score in patient mode, part by part.
struct PatientExplanation {
    PatientProfile profile;
    std::string nct_id;
    bool in_database = false;
    bool matches = false;
    std::size_t rank = 0;  // in the patient ranking (0: not ranked)
    double base_score = 0;  // before re-ranking
    double score = 0;       // after
    std::vector<std::pair<std::string, double>> parts;  // query part -> its score
    std::vector<std::pair<std::string, double>> top_terms;  // matched terms, highest first
    std::vector<std::string> adjustments;  // "age 58 outside 18..50 years: x0.4", ...
    std::vector<std::string> feedback_terms;
    nlohmann::json data;
};

class PatientSearch {
public:
    PatientSearch(Searcher& searcher, PatientOptions options);
    // Throws trials::QueryError (bad filters), trials::IndexError.
    [[nodiscard]] SearchResponse search(const PatientRequest& request) const;
    [[nodiscard]] PatientExplanation explain(const PatientRequest& request,
                                             std::string_view nct_id) const;
    [[nodiscard]] PatientProfile profile(std::string_view text) const;

private:
    Searcher& searcher_;
    PatientOptions options_;
};

void print_patient_explanation(std::ostream& out, const PatientExplanation& e);
[[nodiscard]] nlohmann::json patient_explanation_to_json(const PatientExplanation& e);
[[nodiscard]] nlohmann::json profile_to_json(const PatientProfile& p);

}  // namespace trials::search
