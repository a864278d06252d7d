// Similar trials: choosing the weighted features of a source trial or a text, running them as one
// weighted OR query, and explaining each hit by the features it shares (similar.hpp).
#include "trials/search/similar.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "similar_explain.hpp"
#include "trials/analysis/database.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"
#include "trials/search/query_parser.hpp"

namespace trials::search {
namespace {

using Kind = SimilarTerm::Kind;

constexpr std::size_t kMaxLikeBytes = 20000;  // --like reads this much of a long text
constexpr unsigned kMaxConceptWords = 6;      // longest MeSH name looked for in a --like text

std::string upper_ascii(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

bool starts_with(const std::string& s, std::string_view p) {
    return s.size() > p.size() && s.compare(0, p.size(), p) == 0;
}

// The text field prefix of a term ("XT" for "XTacute"); empty for unprefixed terms.
std::string_view field_prefix(const std::string& term) {
    std::size_t n = 0;
    while (n < term.size() && std::isupper(static_cast<unsigned char>(term[n])) != 0) ++n;
    return std::string_view(term).substr(0, n);
}

// Design facets that raise a similar trial a little, with their weight in the model.
struct DesignFacet {
    analysis::Facet facet;
    double SimilarityModel::*weight;
};
constexpr DesignFacet kDesignFacets[] = {
    {analysis::Facet::Phase, &SimilarityModel::phase},
    {analysis::Facet::StudyType, &SimilarityModel::study_type},
    {analysis::Facet::Allocation, &SimilarityModel::allocation},
    {analysis::Facet::Purpose, &SimilarityModel::purpose},
    {analysis::Facet::InterventionModel, &SimilarityModel::model},
    {analysis::Facet::InterventionType, &SimilarityModel::intervention_type},
};

// Where a source word may match, weaker than in its own field: conditions, keywords, titles and
// MeSH names.
struct WordTarget {
    analysis::TextField field;
    Kind kind;
};
constexpr WordTarget kTargets[] = {{analysis::TextField::Condition, Kind::ConditionWord},
                                   {analysis::TextField::Keyword, Kind::Keyword},
                                   {analysis::TextField::Title, Kind::TitleWord},
                                   {analysis::TextField::Mesh, Kind::Word}};

Kind kind_of_field(std::string_view prefix) {
    for (const auto& t : kTargets) {
        if (analysis::text_field(t.field).prefix == prefix) return t.kind;
    }
    return Kind::Word;
}

class TermChooser {
public:
    TermChooser(const Xapian::Database& db, const analysis::AnalyzerRegistry& registry,
                const SimilarityModel& m)
        : db_(db), registry_(registry), m_(m), n_(std::max<Xapian::doccount>(1, db.get_doccount())) {}

    double idf(Xapian::doccount df) const {
        return df == 0 ? 0.0 : std::log(static_cast<double>(n_) / static_cast<double>(df));
    }
    bool too_common(Xapian::doccount df) const {
        return static_cast<double>(df) > m_.max_df_share * static_cast<double>(n_);
    }

    std::vector<SimilarTerm> for_trial(Xapian::docid did) const {
        const nlohmann::json data = stored_data(db_.get_document(did));
        std::set<std::string> direct, all;
        std::vector<std::pair<std::string, Xapian::doccount>> title, cond_words, keywords;
        std::vector<std::string> cmesh_terms, design_terms;
        // Document frequencies only for the terms that may be chosen: a record has a thousand
        // or more terms, mostly unprefixed, and each frequency is a lookup.
        std::map<std::string, Xapian::doccount> df;
        const std::string cmesh_prefix =
            analysis::facet_prefix(analysis::facet(analysis::Facet::ConditionMesh));
        for (auto t = db_.termlist_begin(did); t != db_.termlist_end(did); ++t) {
            const std::string term = *t;
            if (term.empty() || term[0] != 'X') continue;
            if (starts_with(term, analysis::kMeshDirectIdPrefix)) {
                direct.insert(term.substr(analysis::kMeshDirectIdPrefix.size()));
                df[term] = t.get_termfreq();
            } else if (starts_with(term, analysis::kMeshIdPrefix)) {
                all.insert(term.substr(analysis::kMeshIdPrefix.size()));
                df[term] = t.get_termfreq();
            } else if (starts_with(term, "XF")) {
                (starts_with(term, cmesh_prefix) ? cmesh_terms : design_terms).push_back(term);
            } else {
                const auto p = field_prefix(term);
                if (p == "XT") title.emplace_back(term, t.get_termfreq());
                if (p == "XC") cond_words.emplace_back(term, t.get_termfreq());
                if (p == "XK") keywords.emplace_back(term, t.get_termfreq());
            }
        }
        auto df_of = [&](const std::string& term) {
            const auto it = df.find(term);
            return it != df.end() ? it->second : db_.get_termfreq(term);
        };

        std::vector<SimilarTerm> out;
        const auto names = intervention_names(data);
        const MeshSides mesh = mesh_sides(data, names, direct, all);
        for (const auto& [ui, name] : mesh.condition) {
            const std::string t = std::string(analysis::kMeshDirectIdPrefix) + ui;
            out.push_back({t, m_.condition_base + m_.condition_idf * idf(df_of(t)),
                           Kind::Condition, name});
            const std::string n = std::string(analysis::kMeshIdPrefix) + ui;
            out.push_back({n, m_.narrower_base + m_.narrower_idf * idf(df_of(n)), Kind::Narrower,
                           name});
        }
        // A condition name without a descriptor id is matched by its facet term (same name).
        const auto& cmesh = analysis::facet(analysis::Facet::ConditionMesh);
        for (const auto& name : mesh.unresolved) {
            const std::string t = analysis::facet_term(cmesh, name);
            if (std::find(cmesh_terms.begin(), cmesh_terms.end(), t) == cmesh_terms.end()) continue;
            out.push_back({t, m_.condition_base + m_.condition_idf * idf(df_of(t)),
                           Kind::Condition, name});
        }
        for (const auto& [ui, name] : mesh.intervention) {
            const std::string t = std::string(analysis::kMeshDirectIdPrefix) + ui;
            out.push_back({t, m_.intervention_base + m_.intervention_idf * idf(df_of(t)),
                           Kind::Intervention, name});
        }
        // Ancestors count by rarity only, above a floor: "Diseases" says nothing.
        auto ancestors = [&](const std::map<std::string, std::string>& uis, double per_idf,
                             Kind kind) {
            for (const auto& [ui, name] : uis) {
                const std::string t = std::string(analysis::kMeshIdPrefix) + ui;
                const double w = per_idf * (idf(df_of(t)) - m_.ancestor_idf_floor);
                if (w > 0) out.push_back({t, w, kind, name});
            }
        };
        ancestors(mesh.condition_ancestors, m_.ancestor_idf, Kind::Ancestor);
        ancestors(mesh.intervention_ancestors, m_.intervention_class_idf, Kind::InterventionClass);
        // Intervention words: the words of the intervention names only (the field also holds
        // their descriptions).
        const auto& name_an = registry_.get("name");
        std::set<std::string> done;
        const std::string xi(analysis::text_field(analysis::TextField::Intervention).prefix);
        std::vector<analysis::Token> tokens;
        for (const auto& name : names) {
            tokens.clear();
            name_an.analyze(name, tokens);
            for (const auto& tok : tokens) {
                const std::string t = xi + tok.term;
                if (!done.insert(t).second) continue;
                const auto f = df_of(t);
                if (f == 0 || too_common(f)) continue;
                out.push_back({t, m_.intervention_word_idf * idf(f), Kind::InterventionWord,
                               tok.term});
            }
        }
        // Words of the source's conditions, keywords and titles: the rarest few of each field
        // below the frequency cap. A word counts once per candidate trial, at its best match:
        // in the same field, else (weaker) in another short field or a MeSH name.
        std::map<std::string, std::pair<double, std::string>> words;  // word -> weight, field
        auto pick = [&](auto& list, double per_idf, std::size_t limit) {
            std::sort(list.begin(), list.end(),
                      [](const auto& a, const auto& b) { return a.second < b.second; });
            std::size_t n = 0;
            for (const auto& [t, f] : list) {
                if (too_common(f) || f <= 1 || n >= limit) continue;
                ++n;
                const auto p = field_prefix(t);
                auto& w = words[t.substr(p.size())];
                if (per_idf > w.first) w = {per_idf, std::string(p)};
            }
        };
        pick(cond_words, m_.condition_word_idf, 20);
        pick(keywords, m_.keyword_idf, 10);
        pick(title, m_.title_word_idf, m_.max_title_words);
        // Across fields only when the record has no condition descriptor: then its words must
        // find the condition wherever other records name it; otherwise the descriptors do, and
        // the words only order the trials that share them (at a third less query cost).
        const bool without_condition_mesh = mesh.condition.empty() && mesh.unresolved.empty();
        int group = 0;
        for (const auto& [word, source] : words) {
            ++group;
            const std::string same_term = source.second + word;
            const double same = source.first * idf(df_of(same_term));
            out.push_back({same_term, same, kind_of_field(source.second), word});
            out.back().group = group;
            if (m_.cross_field <= 0 || !without_condition_mesh) continue;
            Xapian::doccount widest = 0;
            std::vector<std::pair<std::string, Kind>> cross;
            for (const auto& target : kTargets) {
                const std::string p(analysis::text_field(target.field).prefix);
                if (p == source.second) continue;
                const auto f = df_of(p + word);
                if (f == 0 || too_common(f)) continue;
                widest = std::max(widest, f);
                cross.emplace_back(p + word, target.kind);
            }
            const double w = std::min(same, m_.cross_field * source.first * idf(widest));
            for (auto& [t, kind] : cross) {
                out.push_back({t, w, kind, word});
                out.back().group = group;
            }
        }
        add_design(design_terms, out);
        return out;
    }

    std::vector<SimilarTerm> for_text(std::string_view text) const {
        if (text.size() > kMaxLikeBytes) text = text.substr(0, kMaxLikeBytes);
        std::vector<SimilarTerm> out;
        // MeSH concepts named in the text: the longest word runs that are a descriptor's name
        // or entry term in the synonym table.
        const auto& name_an = registry_.get("name");
        std::vector<analysis::Token> tokens;
        name_an.analyze(text, tokens);
        std::set<std::string> concepts;
        for (std::size_t i = 0; i < tokens.size();) {
            std::size_t used = 1;
            // Most words start no name: one look at the synonym keys skips them.
            const std::string first = analysis::kSynonymMetadataPrefix + tokens[i].term;
            if (db_.metadata_keys_begin(first) == db_.metadata_keys_end(first)) {
                ++i;
                continue;
            }
            for (std::size_t n = std::min<std::size_t>(kMaxConceptWords, tokens.size() - i);
                 n >= 1; --n) {
                if (tokens[i + n - 1].end <= tokens[i].start) continue;
                const auto span = text.substr(tokens[i].start,
                                              tokens[i + n - 1].end - tokens[i].start);
                const auto uis = detail::mesh_ids_of(db_, name_an, span);
                if (uis.empty()) continue;
                for (const auto& ui : uis) {
                    if (!concepts.insert(ui).second) continue;
                    const std::string t = std::string(analysis::kMeshIdPrefix) + ui;
                    const auto f = db_.get_termfreq(t);
                    if (f == 0) continue;
                    out.push_back({t, m_.like_concept_base + m_.like_concept_idf * idf(f),
                                   Kind::Concept, std::string(span)});
                }
                used = n;
                break;
            }
            i += used;
        }
        // Words: the text's terms by tf-idf, below the document-frequency cap, matched anywhere
        // and, with more weight, in the short fields that say what a trial is about.
        const auto& prose = registry_.get("prose");
        tokens.clear();
        prose.analyze(text, tokens);
        std::map<std::string, unsigned> tf;
        for (const auto& tok : tokens) {
            if (!tok.joined || tok.keyword) ++tf[tok.term];
        }
        std::vector<std::tuple<double, std::string, Xapian::doccount>> scored;
        for (const auto& [term, n] : tf) {
            const auto f = db_.get_termfreq(term);
            if (f == 0 || too_common(f)) continue;
            scored.emplace_back((1.0 + std::log(static_cast<double>(n))) * idf(f), term, f);
        }
        std::sort(scored.begin(), scored.end(), std::greater<>());
        if (scored.size() > m_.like_max_words) scored.resize(m_.like_max_words);
        const analysis::TextField fields[] = {analysis::TextField::Title,
                                              analysis::TextField::Condition,
                                              analysis::TextField::Intervention,
                                              analysis::TextField::Mesh};
        for (const auto& [s, term, f] : scored) {
            out.push_back({term, m_.like_word_idf * s, Kind::Word, term});
            for (const auto field : fields) {
                const std::string t = std::string(analysis::text_field(field).prefix) + term;
                const auto ff = db_.get_termfreq(t);
                if (ff == 0 || too_common(ff)) continue;
                const Kind kind = field == analysis::TextField::Title       ? Kind::TitleWord
                                  : field == analysis::TextField::Condition ? Kind::ConditionWord
                                  : field == analysis::TextField::Intervention
                                      ? Kind::InterventionWord
                                      : Kind::Word;
                out.push_back({t, m_.like_field_word_idf * idf(ff), kind, term});
            }
        }
        return out;
    }

private:
    // The source's descriptors by side, id -> readable name (the id itself when unknown).
    struct MeshSides {
        std::map<std::string, std::string> condition, intervention;  // direct descriptors
        std::map<std::string, std::string> condition_ancestors, intervention_ancestors;
        std::vector<std::string> unresolved;  // condition names without a descriptor id
    };

    static std::vector<std::string> intervention_names(const nlohmann::json& data) {
        std::vector<std::string> names;
        if (const auto it = data.find("interventions"); it != data.end() && it->is_array()) {
            for (const auto& i : *it) {
                if (i.is_object()) names.push_back(i.value("name", std::string()));
            }
        }
        return names;
    }

    // From the stored id -> name maps of each side (condition_mesh_ids, intervention_mesh_ids)
    // when the index has them; else the stored condition names are resolved to ids through the
    // synonym table, the other direct ids are interventions, and ancestors cannot be told apart.
    MeshSides mesh_sides(const nlohmann::json& data, const std::vector<std::string>& names,
                         const std::set<std::string>& direct,
                         const std::set<std::string>& all) const {
        MeshSides m;
        const auto c = data.find("condition_mesh_ids");
        const auto i = data.find("intervention_mesh_ids");
        const bool stored = (c != data.end() && c->is_object()) ||
                            (i != data.end() && i->is_object());
        if (stored) {
            auto split = [&](nlohmann::json::const_iterator side, auto& direct_out,
                             auto& ancestors_out) {
                if (side == data.end() || !side->is_object()) return;
                for (auto it = side->begin(); it != side->end(); ++it) {
                    const std::string name =
                        it.value().is_string() ? it.value().get<std::string>() : it.key();
                    (direct.contains(it.key()) ? direct_out : ancestors_out)
                        .emplace(it.key(), name);
                }
            };
            split(c, m.condition, m.condition_ancestors);
            split(i, m.intervention, m.intervention_ancestors);
            for (const auto& ui : direct) {
                if (!m.condition.contains(ui)) m.intervention.emplace(ui, ui);
            }
            for (const auto& [ui, name] : m.condition) m.intervention.erase(ui);
            for (const auto& name : string_list(data, "condition_mesh")) {
                if (std::none_of(m.condition.begin(), m.condition.end(),
                                 [&](const auto& e) { return e.second == name; })) {
                    m.unresolved.push_back(name);
                }
            }
            return m;
        }
        const auto& name_an = registry_.get("name");
        for (const auto& name : string_list(data, "condition_mesh")) {
            const std::string ui = detail::resolve_mesh_name(db_, name_an, name, direct);
            if (ui.empty()) {
                m.unresolved.push_back(name);
            } else {
                m.condition.emplace(ui, name);
            }
        }
        std::map<std::string, std::string> named;
        for (const auto& name : names) {
            const std::string ui = detail::resolve_mesh_name(db_, name_an, name, direct);
            if (!ui.empty()) named.emplace(ui, name);
        }
        for (const auto& ui : direct) {
            if (m.condition.contains(ui)) continue;
            const auto it = named.find(ui);
            m.intervention.emplace(ui, it != named.end() ? it->second : ui);
        }
        for (const auto& ui : all) {
            if (!direct.contains(ui)) m.condition_ancestors.emplace(ui, ui);
        }
        return m;
    }

    static nlohmann::json stored_data(const Xapian::Document& doc) {
        auto j = nlohmann::json::parse(doc.get_data(), nullptr, false);
        return j.is_discarded() ? nlohmann::json::object() : j;
    }
    static std::vector<std::string> string_list(const nlohmann::json& j, const char* key) {
        std::vector<std::string> out;
        if (const auto it = j.find(key); it != j.end() && it->is_array()) {
            for (const auto& v : *it) {
                if (v.is_string()) out.push_back(v.get<std::string>());
            }
        }
        return out;
    }

    void add_design(const std::vector<std::string>& terms, std::vector<SimilarTerm>& out) const {
        for (const auto& d : kDesignFacets) {
            const auto& spec = analysis::facet(d.facet);
            const std::string p = analysis::facet_prefix(spec);
            for (const auto& t : terms) {
                if (!starts_with(t, p)) continue;
                const std::string value = t.substr(p.size());
                if (value == "na") continue;  // "not applicable" is no shared design
                // Shown in "why": the phase, a non-interventional type, randomisation.
                const bool shown = d.facet == analysis::Facet::Phase ||
                                   (d.facet == analysis::Facet::StudyType &&
                                    value != "interventional") ||
                                   (d.facet == analysis::Facet::Allocation &&
                                    value == "randomized");
                SimilarTerm st{t, m_.*d.weight, Kind::Design, shown ? upper_ascii(value) : ""};
                st.boost_only = true;
                out.push_back(std::move(st));
            }
        }
    }

    const Xapian::Database& db_;
    const analysis::AnalyzerRegistry& registry_;
    const SimilarityModel& m_;
    Xapian::doccount n_;
};

Xapian::Query build_query(const std::vector<SimilarTerm>& terms) {
    std::vector<Xapian::Query> core, boost;
    std::map<int, std::vector<const SimilarTerm*>> groups;
    for (const auto& t : terms) {
        if (t.weight <= 0) continue;
        if (t.group >= 0) {
            groups[t.group].push_back(&t);
            continue;
        }
        Xapian::Query q(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(t.term), t.weight);
        (t.boost_only ? boost : core).push_back(std::move(q));
    }
    // A word group counts once, as its best member would (OP_MAX crashes Xapian 1.4.22 on a
    // shard set with TfIdfWeight): the strongest term for the difference and a synonym of all
    // of them for the weaker weight shared by the others.
    for (auto& [g, members] : groups) {
        std::sort(members.begin(), members.end(),
                  [](const SimilarTerm* a, const SimilarTerm* b) { return a->weight > b->weight; });
        const SimilarTerm& best = *members.front();
        if (members.size() == 1) {
            core.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(best.term),
                              best.weight);
            continue;
        }
        const double shared = members[1]->weight;
        std::vector<Xapian::Query> all;
        for (const auto* m : members) all.emplace_back(m->term);
        core.emplace_back(
            Xapian::Query::OP_SCALE_WEIGHT,
            Xapian::Query(Xapian::Query::OP_SYNONYM, all.begin(), all.end()), shared);
        if (best.weight > shared) {
            core.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(best.term),
                              best.weight - shared);
        }
    }
    if (core.empty()) return {};
    Xapian::Query q(Xapian::Query::OP_OR, core.begin(), core.end());
    if (!boost.empty()) {
        q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                          Xapian::Query(Xapian::Query::OP_OR, boost.begin(), boost.end()));
    }
    return q;
}

