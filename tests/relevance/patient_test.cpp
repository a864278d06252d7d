// Reading a patient note: age, sex, MeSH concepts and negation (trials/search/patient.hpp).
#include "trials/search/patient.hpp"

#include <gtest/gtest.h>

#include <map>

#include "trials/error.hpp"

namespace trials::search {
namespace {

TEST(PatientNote, Ages) {
    const auto age = [](const char* text) { return read_age(text).value().first; };
    EXPECT_DOUBLE_EQ(age("A 58-year-old woman with chest pain"), 58);
    EXPECT_DOUBLE_EQ(age("Patient is a 45 year old man"), 45);
    EXPECT_DOUBLE_EQ(age("a 6-month-old boy with fever"), 0.5);
    EXPECT_DOUBLE_EQ(age("3 weeks old girl"), 3.0 / 52);
    EXPECT_DOUBLE_EQ(age("58 yo F with dyspnea"), 58);
    EXPECT_DOUBLE_EQ(age("The patient, aged 7, has asthma"), 7);
    EXPECT_EQ(read_age("A 58-year-old woman").value().second, "58-year-old");
    EXPECT_FALSE(read_age("An elderly woman with 3 children").has_value());
    // Clinical shorthand and a missing "old" (TREC 2021 topics 2, 5, 48 had no age before).
    EXPECT_DOUBLE_EQ(age("48 M with a h/o HTN, hyperlipidemia"), 48);
    EXPECT_DOUBLE_EQ(age("74M hx of CAD s/p CABG"), 74);
    EXPECT_DOUBLE_EQ(age("Fernandez is a 41 year man who plays soccer"), 41);
    EXPECT_EQ(read_age("74M hx of CAD").value().second, "74M");
    // Not an age: a temperature in Fahrenheit inside the note, a duration.
    EXPECT_FALSE(read_age("Fever of 101 F for 3 days").has_value());
    EXPECT_FALSE(read_age("Smoked for 20 years, quit").has_value());
}

TEST(PatientNote, Sex) {
    std::string why;
    EXPECT_EQ(read_sex("A 58-year-old woman. She has pain; her husband", &why), PatientSex::Female);
    EXPECT_EQ(why, "subject woman; her, she, woman");
    EXPECT_EQ(read_sex("A boy whose mother says he coughs"), PatientSex::Male);
    EXPECT_EQ(read_sex("Male, 60, smoker."), PatientSex::Male);
    EXPECT_EQ(read_sex("female patient"), PatientSex::Female);
    EXPECT_EQ(read_sex("A 40-year-old with fever"), PatientSex::Unknown);
    // Whole words only: "themselves", "shelter", "manage" are not sex words.
    EXPECT_EQ(read_sex("they manage the shelter themselves"), PatientSex::Unknown);
    // The person the age introduces decides over pronouns about others (TREC 2021 topic 74:
    // "man" once against "she" twice about his wife), and shorthand names the sex too.
    EXPECT_EQ(read_sex("A 53-year-old man. His wife says she is worried; she called", &why),
              PatientSex::Male);
    EXPECT_EQ(why, "subject man; his, man, she x2");
    EXPECT_EQ(read_sex("A 75 yo M w/ thyroid cancer"), PatientSex::Male);
    EXPECT_EQ(read_sex("79 yo F with chronic hypoxemia"), PatientSex::Female);
    EXPECT_EQ(read_sex("74M hx of CAD, her sister has CAD too"), PatientSex::Male);
    EXPECT_EQ(read_sex("A 30-year-old African American woman; he said"), PatientSex::Female);
    EXPECT_EQ(read_sex("This is a 57-year-old gentleman"), PatientSex::Male);
    // A single letter is a sex only as a capital ("75 yo M"), not the f of "f/u".
    EXPECT_EQ(read_sex("A 40-year-old f/u visit"), PatientSex::Unknown);
}

class MapSynonyms : public analysis::SynonymSource {
public:
    std::map<std::string, std::vector<std::string>> map;
    std::vector<std::string> lookup(const std::string& key) const override {
        const auto it = map.find(key);
        return it == map.end() ? std::vector<std::string>{} : it->second;
    }
};

// Synonyms that map each key to one MeSH descriptor term.
MapSynonyms descriptors(std::initializer_list<std::pair<const char*, const char*>> keys) {
    MapSynonyms syn;
    for (const auto& [key, id] : keys) syn.map[key] = {id};
    return syn;
}

TEST(PatientNote, ConceptsLongestFirstAndNegation) {
    MapSynonyms syn;
    syn.map["myocardial infarction"] = {"heart attack", "XMD:D009203"};
    syn.map["infarction"] = {"XMD:D007238"};
    syn.map["diabetes"] = {"XMD:D003920"};
    syn.map["hypertension"] = {"high blood pressure", "XMD:D006973"};
    syn.map["asthma"] = {"wheeze"};  // not a MeSH concept: no descriptor term
    const analysis::AnalyzerRegistry registry;
    const auto p = read_patient(
        "A 61-year-old man with a myocardial infarction last year and hypertension. "
        "No history of diabetes. Asthma as a child.",
        registry, &syn);
    ASSERT_EQ(p.concepts.size(), 3U);
    EXPECT_EQ(p.concepts[0].text, "myocardial infarction");
    EXPECT_EQ(p.concepts[0].mesh_terms, std::vector<std::string>{"XMD:D009203"});
    EXPECT_FALSE(p.concepts[0].negated);
    EXPECT_EQ(p.concepts[1].text, "hypertension");
    EXPECT_FALSE(p.concepts[1].negated);
    EXPECT_EQ(p.concepts[2].text, "diabetes");
    EXPECT_TRUE(p.concepts[2].negated);
    EXPECT_EQ(p.sex, PatientSex::Male);
    EXPECT_DOUBLE_EQ(*p.age_years, 61);
}

// The nearest negation decides, and its scope ends at a termination term (ConText).
TEST(PatientNote, NegationScope) {
    const auto syn = descriptors(
        {{"fever", "XMD:D005334"}, {"cough", "XMD:D003371"}, {"diabetes", "XMD:D003920"}});
    const analysis::AnalyzerRegistry registry;
    const auto p = read_patient("No fever but a dry cough for a week.", registry, &syn);
    ASSERT_EQ(p.concepts.size(), 2U);
    EXPECT_TRUE(p.concepts[0].negated);   // fever
    EXPECT_FALSE(p.concepts[1].negated);  // cough, after "but"
    // The same negation far back does not hide a near one.
    const auto q = read_patient("No tobacco use and she has walked five kilometres every single "
                                "morning for the last twenty years, with no diabetes.",
                                registry, &syn);
    ASSERT_EQ(q.concepts.size(), 1U);
    EXPECT_TRUE(q.concepts[0].negated);
    // A parenthesis closed after the trigger ends its scope (TREC 2021 topic 7), one still open
    // does not.
    const auto r = read_patient("Cirrhosis (treated twice with no response) Grade II diabetes and "
                                "no (dry) cough.",
                                registry, &syn);
    ASSERT_EQ(r.concepts.size(), 2U);
    EXPECT_EQ(r.concepts[0].text, "diabetes");
    EXPECT_FALSE(r.concepts[0].negated);
    EXPECT_EQ(r.concepts[1].text, "cough");
    EXPECT_TRUE(r.concepts[1].negated);
    // So does the next item of a list written on one line (TREC 2021 topic 16).
    const auto l = read_patient("Past Medical History: - OSA, not CPAP compliant - Diabetes - Dry "
                                "cough",
                                registry, &syn);
    ASSERT_EQ(l.concepts.size(), 2U);
    EXPECT_FALSE(l.concepts[0].negated);  // diabetes
    EXPECT_FALSE(l.concepts[1].negated);  // cough
    // And the patient as the subject of a new clause (SIGIR 2016 topic 44: "CT was negative for
    // brain hemorrhage and she was given thrombolytic therapy").
    const auto c = read_patient("Negative for fever and she was given diabetes education, no "
                                "cough.",
                                registry, &syn);
    ASSERT_EQ(c.concepts.size(), 3U);
    EXPECT_TRUE(c.concepts[0].negated);   // fever
    EXPECT_FALSE(c.concepts[1].negated);  // diabetes
    EXPECT_TRUE(c.concepts[2].negated);   // cough
}

// A contraction negates ("doesn't", also with a typographic apostrophe); a treatment that did not
// work was taken ("didn't respond to", "did not improve with").
TEST(PatientNote, ContractionsNegateAndFailedTreatmentsWereTaken) {
    const auto syn = descriptors({{"drugs", "XMD:D004364"},
                                  {"corticosteroid", "XMD:D000305"},
                                  {"albuterol", "XMD:D000420"},
                                  {"metformin", "XMD:D008687"},
                                  {"fever", "XMD:D005334"}});
    const analysis::AnalyzerRegistry registry;
    const auto p = read_patient(
        "A 12-year-old boy with asthma. He didn't respond to the usual corticosteroid inhaler. "
        "He doesn't smoke or use illicit drugs. He did not improve with albuterol. "
        "She didn\u2019t have a fever. He did not tolerate metformin.",
        registry, &syn);
    ASSERT_EQ(p.concepts.size(), 5U);
    EXPECT_EQ(p.concepts[0].text, "corticosteroid");
    EXPECT_FALSE(p.concepts[0].negated);
    EXPECT_EQ(p.concepts[1].text, "drugs");
    EXPECT_TRUE(p.concepts[1].negated);
    EXPECT_EQ(p.concepts[2].text, "albuterol");
    EXPECT_FALSE(p.concepts[2].negated);
    EXPECT_EQ(p.concepts[3].text, "fever");
    EXPECT_TRUE(p.concepts[3].negated);
    EXPECT_EQ(p.concepts[4].text, "metformin");
    EXPECT_FALSE(p.concepts[4].negated);
}

// MeSH names descriptors in the plural, notes write the singular (and the other way round): the
// last word of a phrase is tried in the other number before a shorter n-gram ("disease") is
// taken. A single word keeps its number ("emergency" is not Emergencies). Eponyms are read without
// their apostrophe too.
TEST(PatientNote, ConceptsInEitherNumber) {
    const auto syn = descriptors({{"liver diseases", "XMD:D008107"},
                                  {"disease", "XMD:D004194"},
                                  {"kidney stones", "XMD:D007669"},
                                  {"allergy", "XMD:D006967"},
                                  {"emergencies", "XMD:D004630"},
                                  {"crohn disease", "XMD:D003424"}});
    const analysis::AnalyzerRegistry registry;
    const auto p = read_patient(
        "A 50-year-old woman came to the emergency department with chronic liver disease, a "
        "kidney stone and seasonal allergies. No other disease. Her sister has Crohns disease.",
        registry, &syn);
    ASSERT_EQ(p.concepts.size(), 4U);
    EXPECT_EQ(p.concepts[0].text, "liver disease");
    EXPECT_EQ(p.concepts[0].key, "liver diseases");
    EXPECT_EQ(p.concepts[0].mesh_terms, std::vector<std::string>{"XMD:D008107"});
    EXPECT_EQ(p.concepts[1].text, "kidney stone");
    EXPECT_EQ(p.concepts[1].mesh_terms, std::vector<std::string>{"XMD:D007669"});
    EXPECT_EQ(p.concepts[2].text, "disease");  // alone, and negated
    EXPECT_TRUE(p.concepts[2].negated);
    // An eponym without its apostrophe ("Crohn's disease" is keyed "crohn disease").
    EXPECT_EQ(p.concepts[3].text, "Crohns disease");
    EXPECT_EQ(p.concepts[3].key, "crohn disease");
    EXPECT_TRUE(p.concepts[3].family);
}

TEST(PatientNote, NegatedConceptsLeaveTheQueryText) {
    const auto syn = descriptors(
        {{"diabetes", "XMD:D003920"}, {"hypertension", "XMD:D006973"}, {"asthma", "XMD:D001249"}});
    const analysis::AnalyzerRegistry registry;
    // negated diabetes goes, whole words only (prediabetes stays); hypertension, negated once
    // and named once, stays
    const auto p = read_patient(
        "Prediabetes and asthma. No history of diabetes. Denies hypertension. Known hypertension.",
        registry, &syn);
    EXPECT_EQ(note_without_negated(p),
              "Prediabetes and asthma. No history of         . Denies hypertension. Known "
              "hypertension.");
    PatientOptions o;
    EXPECT_TRUE(o.drop_negated);
    disable_part(o, "negation");
    EXPECT_FALSE(o.drop_negated);
}

// Shorthand a curated group spells out is read as the spelled-out phrase's concept, when it is
// written as an abbreviation (TREC 2021 topic 8's "CLL" and topic 5's "HTN" gave no concept):
// not the lower-case word ("all"), not "U/C" (urine culture), not "RA" after "on" (room air).
TEST(PatientNote, ShorthandReadAsItsConcept) {
    MapSynonyms syn;
    syn.map["cll"] = {"chronic lymphocytic leukemia", "XG:cll"};
    syn.map["chronic lymphocytic leukemia"] = {"cll", "XG:cll", "XMD:D015451"};
    syn.map["htn"] = {"hypertension", "XG:htn"};
    syn.map["hypertension"] = {"htn", "XG:htn", "XMD:D006973"};
    syn.map["all"] = {"acute lymphoblastic leukemia", "XG:all"};
    syn.map["acute lymphoblastic leukemia"] = {"all", "XG:all", "XMD:D054198"};
    syn.map["ra"] = {"rheumatoid arthritis", "XG:ra"};
    syn.map["rheumatoid arthritis"] = {"ra", "XG:ra", "XMD:D001172"};
    syn.map["uc"] = {"ulcerative colitis", "XG:uc"};
    syn.map["ulcerative colitis"] = {"uc", "XG:uc", "XMD:D003093"};
    const analysis::AnalyzerRegistry registry;
    const auto p = read_patient(
        "57 M with CLL, no HTN. All of it. SpO2 98% on RA. U/C: negative. History of RA.",
        registry, &syn);
    ASSERT_EQ(p.concepts.size(), 3U);
    EXPECT_EQ(p.concepts[0].text, "CLL");
    EXPECT_EQ(p.concepts[0].mesh_terms, std::vector<std::string>{"XMD:D015451"});
    EXPECT_EQ(p.concepts[0].words(), "chronic lymphocytic leukemia");
    EXPECT_EQ(p.concepts[1].text, "HTN");
    EXPECT_TRUE(p.concepts[1].negated);
    EXPECT_EQ(p.concepts[2].text, "RA");
    EXPECT_EQ(p.concepts[2].mesh_terms, std::vector<std::string>{"XMD:D001172"});
    // A concept MeSH names keeps the note's words.
    const auto q = read_patient("Known hypertension.", registry, &syn);
    ASSERT_EQ(q.concepts.size(), 1U);
    EXPECT_EQ(q.concepts[0].words(), "hypertension");
    EXPECT_TRUE(q.concepts[0].expands.empty());
}

TEST(PatientNote, DemographicsLeaveTheQueryText) {
    PatientProfile p;
    p.text = "A 60-year-old man with MEN 2 and a human papilloma; women in his family, Ms. Doe.";
    p.age_text = "60-year-old";
    EXPECT_EQ(note_without_demographics(p, p.text),
              "A                 with MEN 2 and a human papilloma;       in his family, Ms. Doe.");
    p.text = "Woman's health: 48 M";
    p.age_text = "48 M";
    EXPECT_EQ(note_without_demographics(p, p.text), "     's health:     ");
}

TEST(PatientNote, ShorthandSpelledOut) {
    PatientProfile p;
    p.text = "48 M with HTN, C diff and CHTN; no DM. Her brother has CLL.";
    const auto make = [](const char* text, const char* expands, bool negated, bool family) {
        PatientConcept c;
        c.text = text;
        c.expands = expands;
        c.negated = negated;
        c.family = family;
        return c;
    };
    p.concepts = {make("HTN", "hypertension", false, false),
                  make("C diff", "clostridioides difficile infection", false, false),
                  make("DM", "diabetes mellitus", true, false),
                  make("CLL", "chronic lymphocytic leukemia", false, true)};
    EXPECT_EQ(note_with_shorthand_spelled_out(p, p.text),
              "48 M with hypertension, clostridioides difficile infection and CHTN; no DM. Her "
              "brother has CLL.");
}

TEST(PatientNote, FirstSentence) {
    EXPECT_EQ(first_sentence("A 45-year-old man with a history of anaplastic astrocytoma. The "
                             "tumor is unresectable."),
              "A 45-year-old man with a history of anaplastic astrocytoma");
    // Not a title, an initial or a decimal; a question mark ends it too.
    EXPECT_EQ(first_sentence("Seen by Dr. Smith and J. Doe with an EF of 2.5 today? Yes."),
              "Seen by Dr. Smith and J. Doe with an EF of 2.5 today");
    EXPECT_EQ(first_sentence("48 M with a h/o HTN\nPresented with SOB."), "48 M with a h/o HTN");
    EXPECT_EQ(first_sentence("\nA girl with asthma. She coughs."), "\nA girl with asthma");
    EXPECT_EQ(first_sentence("One sentence without an end"), "One sentence without an end");
    EXPECT_EQ(first_sentence("lower case follows. and goes on"), "lower case follows. and goes on");
}

TEST(PatientNote, DiagnosisSentences) {
    EXPECT_EQ(diagnosis_sentences("A 12 year old girl with short stature. Her karyotype study "
                                  "revealed 45X and confirmed the diagnosis of Turner syndrome. "
                                  "She is obese.\nBiopsy consistent with Burkitt's lymphoma\n"
                                  "He was Found To Have dozens of polyps. Diagnosed at 3"),
              " Her karyotype study revealed 45X and confirmed the diagnosis of Turner syndrome. "
              "Biopsy consistent with Burkitt's lymphoma. He was Found To Have dozens of polyps. "
              " Diagnosed at 3. ");
    EXPECT_EQ(diagnosis_sentences("A 40-year-old man with asthma. He coughs."), "");
    EXPECT_EQ(diagnosis_sentences(""), "");
}

TEST(PatientNote, ConceptsNeverSpanAClause) {
    MapSynonyms syn;
    syn.map["heart failure"] = {"XMD:D006333"};
    const analysis::AnalyzerRegistry registry;
    EXPECT_TRUE(read_patient("pain in the heart. Failure to thrive", registry, &syn)
                    .concepts.empty());
    EXPECT_EQ(read_patient("known heart failure", registry, &syn).concepts.size(), 1U);
}

TEST(PatientNote, ConceptsSaidOfRelativesAreTheFamilys) {
    MapSynonyms syn;
    syn.map["asthma"] = {"XMD:D001249"};
    syn.map["type 2 diabetes"] = {"XMD:D003924"};
    syn.map["hypertension"] = {"XMD:D006973"};
    syn.map["steroids"] = {"XMD:D013256"};
    syn.map["colon cancer"] = {"XMD:D003110"};
    const analysis::AnalyzerRegistry registry;
    const std::string note =
        "A 45-year-old man with asthma. His family history is positive for type 2 diabetes (his "
        "father and sister). Her 70-year-old father has hypertension. According to his mother, "
        "he takes steroids. Her husband was diagnosed with colon cancer.";
    const auto p = read_patient(note, registry, &syn);
    EXPECT_FALSE(PatientConcept{}.family);
    ASSERT_EQ(p.concepts.size(), 5U);
    std::vector<std::pair<std::string, bool>> family;
    for (const auto& c : p.concepts) family.emplace_back(c.text, c.family);
    // The mother only reports on the patient: steroids stay his.
    EXPECT_EQ(family, (std::vector<std::pair<std::string, bool>>{{"asthma", false},
                                                                 {"type 2 diabetes", true},
                                                                 {"hypertension", true},
                                                                 {"steroids", false},
                                                                 {"colon cancer", true}}));
    // Their sentences leave the query text; the rest keeps its place.
    const std::string query = note_without_family(p, note);
    EXPECT_EQ(query.size(), note.size());
    EXPECT_EQ(query.find("diabetes"), std::string::npos);
    EXPECT_EQ(query.find("father"), std::string::npos);
    EXPECT_EQ(query.find("colon"), std::string::npos);
    EXPECT_EQ(query.find("asthma"), note.find("asthma"));
    EXPECT_EQ(query.find("steroids"), note.find("steroids"));
    PatientOptions o;
    EXPECT_FALSE(patients_own(p.concepts[1], o));
    EXPECT_TRUE(patients_own(p.concepts[3], o));
    disable_part(o, "family");
    EXPECT_TRUE(patients_own(p.concepts[1], o));
    // The part about a relative ends where the sentence comes back to the patient (a pronoun of
    // the patient's sex, not one introducing another relative): influenza and asthma stay theirs.
    syn.map["influenza"] = {"XMD:D007251"};
    const auto girl = read_patient("A 7-year-old girl; her parents want her vaccinated against "
                                   "influenza.", registry, &syn);
    ASSERT_EQ(girl.concepts.size(), 1U);
    EXPECT_FALSE(girl.concepts[0].family);
    EXPECT_EQ(note_without_family(girl, girl.text),
              "A 7-year-old girl;                  her vaccinated against influenza.");
    const auto child = read_patient("A 9-year-old girl. Her mother says the girl has asthma.",
                                    registry, &syn);
    ASSERT_EQ(child.concepts.size(), 1U);
    EXPECT_FALSE(child.concepts[0].family);  // "the girl" is the patient
    const auto man = read_patient("A 60-year-old man. His wife says he has asthma. His mother had "
                                  "colon cancer, and he is worried.", registry, &syn);
    ASSERT_EQ(man.concepts.size(), 2U);
    EXPECT_FALSE(man.concepts[0].family);  // asthma
    EXPECT_TRUE(man.concepts[1].family);   // colon cancer
    const auto woman = read_patient("A 50-year-old woman. Her husband was diagnosed with colon "
                                    "cancer and he is starting chemotherapy. Her family history "
                                    "includes her mother with type 2 diabetes.", registry, &syn);
    ASSERT_EQ(woman.concepts.size(), 2U);
    EXPECT_TRUE(woman.concepts[0].family);  // he: the husband, not the patient
    EXPECT_TRUE(woman.concepts[1].family);  // her mother: another relative
    // A negated concept is nobody's.
    const auto neg = read_patient("Her family history is negative for asthma.", registry, &syn);
    ASSERT_EQ(neg.concepts.size(), 1U);
    EXPECT_TRUE(neg.concepts[0].negated && neg.concepts[0].family);
    EXPECT_FALSE(patients_own(neg.concepts[0], o));
}

// std::regex recurses per repeated character: long runs inside a sentence must not overflow.
TEST(PatientNote, LongSentencesAboutRelativesDoNotOverflow) {
    const analysis::AnalyzerRegistry registry;
    const std::string gap(300000, ' ');
    const std::string note = "Her mother" + gap + "has diabetes and her" + gap + "aunt too";
    const auto p = read_patient(note, registry, nullptr);
    ASSERT_EQ(p.family_spans.size(), 1U);  // up to "her", back to the patient (sex unknown)
    EXPECT_EQ(p.family_spans[0], std::make_pair(std::size_t{0}, note.rfind("her")));
    const auto q = read_patient("A woman. Family history of" + gap + "asthma, her" + gap + "x",
                                registry, nullptr);
    ASSERT_EQ(q.family_spans.size(), 1U);
    EXPECT_EQ(q.text.substr(q.family_spans[0].first, 14), "Family history");
}

// Criteria that exclude by opening with "No": the PDQ form (items run together, no exclusion
// section) and inclusion criteria of the usual form; limits are not exclusions.
TEST(NoCriteria, ItemsOpeningWithNo) {
    using V = std::vector<std::string_view>;
    EXPECT_EQ(no_criteria("PATIENT CHARACTERISTICS: Age: 18 and over Hepatic: Bilirubin no greater "
                          "than 1.5 mg/dL Cardiovascular: No uncontrolled hypertension No angina "
                          "pectoris Other: Not pregnant or nursing Adequate contraception "
                          "required"),
              (V{"No uncontrolled hypertension", "No angina pectoris", "Not pregnant or nursing"}));
    // A new item of the run-together list ends one (not an acronym or a possessive); so do
    // "except" and a sentence end ("1.5" is not one); "No other ..." names what the trial does
    // not study.
    EXPECT_EQ(no_criteria("No history of drug abuse At least 6 months since prior therapy\n"
                          "No CNS lymphoma or Crohn's disease\nNo other malignancy except "
                          "basal cell carcinoma\n- Hemoglobin at least 9.5 g/dL. No HbA1c above "
                          "7.5 percent. Without prior radiotherapy; must consent"),
              (V{"No history of drug abuse", "No CNS lymphoma or Crohn's disease",
                 "No HbA1c above 7.5 percent", "Without prior radiotherapy"}));
    // Limits, and "no" inside a criterion, are not exclusions.
    EXPECT_EQ(no_criteria("No more than 2 prior regimens\nNot specified\nNo fewer than 3 visits\n"
                          "Patients with or without diabetes\nAge 18 or older, no upper limit"),
              V{});
    EXPECT_TRUE(no_criteria("").empty());
    EXPECT_TRUE(no_criteria("No").empty());
}

// The age range legacy records without structured ages state in their criteria.
TEST(StatedAges, LabelledRangesOnly) {
    const auto over = stated_ages("DISEASE CHARACTERISTICS: ... PATIENT CHARACTERISTICS: Age: 18 and "
                                  "over. Performance status: ECOG 0-2");
    ASSERT_TRUE(over.has_value());
    EXPECT_EQ(over->lo, 18.0);
    EXPECT_FALSE(over->hi.has_value());
    EXPECT_EQ(over->text, "Age: 18 and over");
    const auto under = stated_ages("Inclusion: Age: 21 and under.\r\n");
    ASSERT_TRUE(under.has_value());
    EXPECT_FALSE(under->lo.has_value());
    EXPECT_EQ(under->hi, 21.0);
    const auto range = stated_ages("Age: 2-25 (at time of initial diagnosis)");
    ASSERT_TRUE(range.has_value());
    EXPECT_EQ(range->lo, 2.0);
    EXPECT_EQ(range->hi, 25.0);
    EXPECT_EQ(range->text, "Age: 2-25");
    const auto listed = stated_ages("PATIENT CHARACTERISTICS:\r\n\r\n  Age:\r\n\r\n"
                                    "          -  16 and over\r\n\r\n  Sex: Female");
    ASSERT_TRUE(listed.has_value());
    EXPECT_EQ(listed->lo, 16.0);
    EXPECT_EQ(listed->text, "Age: - 16 and over");
    const auto older = stated_ages("Age range: 15 or older.");
    ASSERT_TRUE(older.has_value());
    EXPECT_EQ(older->lo, 15.0);
    const auto years = stated_ages("Age: 10 to 80 years.");
    ASSERT_TRUE(years.has_value());
    EXPECT_EQ(years->hi, 80.0);
    // Not a range the patient can be checked against.
    EXPECT_FALSE(stated_ages("Age: Not specified Performance status: GOG 0-2").has_value());
    EXPECT_FALSE(stated_ages("Age: Any age (5 to 55 to be eligible for randomization)"));
    EXPECT_FALSE(stated_ages("Age: 65 and over OR Postmenopausal").has_value());
    EXPECT_FALSE(stated_ages("Average age: 40 to 50.").has_value());  // not the label
    EXPECT_FALSE(stated_ages("Age: 50 to 18.").has_value());          // reversed
    EXPECT_FALSE(stated_ages("").has_value());
}

TEST(PatientOptionsByName, SetAndDisable) {
    PatientOptions o;
    set_option(o, "mesh_weight=0.75");
    set_option(o, "feedback_docs=5");
    EXPECT_DOUBLE_EQ(o.mesh_weight, 0.75);
    EXPECT_EQ(o.feedback_docs, 5U);
    disable_part(o, "age-sex");
    EXPECT_FALSE(o.age_sex);
    EXPECT_TRUE(o.exclusion);
    set_option(o, "concept_phrase_weight=3");
    EXPECT_DOUBLE_EQ(o.concept_phrase_weight, 3);
    disable_part(o, "concept-phrases");
    EXPECT_FALSE(o.concept_phrases);
    EXPECT_TRUE(o.family);
    disable_part(o, "no-criteria");
    EXPECT_FALSE(o.no_criteria);
    EXPECT_TRUE(o.stated_ages);
    disable_part(o, "stated-ages");
    EXPECT_FALSE(o.stated_ages);
    EXPECT_TRUE(o.shorthand);
    disable_part(o, "shorthand");
    EXPECT_FALSE(o.shorthand);
    EXPECT_TRUE(o.first_sentence);
    disable_part(o, "first-sentence");
    EXPECT_FALSE(o.first_sentence);
    set_option(o, "first_sentence_weight=0.8");
    EXPECT_DOUBLE_EQ(o.first_sentence_weight, 0.8);
    EXPECT_TRUE(o.demographics);
    disable_part(o, "demographics");
    EXPECT_FALSE(o.demographics);
    o.demographics = true;
    EXPECT_TRUE(o.diagnosis);
    disable_part(o, "diagnosis");
    EXPECT_FALSE(o.diagnosis);
    set_option(o, "diagnosis_weight=2");
    EXPECT_DOUBLE_EQ(o.diagnosis_weight, 2.0);
    o.diagnosis = true;
    disable_part(o, "all");
    EXPECT_FALSE(o.fields || o.mesh || o.exclusion || o.feedback || o.drop_negated || o.family ||
                 o.concept_phrases || o.no_criteria || o.stated_ages || o.shorthand ||
                 o.first_sentence || o.demographics || o.diagnosis);
    EXPECT_THROW(set_option(o, "nope=1"), UsageError);
    EXPECT_THROW(set_option(o, "mesh_weight=abc"), UsageError);
    EXPECT_THROW(set_option(o, "mesh_weight"), UsageError);
    EXPECT_THROW(disable_part(o, "spelling"), UsageError);
}

}  // namespace
}  // namespace trials::search
