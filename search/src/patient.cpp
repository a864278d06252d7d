// Patient-description search: the query from a note, feedback, and eligibility re-ranking
// (patient.hpp).
#include "trials/search/patient.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <queue>

#include "patient_rank.hpp"
#include "snippet.hpp"
#include "trials/analysis/database.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"
#include "trials/search/query_parser.hpp"

namespace trials::search {
namespace detail {
namespace {

// A part weighted 0 is left out (it would only widen the matches without scoring).
Xapian::Query scaled(const Xapian::Query& q, double w) {
    if (w == 0) return {};
    if (q.empty() || w == 1.0) return q;
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, w);
}

Xapian::Query note_in(const analysis::AnalyzerRegistry& registry, const std::string& text,
                      analysis::TextField field, const analysis::SynonymSource* synonyms,
                      const Xapian::Database& db, unsigned max_words) {
    const auto& spec = analysis::text_field(field);
    analysis::TextQueryOptions o;
    o.fields = {{std::string(spec.prefix), 1.0}};
    o.conjunctive = false;
    o.synonyms = synonyms;
    o.max_words = max_words;
    o.stats = &db;
    return analysis::build_text_query(registry.get(spec.analyzer), text, o);
}

// Feedback terms may come from these fields (raw terms, not stems or descriptor ids).
class FeedbackDecider : public Xapian::ExpandDecider {
public:
    bool operator()(const std::string& term) const override {
        for (const auto f : {analysis::TextField::Condition, analysis::TextField::Mesh}) {
            const auto& p = analysis::text_field(f).prefix;
            if (term.size() > p.size() + 2 && term.compare(0, p.size(), p) == 0 &&
                std::islower(static_cast<unsigned char>(term[p.size()])) != 0) {
                return true;
            }
        }
        return false;
    }
};

}  // namespace

// Xapian 1.4.22 can add the weight of a phrase that does not match once its matcher prunes (the
// MSet is full and an OR decays to AND_MAYBE): the note "NSCLC" scored NCT00005666 66.68 on a
// 12-trial MSet (a 3-trial page) and 59.02, its true score, on a 40-trial one, so a short page
// differed from the head of a long one. Checking every match keeps the matcher from pruning and
// the weights exact; patient queries always hold phrases (synonyms' spellings, concepts), and
// the cost is small (README "Relevance"). The total is exact too.
Xapian::MSet PatientEngine::exact_mset(Xapian::Enquire& e, Xapian::doccount size) const {
    return e.get_mset(0, size, searcher_.database().get_doccount());
}

PatientEngine::PatientEngine(Searcher& searcher, const PatientOptions& options)
    : searcher_(searcher), options_(options), synonyms_(searcher.database()) {}

PatientProfile PatientEngine::profile(std::string_view text) const {
    PatientProfile p = read_patient(text, searcher_.registry(), &synonyms_);
    if (!options_.shorthand) {
        std::erase_if(p.concepts, [](const PatientConcept& c) { return !c.expands.empty(); });
    }
    return p;
}

std::vector<QueryPart> PatientEngine::base_parts(const PatientProfile& profile,
                                                 std::vector<std::string>* dropped) const {
    PatientProfile p = profile;
    if (options_.drop_negated) p.text = note_without_negated(profile);
    if (options_.family) p.text = note_without_family(profile, std::move(p.text));
    // The all-fields part keeps the words that state the age and sex (there "women" meets
    // eligibility text, as in keyword search); the field parts leave them out ("man" matched
    // Stiff-Man Syndrome in conditions and titles).
    const std::string all_text = note_with_shorthand_spelled_out(profile, p.text);
    p.text = options_.demographics
                 ? note_with_shorthand_spelled_out(
                       profile, note_without_demographics(profile, std::move(p.text)))
                 : all_text;
    const auto& reg = searcher_.registry();
    // Plain keyword search over the note: the query parser's unscoped words, ORed.
    const auto* syn = &synonyms_;
    analysis::TextQueryOptions all;
    all.conjunctive = false;
    all.synonyms = syn;
    all.concepts = !options_.synonym_phrases;
    all.max_words = options_.max_words;
    all.stats = &searcher_.database();
    all.dropped = dropped;
    std::vector<QueryPart> parts;
    parts.push_back({"note words, all fields",
                     scaled(analysis::build_text_query(reg.get("prose"), all_text, all),
                            options_.all_weight)});
    if (options_.fields) {
        using analysis::TextField;
        parts.push_back({"note words in conditions",
                         scaled(note_in(reg, p.text, TextField::Condition, nullptr,
                                         searcher_.database(), options_.max_words),
                                options_.condition_weight)});
        if (options_.first_sentence) {
            parts.push_back({"the note's first sentence in conditions",
                             scaled(note_in(reg, std::string(first_sentence(p.text)),
                                            TextField::Condition, nullptr, searcher_.database(),
                                            options_.max_words),
                                    options_.first_sentence_weight)});
        }
        if (options_.diagnosis) {
            const std::string dx = diagnosis_sentences(p.text);
            if (!dx.empty()) {
                parts.push_back({"the note's diagnosis sentences in conditions",
                                 scaled(note_in(reg, dx, TextField::Condition, nullptr,
                                                searcher_.database(), options_.max_words),
                                        options_.diagnosis_weight)});
            }
        }
        parts.push_back({"note words in titles", scaled(note_in(reg, p.text, TextField::Title,
                                                                nullptr, searcher_.database(),
                                                                options_.max_words),
                                                        options_.title_weight)});
    }
    if (options_.concept_phrases) {
        parts.push_back({"note concepts as phrases in conditions and titles",
                         scaled(concept_phrases(reg, p), options_.concept_phrase_weight)});
    }
    if (options_.mesh) {
        parts.push_back({"note words in MeSH names",
                         scaled(note_in(reg, p.text, analysis::TextField::Mesh, nullptr,
                                         searcher_.database(), options_.max_words),
                                options_.mesh_name_weight)});
        std::vector<Xapian::Query> ids;
        for (const auto& c : p.concepts) {
            if (!patients_own(c, options_)) continue;
            for (const auto& t : c.mesh_terms) ids.emplace_back(t);
        }
        if (!ids.empty()) {
            parts.push_back({"MeSH concepts of the note",
                             scaled(Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end()),
                                    options_.mesh_weight)});
        }
    }
    std::erase_if(parts, [](const QueryPart& q) { return q.query.empty(); });
    return parts;
}

