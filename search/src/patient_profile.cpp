// Reading a patient note: age, sex and the MeSH concepts it names (patient.hpp).
#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "patient_rank.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/search/patient.hpp"

namespace trials::search {
namespace {

using detail::lower;

// Words that negate what follows them in the same sentence.
constexpr std::string_view kNegations[] = {
    "no ",         "denies ",      "denied ",   "negative for ", "without ", "not ",
    "free of ",    "absence of ",  "ruled out", "never ",        "nor ",
};

// What ends a sentence (or a clause) of a note.
constexpr const char* kSentenceEnds = ".;\n?!";

// Sentence start of byte offset `at`.
std::size_t sentence_start(const std::string& low, std::size_t at) {
    if (at == 0) return 0;
    const auto p = low.find_last_of(kSentenceEnds, at - 1);
    return p == std::string::npos ? 0 : p + 1;
}

// Words that end a negation's scope (ConText's termination terms): "no fever but a cough"; also
// the next item of a list written on one line (" - ") and the patient as the subject of a new
// clause ("negative for brain hemorrhage and she was given thrombolytic therapy"). (Ending
// a relative's scope at them too, "family history of CAD, but no other risk factors such as ...",
// scored 2021 0.7628 against 0.7637: the patient's words after it are mostly negated ones.)
constexpr std::string_view kNegationEnds[] = {
    " but ", " however", " although ", " though ", " except ", " aside from ", " apart from ",
    " which ", " who ", " whose ", " yet ", " - ", " she ", " he ",
};

bool negated_at(const std::string& low, std::size_t at) {
    const std::size_t s = sentence_start(low, at);
    const std::string before = " " + low.substr(s, at - s);
    std::size_t scope = std::string::npos;  // the nearest negation before `at`
    std::size_t after = 0;                  // where its trigger ends
    const auto nearest = [&](std::size_t p, std::size_t length) {
        if (p != std::string::npos && (scope == std::string::npos || p > scope)) {
            scope = p;
            after = p + length;
        }
    };
    for (const auto neg : kNegations) {
        nearest(before.rfind(std::string(" ") + std::string(neg)), neg.size() + 1);
    }
    // A contraction negates too: "doesn't smoke or use illicit drugs", "didn't", "isn't".
    for (const std::string_view nt : {std::string_view("n't "), std::string_view("n\u2019t ")}) {
        nearest(before.rfind(nt), nt.size());
    }
    // Within the sentence and not too far back: "No fever, chills or cough".
    if (scope == std::string::npos || before.size() - scope >= 80) return false;
    // A treatment that did not work was taken: "didn't respond to the usual corticosteroid
    // inhaler", "not improved with antibiotics", "did not tolerate metformin".
    static const std::regex kTaken(R"(^(?:\w+ )?(?:respond|improv|tolerat|resolv))");
    if (std::regex_search(before.substr(after, 24), kTaken)) return false;
    for (const auto end : kNegationEnds) {
        if (before.find(end, scope + 1) != std::string::npos) return false;
    }
    // A parenthesis closed after the trigger ends its scope: "HCV cirrhosis (tx with interferon
    // x2 with no response) Portal gastropathy Grade II esophageal varices HTN".
    const auto closed = before.find(')', scope);
    if (closed != std::string::npos && before.find('(', scope) > closed) return false;
    return true;
}

// The parts of a note about relatives rather than the patient, as the "experiencer: other" of
// the ConText algorithm: from a trigger to the end of its sentence or to the first words that
// come back to the patient (a pronoun of the patient's sex, "the girl", "the child", "patient",
// "pt"). Triggers: "family history" anywhere ("His family history is positive for type 2
// diabetes (his father and sister)") and a relative opening the sentence as its subject ("Her
// 70-year-old father has hypertension"; "Her husband was diagnosed with colon cancer and he is
// starting chemotherapy", of a woman). "Her parents want her vaccinated against influenza" and
// "His mother says he has a fever" end the part before what the patient has; "According to his
// mother, he ..." has none.
constexpr std::string_view kRelatives =
    "mother|father|parents?|sister|brother|siblings?|husband|wife|partner|son|daughter|aunt|"
    "uncle|cousin|grandmother|grandfather";

// Byte offset (within `sentence`) where the part about relatives that starts at `from` ends: the
// first words back to the patient that do not introduce another relative ("his father", "her
// aunt").
std::size_t scope_end(const std::string& sentence, std::size_t from, PatientSex sex) {
    static const std::regex kShe(
        R"(\b(?:she|her|hers|herself|patient|pt|the (?:girl|woman|lady|child|baby|infant))\b)");
    static const std::regex kHe(
        R"(\b(?:he|him|his|himself|patient|pt|the (?:boy|man|gentleman|child|baby|infant))\b)");
    static const std::regex kBoth(
        R"(\b(?:she|her|hers|herself|he|him|his|himself|patient|pt)\b)"
        R"(|\bthe (?:girl|woman|lady|boy|man|gentleman|child|baby|infant)\b)");
    static const std::regex kRelativeNext(R"(^(?:'s)?\s+(?:[\w-]+\s+){0,2}?(?:)" +
                                          std::string(kRelatives) + R"()\b)");
    const std::regex& word = sex == PatientSex::Female ? kShe
                             : sex == PatientSex::Male ? kHe
                                                       : kBoth;
    for (auto it = std::sregex_iterator(sentence.begin() + static_cast<std::ptrdiff_t>(from),
                                        sentence.end(), word);
         it != std::sregex_iterator(); ++it) {
        const auto end = from + static_cast<std::size_t>(it->position() + it->length());
        // (a bounded window: std::regex recurses per character repeated)
        if (!std::regex_search(sentence.substr(end, 64), kRelativeNext)) {
            return from + static_cast<std::size_t>(it->position());
        }
    }
    return sentence.size();
}

std::optional<std::pair<std::size_t, std::size_t>> about_family(const std::string& sentence,
                                                                PatientSex sex) {
    static const std::regex kFamilyHistory(R"(\bfamily (?:medical )?(?:history|hx)\b|\bfhx\b)");
    static const std::regex kRelativeSubject(
        R"(^\W*(?:his|her|their|the patient's|patient's)\s+(?:[\w-]+\s+){0,2}?(?:)" +
        std::string(kRelatives) + R"()\b)");
    std::smatch m;
    std::size_t begin = 0, trigger_end = 0;
    const std::string opening = sentence.substr(0, 96);  // std::regex recursion stays bounded
    if (std::regex_search(opening, m, kRelativeSubject)) {
        trigger_end = static_cast<std::size_t>(m.position() + m.length());
    } else if (std::regex_search(sentence, m, kFamilyHistory)) {
        begin = static_cast<std::size_t>(m.position());
        trigger_end = begin + static_cast<std::size_t>(m.length());
    } else {
        return std::nullopt;
    }
    const std::size_t end = scope_end(sentence, trigger_end, sex);
    return std::make_pair(begin, end);
}

// The byte ranges of the note about relatives, sentence by sentence.
std::vector<std::pair<std::size_t, std::size_t>> family_spans(const std::string& low,
                                                              PatientSex sex) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t at = 0; at < low.size();) {
        std::size_t end = low.find_first_of(kSentenceEnds, at);
        if (end == std::string::npos) end = low.size();
        if (const auto part = about_family(low.substr(at, end - at), sex)) {
            out.emplace_back(at + part->first, at + part->second);
        }
        at = end + 1;
    }
    return out;
}