// The chosen terms a hit has (what Enquire::get_matching_terms gives), reading its term list
// only up to the last chosen term: the unprefixed and stemmed terms after it are most of a record.
std::vector<std::string> matching_terms(const Xapian::Database& db, Xapian::docid did,
                                        const std::vector<std::string>& sorted_terms) {
    std::vector<std::string> out;
    if (sorted_terms.empty()) return out;
    auto want = sorted_terms.begin();
    for (auto t = db.termlist_begin(did); t != db.termlist_end(did); ++t) {
        const std::string term = *t;
        while (want != sorted_terms.end() && *want < term) ++want;
        if (want == sorted_terms.end()) break;
        if (*want == term) out.push_back(term);
    }
    return out;
}

}  // namespace

SimilarFinder::SimilarFinder(Searcher& searcher, SimilarityModel model)
    : searcher_(searcher), model_(model) {}

Xapian::docid SimilarFinder::docid_of(const std::string& nct_id) const {
    const std::string term = std::string(analysis::kIdPrefix) + upper_ascii(nct_id);
    try {
        const auto& db = searcher_.database();
        const auto it = db.postlist_begin(term);
        return it == db.postlist_end(term) ? 0 : *it;
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, "looking up " + nct_id);
    }
}

std::vector<SimilarTerm> SimilarFinder::terms_for_trial(const std::string& nct_id) const {
    const Xapian::docid did = docid_of(nct_id);
    if (did == 0) {
        throw QueryError("no trial " + upper_ascii(nct_id) + " in this database");
    }
    try {
        return TermChooser(searcher_.database(), searcher_.registry(), model_).for_trial(did);
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, "reading " + nct_id);
    }
}