// The patient's concepts of two or more words ("type 2 diabetes", "heart failure"), each as a
// phrase in the condition and title fields: words matched apart there do not say the trial
// studies that condition.
Xapian::Query PatientEngine::concept_phrases(const analysis::AnalyzerRegistry& registry,
                                             const PatientProfile& p) const {
    analysis::TextQueryOptions o;
    o.fields = {{std::string(analysis::text_field(analysis::TextField::Condition).prefix), 1.0},
                {std::string(analysis::text_field(analysis::TextField::Title).prefix), 0.5}};
    o.phrase = true;
    std::vector<Xapian::Query> qs;
    for (const auto& c : p.concepts) {
        if (!patients_own(c, options_) || c.words().find(' ') == std::string::npos) continue;
        auto q = analysis::build_text_query(registry.get("prose"), c.words(), o);
        if (!q.empty()) qs.push_back(std::move(q));
    }
    return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
}

Xapian::BM25Weight PatientEngine::weighting() const {
    return bm25_weighting(options_.bm25_k1, options_.bm25_b);
}

Xapian::Query PatientEngine::combine(const std::vector<QueryPart>& parts) {
    std::vector<Xapian::Query> qs;
    for (const auto& p : parts) qs.push_back(p.query);
    return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
}

Xapian::Query PatientEngine::restriction(const PatientRequest& req) const {
    Xapian::Query filter;
    if (!req.filters.empty()) {
        QueryParserOptions qpo;
        qpo.synonyms = &synonyms_;
        const ParsedQuery parsed = QueryParser(searcher_.registry(), qpo).parse(req.filters);
        filter = parsed.query;
    }
    if (!req.only_ids.empty()) {
        std::vector<Xapian::Query> ids;
        for (const auto& id : req.only_ids) ids.emplace_back(std::string(analysis::kIdPrefix) + id);
        Xapian::Query only(Xapian::Query::OP_OR, ids.begin(), ids.end());
        filter = filter.empty() ? only : Xapian::Query(Xapian::Query::OP_FILTER, filter, only);
    }
    return filter;
}

Xapian::Query PatientEngine::filtered(const Xapian::Query& q, const Xapian::Query& filter) {
    return filter.empty() ? q : Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
}