// Words that tell a person's sex, lower case.
const std::map<std::string, PatientSex, std::less<>> kSexWords{
    {"woman", PatientSex::Female},   {"women", PatientSex::Female},
    {"female", PatientSex::Female},  {"girl", PatientSex::Female},
    {"lady", PatientSex::Female},    {"she", PatientSex::Female},
    {"her", PatientSex::Female},     {"mrs", PatientSex::Female},
    {"ms", PatientSex::Female},      {"pregnant", PatientSex::Female},
    {"man", PatientSex::Male},       {"men", PatientSex::Male},
    {"male", PatientSex::Male},      {"boy", PatientSex::Male},
    {"gentleman", PatientSex::Male}, {"he", PatientSex::Male},
    {"his", PatientSex::Male},       {"him", PatientSex::Male},
    {"mr", PatientSex::Male},
};

struct AgeMatch {
    double years = 0;
    std::size_t begin = 0, end = 0;  // byte offsets of the expression in the note
    std::string sex;                 // "M" or "F" when the expression names it ("48 M")
};

std::optional<AgeMatch> find_age(const std::string& s) {
    static const std::regex kAge(
        R"((\d{1,3}(?:\.\d+)?)[\s-]*(years?|yrs?|months?|mos?|weeks?|wks?|days?)[\s-]*old)"
        R"(|(\d{1,3})[\s-]*(?:yo|y/o|y\.o\.|year old|yr old)\b)"
        R"(|\baged?\s+(\d{1,3})\b)"
        R"(|\bage\s*(?:of|:)?\s*(\d{1,3})\b)"
        R"(|(\d{1,3})\s*(?:years?|yrs?)[\s,]+(?:of age)\b)"
        // "a 41 year man": years followed by the person
        R"(|(\d{1,3})[\s-]*(?:years?|yrs?)(?=\s+(?:man|woman|male|female|boy|girl|gentleman|lady)\b))",
        std::regex::icase);
    // Clinical shorthand at the start of a note: "48 M with ...", "74M hx of ...", "62F".
    static const std::regex kLeadingAgeSex(R"(^\W*(\d{1,3}) ?([MF])\b)");
    std::smatch m;
    AgeMatch a;
    if (std::regex_search(s, m, kLeadingAgeSex)) {
        a.years = std::stod(m[1].str());
        a.sex = m[2].str();
    } else if (std::regex_search(s, m, kAge)) {
        if (m[1].matched) {
            a.years = std::stod(m[1].str());
            const char unit =
                static_cast<char>(std::tolower(static_cast<unsigned char>(m[2].str()[0])));
            if (unit == 'm') a.years /= 12.0;
            if (unit == 'w') a.years /= 52.0;
            if (unit == 'd') a.years /= 365.0;
        } else {
            for (int g : {3, 4, 5, 6, 7}) {
                if (m[g].matched) {
                    a.years = std::stod(m[g].str());
                    break;
                }
            }
        }
    } else {
        return std::nullopt;
    }
    a.begin = static_cast<std::size_t>(m.position(0));
    a.end = a.begin + static_cast<std::size_t>(m.length(0));
    return a;
}

