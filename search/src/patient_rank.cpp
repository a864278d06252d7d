// Eligibility re-ranking of patient search: age range, sex, exclusion criteria (patient.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <regex>

#include "patient_rank.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"

namespace trials::search::detail {
namespace {

std::optional<double> age_value(const Xapian::Document& doc, analysis::NumericSlot slot) {
    const std::string v = doc.get_value(static_cast<Xapian::valueno>(slot));
    if (v.empty()) return std::nullopt;
    return Xapian::sortable_unserialise(v);
}

std::string years(double y) {
    if (y < 2.0 && y > 0) return fmt::format("{:.0f} months", y * 12.0);
    return fmt::format("{:g} years", std::round(y * 10.0) / 10.0);
}

// Where the exclusion part of an eligibility text starts: at "exclusion criteria" (or the first
// "exclusion"); npos when there is none. `low` is the text in lower case.
std::size_t exclusion_start(std::string_view low) {
    const auto at = low.find("exclusion criteria");
    return at != std::string_view::npos ? at : low.find("exclusion");
}

bool contains_seq(const std::vector<std::string>& hay, const std::vector<std::string>& needle) {
    if (needle.empty() || hay.size() < needle.size()) return false;
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

}  // namespace

EligibilityCheck::EligibilityCheck(const analysis::AnalyzerRegistry& registry,
                                   const PatientProfile& profile, const PatientOptions& options)
    : analyzer_(registry.get("prose")), profile_(profile), options_(options) {
    for (const auto& c : profile.concepts) {
        if (!patients_own(c, options)) continue;
        auto w = words(c.words());
        if (w.empty()) continue;
        auto same = std::find_if(concepts_.begin(), concepts_.end(),
                                 [&](const Concept& x) { return x.words == w; });
        if (same == concepts_.end()) same = concepts_.insert(concepts_.end(), {c.quoted(), w, {}});
        for (const auto& t : c.mesh_terms) {
            if (t.starts_with(analysis::kMeshIdPrefix)) {
                same->descriptors.push_back(t.substr(analysis::kMeshIdPrefix.size()));
            }
        }
    }
}

namespace {

// The MeSH descriptors a trial's conditions are indexed under directly (not their ancestors):
// the ids of condition_mesh_ids whose names condition_mesh lists.
std::vector<std::string> condition_descriptors(const nlohmann::json& data) {
    std::vector<std::string> out;
    const auto ids = data.find("condition_mesh_ids");
    const auto names = data.find("condition_mesh");
    if (ids == data.end() || names == data.end() || !ids->is_object() || !names->is_array()) {
        return out;
    }
    for (auto it = ids->begin(); it != ids->end(); ++it) {
        if (std::find(names->begin(), names->end(), it.value()) != names->end()) {
            out.push_back(it.key());
        }
    }
    return out;
}

}  // namespace

// The stems (or terms) of a text's words, compound parts left out.
EligibilityCheck::Words EligibilityCheck::words(std::string_view text) const {
    std::vector<analysis::Token> tokens;
    analyzer_.analyze(text, tokens);
    Words out;
    std::uint32_t end = 0;
    for (const auto& t : tokens) {
        if (!out.empty() && t.start < end) continue;
        const std::string s = analyzer_.stem(t);
        out.push_back(s.empty() ? t.term : s);
        end = t.end;
    }
    return out;
}

double EligibilityCheck::factor(const Xapian::Document& doc, const nlohmann::json& data,
                                std::vector<std::string>& why) const {
    double f = 1.0;
    if (options_.age_sex && profile_.age_years) {
        const double age = *profile_.age_years;
        auto lo = age_value(doc, analysis::NumericSlot::MinimumAge);
        auto hi = age_value(doc, analysis::NumericSlot::MaximumAge);
        std::string stated;  // the criteria's words, when the record has no structured ages
        if (!lo && !hi && options_.stated_ages) {
            if (const auto a = stated_ages(data.value("eligibility", std::string()))) {
                lo = a->lo;
                hi = a->hi;
                stated = a->text;
            }
        }
        // A trial for "up to 65 years" takes a 65-year-old until the 66th birthday.
        if ((lo && age + 1e-9 < *lo) || (hi && age >= *hi + 1.0)) {
            f *= options_.age_factor;
            const std::string range = !hi   ? years(*lo) + " and older"
                                      : !lo ? "up to " + years(*hi)
                                            : years(*lo) + ".." + years(*hi);
            why.push_back(fmt::format("age {} outside {}{}: x{:g}", years(age), range,
                                      stated.empty() ? "" : " (criteria: \"" + stated + "\")",
                                      options_.age_factor));
        }
    }
    if (options_.age_sex && profile_.sex != PatientSex::Unknown) {
        const auto& spec = analysis::facet(analysis::Facet::Sex);
        const std::string sex = lower(doc.get_value(spec.slot));  // ALL, FEMALE, MALE
        const bool female = profile_.sex == PatientSex::Female;
        if ((female && sex == "male") || (!female && sex == "female")) {
            f *= options_.sex_factor;
            why.push_back(fmt::format("{} only, patient is {}: x{:g}", sex,
                                      female ? "female" : "male", options_.sex_factor));
        }
    }
    if (options_.exclusion && !concepts_.empty()) {
        const std::string elig = data.value("eligibility", std::string());
        const std::string low = lower(elig);
        const std::size_t at = std::min(exclusion_start(low), elig.size());
        const Words section = words(std::string_view(elig).substr(at));
        std::vector<std::pair<std::string_view, Words>> items;  // "No ..." criteria
        if (options_.no_criteria) {
            for (const auto item : no_criteria(std::string_view(elig).substr(0, at))) {
                items.emplace_back(item, words(item));
            }
        }
        if (!section.empty() || !items.empty()) {
            std::string target = data.value("title", std::string());
            if (data.contains("conditions") && data["conditions"].is_array()) {
                for (const auto& c : data["conditions"]) {
                    if (c.is_string()) target += " . " + c.get<std::string>();
                }
            }
            const Words studied = words(target);
            // A concept the trial studies is not an exclusion of it, however the trial words it
            // ("COPD" in a trial of "Pulmonary Disease, Chronic Obstructive").
            const std::vector<std::string> studied_ids = condition_descriptors(data);
            int n = 0;
            std::string named;
            for (const auto& named_concept : concepts_) {
                const std::string& text = named_concept.text;
                const Words& w = named_concept.words;  // (clang: no lambda captures a binding)
                if (contains_seq(studied, w)) continue;
                if (std::any_of(named_concept.descriptors.begin(), named_concept.descriptors.end(),
                                [&](const std::string& d) {
                                    return std::find(studied_ids.begin(), studied_ids.end(), d) !=
                                           studied_ids.end();
                                })) {
                    continue;
                }
                std::string where;  // the "No ..." criterion, when the section does not name it
                if (!contains_seq(section, w)) {
                    const auto it = std::find_if(items.begin(), items.end(), [&](const auto& i) {
                        return contains_seq(i.second, w);
                    });
                    if (it == items.end()) continue;
                    std::string_view quote = it->first;
                    if (quote.size() > 60) {  // cut at a word (never inside a UTF-8 character)
                        const auto space = quote.rfind(' ', 56);
                        quote = quote.substr(0, space == std::string_view::npos ? 0 : space);
                    }
                    where = fmt::format(" (\"{}{}\")", quote,
                                        quote.size() < it->first.size() ? "..." : "");
                }
                if (!named.empty()) named += ", ";
                named += text + where;
                ++n;
            }
            if (n > 0) {
                const double x = std::pow(options_.exclusion_factor, std::min(n, 2));
                f *= x;
                why.push_back(fmt::format("exclusion criteria name {}: x{:.2g}", named, x));
            }
        }
    }
    return f;
}

std::string describe_profile(const PatientProfile& p) {
    std::string s = "patient: ";
    s += p.age_years ? years(*p.age_years) + " (" + p.age_text + ")" : "age unknown";
    s += p.sex == PatientSex::Female ? ", female"
         : p.sex == PatientSex::Male ? ", male"
                                     : ", sex unknown";
    if (!p.sex_evidence.empty()) s += " (" + p.sex_evidence + ")";
    std::string concepts, negated, family;
    for (const auto& c : p.concepts) {
        std::string& to = c.negated ? negated : c.family ? family : concepts;
        if (!to.empty()) to += ", ";
        to += c.quoted();
    }
    if (!concepts.empty()) s += "; MeSH concepts: " + concepts;
    if (!negated.empty()) s += "; negated: " + negated;
    if (!family.empty()) s += "; family history: " + family;
    return s;
}

}  // namespace trials::search::detail

namespace trials::search {

bool patients_own(const PatientConcept& c, const PatientOptions& options) {
    return !c.negated && !(c.family && options.family);
}

std::optional<StatedAges> stated_ages(const std::string& eligibility) {
    // Read from each "age:" label on, in a window of 64 characters (std::regex recurses per
    // character it repeats over).
    static const std::regex kAge(
        R"(^age(?: range)?:[\s\-*]*(\d{1,3})\s*(?:years?\s*)?)"
        R"((?:(?:to|through|-)\s*(\d{1,3})|(?:and|or)\s+(over|older|under|younger)))"
        R"(\s*(?:years?\s*)?(?:old\s*)?(?:[.(\r\n]|$))");
    const std::string low = detail::lower(eligibility);
    for (auto at = low.find("age"); at != std::string::npos; at = low.find("age", at + 3)) {
        // The label opens an item: no word before it ("Average age: 40 to 50" is not one).
        std::size_t before = at;
        while (before > 0 && std::isspace(static_cast<unsigned char>(low[before - 1])) != 0) {
            --before;
        }
        if (before > 0 && std::isalnum(static_cast<unsigned char>(low[before - 1])) != 0) continue;
        const std::string window = low.substr(at, 64);
        std::smatch m;
        if (!std::regex_search(window, m, kAge)) continue;
        StatedAges a;
        const double first = std::stod(m[1].str());
        if (m[2].matched) {
            a.lo = first;
            a.hi = std::stod(m[2].str());
            if (*a.hi < *a.lo) continue;
        } else if (m[3].str() == "over" || m[3].str() == "older") {
            a.lo = first;
        } else {
            a.hi = first;
        }
        a.text = eligibility.substr(at, static_cast<std::size_t>(m.length()));
        while (!a.text.empty() && (std::isspace(static_cast<unsigned char>(a.text.back())) != 0 ||
                                   a.text.back() == '(' || a.text.back() == '.')) {
            a.text.pop_back();
        }
        // "Age:\n  - 16 and over": one line
        for (char& c : a.text) {
            if (c == '\r' || c == '\n') c = ' ';
        }
        a.text.erase(std::unique(a.text.begin(), a.text.end(),
                                 [](char x, char y) { return x == ' ' && y == ' '; }),
                     a.text.end());
        return a;
    }
    return std::nullopt;
}

// The criteria that exclude by opening with "No", "Not" or "Without", as PDQ cancer trials write
// all of theirs, without an exclusion section ("Cardiovascular: No uncontrolled hypertension No
// angina pectoris"); other trials' inclusion criteria do too ("No prior chemotherapy"). Each runs
// from that word to the first of: the next such criterion; a line or sentence end or a
// label's colon; "except", "unless", "but", "although"; "other" (what follows is other than what
// the trial studies, or a catch-all: "No other malignancy", "No infection or other serious
// illness"); a word that opens a new item of a run-together list (capitalised after a small
// letter, not an acronym or a possessive: "No history of drug abuse | At least 6 months since").
// "No more than 3 prior regimens" and the like are limits, not exclusions. (Chosen on TREC 2021
// and SIGIR: 2021 0.7651 against 0.7637 without; without "other" as an end 0.7643.)
std::vector<std::string_view> no_criteria(std::string_view text) {
    const std::string low = detail::lower(text);
    struct Span {
        std::size_t start, end;
    };
    const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    std::vector<Span> ws;
    for (std::size_t i = 0; i < text.size();) {
        if (!alnum(text[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && (alnum(text[j]) || text[j] == '\'' || text[j] == '-')) ++j;
        ws.push_back({i, j});
        i = j;
    }
    const auto word = [&](std::size_t k) {
        return std::string_view(low).substr(ws[k].start, ws[k].end - ws[k].start);
    };
    const auto is_one_of = [](std::string_view w, std::initializer_list<std::string_view> list) {
        return std::find(list.begin(), list.end(), w) != list.end();
    };
    // Whether a line, a sentence or a label ends between word k-1 and word k ("1.5" does not).
    const auto breaks = [&](std::size_t k) {
        if (k == 0) return true;
        for (std::size_t c = ws[k - 1].end; c < ws[k].start; ++c) {
            if (text[c] == '\n' || text[c] == ';' || text[c] == ':') return true;
            if (text[c] == '.' &&
                !(c + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[c + 1])))) {
                return true;
            }
        }
        return false;
    };
    const auto opens = [&](std::size_t k) {  // a "No" criterion
        if (!is_one_of(word(k), {"no", "not", "without"})) return false;
        return std::isupper(static_cast<unsigned char>(text[ws[k].start])) != 0 || breaks(k);
    };
    const auto new_item = [&](std::size_t k) {
        const std::string_view w = text.substr(ws[k].start, ws[k].end - ws[k].start);
        return std::isupper(static_cast<unsigned char>(w[0])) && w.size() > 1 &&
               std::islower(static_cast<unsigned char>(w[1])) &&
               w.find('\'') == std::string_view::npos &&
               std::islower(static_cast<unsigned char>(text[ws[k - 1].end - 1]));
    };
    std::vector<std::string_view> out;
    for (std::size_t k = 0; k + 1 < ws.size(); ++k) {
        if (!opens(k) || is_one_of(word(k + 1), {"more", "greater", "less", "fewer", "higher",
                                                 "lower", "longer", "later", "earlier", "over",
                                                 "under", "older", "younger", "exceeding",
                                                 "specified", "required", "applicable",
                                                 "eligible"})) {
            continue;
        }
        std::size_t e = k + 1;
        while (e < ws.size() && !breaks(e) && !opens(e) && !(e > k + 1 && new_item(e)) &&
               !is_one_of(word(e), {"except", "unless", "but", "although", "other"})) {
            ++e;
        }
        if (e > k + 1) out.push_back(text.substr(ws[k].start, ws[e - 1].end - ws[k].start));
    }
    return out;
}

std::string diagnosis_sentences(std::string_view note) {
    static constexpr std::string_view kCues[] = {"diagnos", "confirm", "consistent with",
                                                 "found to have"};
    const std::string low = detail::lower(note);
    std::string out;
    for (std::size_t b = 0; b < low.size();) {
        std::size_t e = low.find_first_of(".\n", b);
        if (e == std::string::npos) e = low.size();
        const std::string_view sentence = std::string_view(low).substr(b, e - b);
        if (std::any_of(std::begin(kCues), std::end(kCues), [&](std::string_view cue) {
                return sentence.find(cue) != std::string_view::npos;
            })) {
            out += note.substr(b, e - b);
            out += ". ";
        }
        b = e + 1;
    }
    return out;
}

std::string_view first_sentence(std::string_view note) {
    const auto upper = [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; };
    const auto alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
    bool text = false;
    for (std::size_t i = 0; i < note.size(); ++i) {
        const char c = note[i];
        if (c == '\n' && text) return note.substr(0, i);
        text = text || std::isalnum(static_cast<unsigned char>(c)) != 0;
        if ((c != '.' && c != '!' && c != '?') || i + 2 >= note.size() || note[i + 1] != ' ' ||
            !upper(note[i + 2])) {
            continue;
        }
        if (c == '.') {  // the word before: a title or an initial does not end a sentence
            std::size_t b = i;
            while (b > 0 && alpha(note[b - 1])) --b;
            const std::string word = detail::lower(note.substr(b, i - b));
            if (word.size() == 1 || word == "dr" || word == "mr" || word == "mrs" || word == "ms" ||
                word == "st" || word == "vs") {
                continue;
            }
        }
        return note.substr(0, i);
    }
    return note;
}

void disable_part(PatientOptions& o, std::string_view part) {
    if (part == "fields") {
        o.fields = false;
    } else if (part == "mesh") {
        o.mesh = false;
    } else if (part == "age-sex" || part == "age_sex") {
        o.age_sex = false;
    } else if (part == "exclusion") {
        o.exclusion = false;
    } else if (part == "feedback") {
        o.feedback = false;
    } else if (part == "negation") {
        o.drop_negated = false;
    } else if (part == "family") {
        o.family = false;
    } else if (part == "concept-phrases" || part == "concept_phrases") {
        o.concept_phrases = false;
    } else if (part == "no-criteria" || part == "no_criteria") {
        o.no_criteria = false;
    } else if (part == "stated-ages" || part == "stated_ages") {
        o.stated_ages = false;
    } else if (part == "shorthand") {
        o.shorthand = false;
    } else if (part == "first-sentence" || part == "first_sentence") {
        o.first_sentence = false;
    } else if (part == "demographics") {
        o.demographics = false;
    } else if (part == "diagnosis") {
        o.diagnosis = false;
    } else if (part == "all") {
        o.fields = o.mesh = o.age_sex = o.exclusion = o.feedback = o.drop_negated = o.family =
            o.concept_phrases = o.no_criteria = o.stated_ages = o.shorthand = o.first_sentence =
                o.demographics = o.diagnosis = false;
    } else {
        throw UsageError("unknown part '" + std::string(part) +
                         "' (fields, mesh, age-sex, exclusion, feedback, negation, family, "
                         "concept-phrases, no-criteria, stated-ages, shorthand, first-sentence, "
                         "demographics, diagnosis, all)");
    }
}

void set_option(PatientOptions& o, std::string_view text) {
    const auto eq = text.find('=');
    const std::string name(text.substr(0, eq));
    double v = 0;
    try {
        if (eq == std::string_view::npos) throw std::invalid_argument("no value");
        std::size_t used = 0;
        const std::string value(text.substr(eq + 1));
        v = std::stod(value, &used);
        if (used != value.size() || v < 0) throw std::invalid_argument(value);
    } catch (const std::exception&) {
        throw UsageError("--param takes NAME=NUMBER (a number >= 0), not '" + std::string(text) +
                         "'");
    }
    const std::pair<const char*, double*> reals[] = {
        {"all_weight", &o.all_weight},         {"condition_weight", &o.condition_weight},
        {"title_weight", &o.title_weight},     {"mesh_name_weight", &o.mesh_name_weight},
        {"mesh_weight", &o.mesh_weight},       {"feedback_weight", &o.feedback_weight},
        {"age_factor", &o.age_factor},         {"sex_factor", &o.sex_factor},
        {"exclusion_factor", &o.exclusion_factor}, {"bm25_k1", &o.bm25_k1},
        {"bm25_b", &o.bm25_b},                 {"concept_phrase_weight", &o.concept_phrase_weight},
        {"first_sentence_weight", &o.first_sentence_weight},
        {"diagnosis_weight", &o.diagnosis_weight},
    };
    for (const auto& [n, p] : reals) {
        if (name == n) {
            *p = v;
            return;
        }
    }
    if (name == "feedback_docs") {
        o.feedback_docs = static_cast<unsigned>(v);
    } else if (name == "feedback_terms") {
        o.feedback_terms = static_cast<unsigned>(v);
    } else if (name == "max_words") {
        o.max_words = static_cast<unsigned>(v);
    } else if (name == "rerank_depth") {
        o.rerank_depth = static_cast<std::size_t>(v);
    } else {
        throw UsageError("unknown --param '" + name + "'");
    }
}

}  // namespace trials::search