std::vector<std::string> PatientEngine::feedback(const Xapian::Query& query,
                                                 const Xapian::Query& filter) const {
    std::vector<std::string> terms;
    if (!options_.feedback || options_.feedback_docs == 0) return terms;
    Xapian::Enquire e(searcher_.database());
    e.set_query(filtered(query, filter));
    e.set_weighting_scheme(weighting());
    e.set_sort_by_relevance_then_value(analysis::kNctIdSlot, false);
    const Xapian::MSet top = exact_mset(e, options_.feedback_docs);
    if (top.empty()) return terms;
    Xapian::RSet rset;
    for (auto it = top.begin(); it != top.end(); ++it) rset.add_document(*it);
    const FeedbackDecider decider;
    const Xapian::ESet eset = e.get_eset(options_.feedback_terms, rset, &decider);
    for (auto it = eset.begin(); it != eset.end(); ++it) terms.push_back(*it);
    return terms;
}

PatientEngine::Ranking PatientEngine::rank(const PatientRequest& req, std::size_t depth,
                                           std::size_t need) const {
    Ranking r;
    r.profile = profile(req.text);
    r.parts = base_parts(r.profile, &r.dropped_words);
    if (r.parts.empty()) return r;
    const Xapian::Query filter = restriction(req);
    // Feedback comes from the whole database (with the user's filters), never from only_ids.
    Xapian::Query user_filter;
    if (!req.filters.empty()) {
        PatientRequest f = req;
        f.only_ids.clear();
        user_filter = restriction(f);
    }
    r.feedback_terms = feedback(combine(r.parts), user_filter);
    if (!r.feedback_terms.empty()) {
        std::vector<Xapian::Query> fb(r.feedback_terms.begin(), r.feedback_terms.end());
        r.parts.push_back({"feedback terms",
                           scaled(Xapian::Query(Xapian::Query::OP_OR, fb.begin(), fb.end()),
                                  options_.feedback_weight)});
    }
    r.query = combine(r.parts);
    Xapian::Enquire e(searcher_.database());
    e.set_query(filtered(r.query, filter));
    e.set_weighting_scheme(weighting());
    e.set_sort_by_relevance_then_value(analysis::kNctIdSlot, false);
    const auto all = searcher_.database().get_doccount();
    const Xapian::doccount n =
        req.only_ids.empty() ? static_cast<Xapian::doccount>(depth) : all;
    const EligibilityCheck check(searcher_.registry(), r.profile, options_);
    // A demotion only lowers a score (factors of at most 1), so once `need` trials are checked
    // and the next base score is below the need-th best final score, no trial after it can
    // enter the first `need`: they are not read (reading and checking a trial's eligibility
    // text was half the cost of a 1,000-deep re-ranking).
    const bool may_stop = options_.age_factor <= 1.0 && options_.sex_factor <= 1.0 &&
                          options_.exclusion_factor <= 1.0 && need > 0 && need < n;
    rerank(e, n, may_stop, need, check, r);
    std::stable_sort(r.docs.begin(), r.docs.end(), [](const Ranked& a, const Ranked& b) {
        return a.score != b.score ? a.score > b.score : a.nct_id < b.nct_id;
    });
    return r;
}

// Re-ranks the first n matches into r.docs, up to where the first `need` are settled (see rank).
void PatientEngine::rerank(Xapian::Enquire& e, Xapian::doccount n, bool may_stop,
                           std::size_t need, const EligibilityCheck& check, Ranking& r) const {
    const Xapian::MSet mset = exact_mset(e, n);
    r.total = mset.get_matches_estimated();
    r.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    r.docs.clear();
    std::priority_queue<double, std::vector<double>, std::greater<>> best;  // need best finals
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        if (may_stop && best.size() == need && it.get_weight() < best.top()) return;
        Ranked d;
        d.doc = it.get_document();
        d.base = it.get_weight();
        d.data = nlohmann::json::parse(d.doc.get_data(), nullptr, false);
        if (d.data.is_discarded()) d.data = nlohmann::json::object();
        d.nct_id = d.data.value("nct_id", std::string());
        d.factor = check.factor(d.doc, d.data, d.adjustments);
        d.score = d.base * d.factor;
        best.push(d.score);
        if (best.size() > need) best.pop();
        r.docs.push_back(std::move(d));
    }
}

}  // namespace detail