// The sex the words right after the age name ("53-year-old man", "75 yo M", "48 M", "a
// 30-year-old African American woman"): the note's subject, which outweighs pronouns that may
// be about someone else ("his mother says she ...").
PatientSex subject_sex(const std::string& s, std::string* word) {
    const auto age = find_age(s);
    if (!age) return PatientSex::Unknown;
    static const std::regex kSubject(
        R"(^[\s,-]*(?:[A-Za-z]+[\s-]+){0,2}?(man|woman|male|female|boy|girl|gentleman|lady|M|F)\b)",
        std::regex::icase);
    std::string w = age->sex;
    if (w.empty()) {
        const std::string after = s.substr(age->end, 60);
        std::smatch m;
        if (!std::regex_search(after, m, kSubject)) return PatientSex::Unknown;
        w = m[1].str();
    }
    // A bare letter counts only as a capital ("a 75 yo M"), not "f/u" or a unit.
    PatientSex sex = PatientSex::Unknown;
    if (w == "M" || w == "F") {
        sex = w == "F" ? PatientSex::Female : PatientSex::Male;
    } else if (const auto it = kSexWords.find(lower(w)); it != kSexWords.end()) {
        sex = it->second;
    }
    if (sex != PatientSex::Unknown && word != nullptr) *word = w;
    return sex;
}

}  // namespace

std::optional<std::pair<double, std::string>> read_age(std::string_view text) {
    const std::string s(text);
    const auto a = find_age(s);
    if (!a) return std::nullopt;
    return std::make_pair(a->years, s.substr(a->begin, a->end - a->begin));
}

std::string note_without_demographics(const PatientProfile& p, std::string text) {
    const auto blank = [&](std::size_t at, std::size_t n) { text.replace(at, n, n, ' '); };
    if (const auto at = p.age_text.empty() ? std::string::npos : text.find(p.age_text);
        at != std::string::npos) {
        blank(at, p.age_text.size());
    }
    // The nouns of kSexWords: pronouns are stopwords already, "Ms" may be multiple sclerosis and
    // "pregnant" is what a trial studies.
    static const std::set<std::string, std::less<>> kPersons{
        "man", "men", "woman", "women", "male", "female", "boy", "girl", "lady", "gentleman"};
    const auto alpha = [&](std::size_t i) {
        return i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])) != 0;
    };
    for (std::size_t i = 0; i < text.size();) {
        if (!alpha(i)) {
            ++i;
            continue;
        }
        std::size_t e = i;
        while (alpha(e)) ++e;
        const std::string_view word = std::string_view(text).substr(i, e - i);
        const bool capitals = word.size() > 1 && std::all_of(word.begin(), word.end(), [](char c) {
                                  return std::isupper(static_cast<unsigned char>(c)) != 0;
                              });  // "MEN": multiple endocrine neoplasia
        if (!capitals && kPersons.contains(lower(word))) blank(i, e - i);
        i = e;
    }
    return text;
}