std::vector<SimilarTerm> SimilarFinder::terms_for_text(const std::string& text) const {
    try {
        return TermChooser(searcher_.database(), searcher_.registry(), model_).for_text(text);
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, "analysing --like text");
    }
}

SearchResponse SimilarFinder::find(const SimilarRequest& req) const {
    SearchResponse resp;
    const bool by_trial = !req.nct_id.empty();
    if (by_trial == !req.like_text.empty()) {
        throw QueryError("similar trials need either a source NCT id or a text");
    }
    resp.query = by_trial ? "similar:" + upper_ascii(req.nct_id) : "like:" + req.like_text;
    const std::vector<SimilarTerm> terms =
        by_trial ? terms_for_trial(req.nct_id) : terms_for_text(req.like_text);
    Xapian::Query query = build_query(terms);
    if (query.empty()) {
        if (!by_trial) throw QueryError("the --like text has no searchable words");
        return resp;  // a trial without any usable feature: nothing is similar
    }
    if (by_trial) {
        query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                              Xapian::Query(std::string(analysis::kIdPrefix) +
                                            upper_ascii(req.nct_id)));
    }
    if (!req.query.empty()) {
        QueryParserOptions qpo;
        const analysis::DatabaseSynonyms synonyms(searcher_.database());
        qpo.synonyms = &synonyms;
        const ParsedQuery extra = QueryParser(searcher_.registry(), qpo).parse(req.query);
        if (extra.query.get_type() != Xapian::Query::LEAF_MATCH_ALL) {
            query = Xapian::Query(Xapian::Query::OP_FILTER, query, extra.query);
        }
    }
    try {
        auto& db = searcher_.database();
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        enquire.set_weighting_scheme(Xapian::TfIdfWeight("bnn"));
        enquire.set_sort_by_relevance_then_value(analysis::kNctIdSlot, false);
        const Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(req.offset),
                                                   static_cast<Xapian::doccount>(req.limit));
        resp.total = mset.get_matches_estimated();
        resp.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
        std::vector<std::string> sorted_terms;
        for (const auto& t : terms) sorted_terms.push_back(t.term);
        std::sort(sorted_terms.begin(), sorted_terms.end());
        sorted_terms.erase(std::unique(sorted_terms.begin(), sorted_terms.end()),
                           sorted_terms.end());
        detail::Explainer explain(db, searcher_.registry().get("name"), terms);
        std::size_t rank = req.offset;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Hit h;
            h.rank = ++rank;
            h.score = it.get_weight();
            h.data = nlohmann::json::parse(it.get_document().get_data(), nullptr, false);
            if (h.data.is_discarded()) h.data = nlohmann::json::object();
            h.nct_id = h.data.value("nct_id", std::string());
            h.why = explain.why(matching_terms(db, *it, sorted_terms), req.max_why);
            resp.hits.push_back(std::move(h));
        }
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, "similar trials");
    }
    return resp;
}

}  // namespace trials::search