namespace {

// Whether text[at, at + n) is a whole word or words, not inside a longer one ("prediabetes").
bool whole_words(const std::string& text, std::size_t at, std::size_t n) {
    const auto word_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || (c & 0x80) != 0;
    };
    return (at == 0 || !word_char(text[at - 1])) &&
           (at + n >= text.size() || !word_char(text[at + n]));
}

}  // namespace

std::string note_with_shorthand_spelled_out(const PatientProfile& p, std::string text) {
    for (const auto& c : p.concepts) {
        if (c.expands.empty() || c.negated || c.family || c.text.empty()) continue;
        for (auto at = text.find(c.text); at != std::string::npos; at = text.find(c.text, at)) {
            if (!whole_words(text, at, c.text.size())) {
                at += c.text.size();
                continue;
            }
            text.replace(at, c.text.size(), c.expands);
            at += c.expands.size();
        }
    }
    return text;
}

std::string note_without_negated(const PatientProfile& p) {
    std::string text = p.text;
    for (const auto& c : p.concepts) {
        if (!c.negated || c.text.empty()) continue;
        if (std::any_of(p.concepts.begin(), p.concepts.end(), [&](const PatientConcept& o) {
                return !o.negated && !o.family && o.key == c.key;
            })) {
            continue;
        }
        for (auto at = text.find(c.text); at != std::string::npos;
             at = text.find(c.text, at + 1)) {
            if (!whole_words(text, at, c.text.size())) continue;
            text.replace(at, c.text.size(), std::string(c.text.size(), ' '));
        }
    }
    return text;
}

std::string note_without_family(const PatientProfile& p, std::string text) {
    for (const auto& [begin, end] : p.family_spans) {
        if (end <= text.size()) text.replace(begin, end - begin, std::string(end - begin, ' '));
    }
    return text;
}

std::vector<std::string> about_relatives(const PatientProfile& p) {
    std::vector<std::string> out;
    for (const auto& [begin, end] : p.family_spans) {
        if (end > p.text.size()) continue;
        const std::string part = p.text.substr(begin, end - begin);
        const auto first = part.find_first_not_of(" \t\r\n");
        const auto last = part.find_last_not_of(" \t\r\n,");
        if (first != std::string::npos) out.push_back(part.substr(first, last + 1 - first));
    }
    return out;
}

PatientSearch::PatientSearch(Searcher& searcher, PatientOptions options)
    : searcher_(searcher), options_(options) {}

PatientProfile PatientSearch::profile(std::string_view text) const {
    return detail::PatientEngine(searcher_, options_).profile(text);
}

SearchResponse PatientSearch::search(const PatientRequest& req) const {
    SearchResponse resp;
    resp.query = req.filters;
    try {
        const detail::PatientEngine engine(searcher_, options_);
        const auto depth = std::max(options_.rerank_depth, req.offset + req.limit);
        const auto r = engine.rank(req, depth, req.offset + req.limit);
        resp.total = std::max<std::uint64_t>(r.total, r.docs.size());
        resp.total_exact = r.total_exact;
        const analysis::DatabaseSynonyms synonyms(searcher_.database());
        const auto terms = detail::query_terms(r.query, &synonyms);
        const auto& prose = searcher_.registry().get("prose");
        for (std::size_t i = req.offset; i < r.docs.size() && i < req.offset + req.limit; ++i) {
            const auto& d = r.docs[i];
            Hit h;
            h.rank = i + 1;
            h.nct_id = d.nct_id;
            h.score = d.score;
            h.data = d.data;
            h.why = d.adjustments;
            if (req.snippets) {
                auto sn = detail::make_snippet(h.data, terms, prose, {"condition", "title"}, 240);
                h.snippet = std::move(sn.text);
                h.snippet_field = std::move(sn.field);
            }
            resp.hits.push_back(std::move(h));
        }
        resp.notes.push_back(detail::describe_profile(r.profile));
        if (options_.family && !r.profile.family_spans.empty()) {
            std::string note = "left out of the query as about relatives:";
            for (const auto& part : about_relatives(r.profile)) note += " \"" + part + "\"";
            resp.notes.push_back(std::move(note));
        }
        if (!r.dropped_words.empty()) {
            std::string note = fmt::format("searched the {} rarest words of the note; left out "
                                           "as too common:", options_.max_words);
            for (const auto& w : r.dropped_words) note += " " + w;
            resp.notes.push_back(std::move(note));
        }
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, "patient search");
    }
    return resp;
}

}  // namespace trials::search