PatientSex read_sex(std::string_view text, std::string* evidence) {
    std::map<std::string, int> seen;
    int female = 0, male = 0;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        const auto it = kSexWords.find(word);
        if (it != kSexWords.end()) {
            ++seen[word];
            (it->second == PatientSex::Female ? female : male) += 1;
        }
        word.clear();
    };
    for (const char c : text) {
        if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
            word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        } else {
            flush();
        }
    }
    flush();
    std::string subject;
    PatientSex sex = subject_sex(std::string(text), &subject);
    if (sex == PatientSex::Unknown) {
        sex = female > male   ? PatientSex::Female
              : male > female ? PatientSex::Male
                              : PatientSex::Unknown;
    }
    if (evidence != nullptr) {
        std::string words;
        for (const auto& [w, n] : seen) {
            if (!words.empty()) words += ", ";
            words += n > 1 ? w + " x" + std::to_string(n) : w;
        }
        *evidence =
            subject.empty() ? words : "subject " + subject + (words.empty() ? "" : "; " + words);
    }
    return sex;
}

namespace {

// Whether a word of a key ends in a plain "s" (not "ss", "us", "is") and is a lower-case word of
// three letters or more (not a number, not "ms").
bool plain_s(std::string_view w) {
    return w.size() >= 3 &&
           std::all_of(w.begin(), w.end(),
                       [](char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }) &&
           w.ends_with("s") && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is");
}

// A phrase key as written, then with its last word in the other number: MeSH names its
// descriptors in the plural ("Liver Diseases", "Kidney Calculi" / "Kidney Stones") and notes write
// the singular ("chronic liver disease"), which would otherwise leave only its head ("disease").
// Then an eponym written without its apostrophe, as notes do: "Crohns disease" is "Crohn's
// disease" (whose key is "crohn disease"), "Marfans syndrome", "Hodgkins lymphoma".
std::vector<std::string> number_forms(const std::string& key) {
    std::vector<std::string> out{key};
    const auto space = key.rfind(' ');
    // One word alone keeps its number: MeSH's single-word entry terms mostly hold both forms, and
    // the other one is often another concept ("emergency" -> Emergencies, "alcohol" -> Alcohols).
    if (space == std::string::npos) return out;
    const std::string_view last = std::string_view(key).substr(space + 1);
    const std::string stem = key.substr(0, space + 1);
    const auto ends = [&](std::string_view s) { return last.ends_with(s); };
    const bool word = last.size() >= 3 && std::all_of(last.begin(), last.end(), [](char c) {
                          return std::islower(static_cast<unsigned char>(c)) != 0;
                      });  // not a number or a short word ("type 2", "ms")
    if (!word) {
    } else if (ends("ies")) {
        out.push_back(stem + std::string(last.substr(0, last.size() - 3)) + "y");
    } else if (ends("ses") || ends("xes") || ends("ches") || ends("shes")) {
        out.push_back(stem + std::string(last.substr(0, last.size() - 2)));
    } else if (plain_s(last)) {
        out.push_back(stem + std::string(last.substr(0, last.size() - 1)));
    } else if (ends("y") && !ends("ay") && !ends("ey") && !ends("oy")) {
        out.push_back(stem + std::string(last.substr(0, last.size() - 1)) + "ies");
    } else if (ends("s") || ends("x") || ends("ch") || ends("sh")) {
        out.push_back(key + "es");
    } else {
        out.push_back(key + "s");
    }
    for (std::size_t begin = 0; begin < space;) {  // the eponyms
        const std::size_t end = key.find(' ', begin);
        if (plain_s(std::string_view(key).substr(begin, end - begin))) {
            out.push_back(key.substr(0, end - 1) + key.substr(end));
        }
        begin = end + 1;
    }
    return out;
}

// The MeSH descriptor terms of a phrase key, in the first of its number forms that has any
// (`form` set to it); `phrases` gets the curated alternatives of the key as written ("htn":
// "hypertension"), from the same lookup.
std::vector<std::string> descriptors(const analysis::SynonymSource& synonyms,
                                     const std::string& key, std::string* form,
                                     std::vector<std::string>* phrases) {
    std::vector<std::string> mesh;
    for (const auto& f : number_forms(key)) {
        for (auto& alt : synonyms.lookup(f)) {
            if (alt.rfind(analysis::kMeshIdPrefix, 0) == 0) {
                mesh.push_back(std::move(alt));
            } else if (phrases != nullptr && f == key && !alt.empty() && alt.front() != 'X') {
                phrases->push_back(std::move(alt));  // a phrase, not a term ("XG:...")
            }
        }
        if (!mesh.empty()) {
            if (form != nullptr) *form = f;
            break;
        }
    }
    return mesh;
}

// Whether a note's word is written as an abbreviation: letters and digits, two capitals or more,
// no lower-case letter ("HTN", "CLL", "T2DM"; not "all", "pad", "Ms" or "U/C", urine culture).
// Two letters after "on" are left out: "SpO2 98% on RA" is room air.
bool abbreviation(std::string_view note, std::size_t begin, std::size_t end) {
    int capitals = 0;
    for (const char c : note.substr(begin, end - begin)) {
        if (std::isupper(static_cast<unsigned char>(c)) != 0) {
            ++capitals;
        } else if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
            return false;
        }
    }
    if (capitals == 2 && end - begin == 2 && begin >= 3 &&
        lower(note.substr(begin - 3, 3)) == "on ") {
        return false;
    }
    return capitals >= 2;
}

}  // namespace

PatientProfile read_patient(std::string_view text, const analysis::AnalyzerRegistry& registry,
                            const analysis::SynonymSource* synonyms) {
    PatientProfile p;
    p.text = std::string(text);
    if (const auto age = read_age(text)) {
        p.age_years = age->first;
        p.age_text = age->second;
    }
    p.sex = read_sex(text, &p.sex_evidence);
    const std::string low = lower(text);
    p.family_spans = family_spans(low, p.sex);
    if (synonyms == nullptr) return p;

    // Word units of the note: a compound's joined form stands for its parts.
    const auto& analyzer = registry.get("prose");
    std::vector<analysis::Token> tokens;
    analyzer.analyze(text, tokens);
    struct Unit {
        std::string term;
        std::uint32_t start, end;
    };
    std::vector<Unit> units;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& t = tokens[i];
        if (!units.empty() && t.start < units.back().end) continue;  // a part of a compound
        units.push_back({t.term, t.start, t.end});
    }
    constexpr std::size_t kMaxNgram = 6;
    for (std::size_t i = 0; i < units.size();) {
        std::size_t taken = 1;
        for (std::size_t n = std::min(kMaxNgram, units.size() - i); n >= 1; --n) {
            // An n-gram never spans a sentence or clause break.
            const auto span = low.substr(units[i].start, units[i + n - 1].end - units[i].start);
            if (n > 1 && span.find_first_of(".;,:()\n") != std::string::npos) continue;
            std::string key = units[i].term;
            for (std::size_t k = i + 1; k < i + n; ++k) key += ' ' + units[k].term;
            std::string form;
            std::vector<std::string> phrases;
            auto mesh = descriptors(*synonyms, key, &form, &phrases);
            std::string expands;
            if (mesh.empty() && (n > 1 || abbreviation(text, units[i].start, units[i].end))) {
                // Shorthand a curated group spells out ("HTN", "CLL"): the concept of its
                // spelled-out phrase ("hypertension", "chronic lymphocytic leukemia").
                for (auto& phrase : phrases) {
                    mesh = descriptors(*synonyms, phrase, nullptr, nullptr);
                    if (!mesh.empty()) {
                        expands = std::move(phrase);
                        break;
                    }
                }
            } else if (!mesh.empty()) {
                key = std::move(form);
            }
            if (mesh.empty()) continue;
            PatientConcept c;
            c.expands = std::move(expands);
            c.text = std::string(text.substr(units[i].start, units[i + n - 1].end - units[i].start));
            c.key = std::move(key);
            c.mesh_terms = std::move(mesh);
            c.negated = negated_at(low, units[i].start);
            c.family = std::any_of(p.family_spans.begin(), p.family_spans.end(),
                                   [&](const auto& r) {
                                       return r.first <= units[i].start && units[i].start < r.second;
                                   });
            p.concepts.push_back(std::move(c));
            taken = n;
            break;
        }
        i += taken;
    }
    return p;
}

}  // namespace trials::search
