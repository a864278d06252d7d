// The terms of a trial of the index: its condition and intervention MeSH descriptors (direct,
// narrower, ancestors), the words of its conditions, keywords, titles and intervention names,
// and its design, each with a weight (similar.hpp, SimilarityModel).
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "similar_explain.hpp"
#include "similar_terms.hpp"
#include "trials/analysis/schema.hpp"

namespace trials::search::detail {
namespace {

using Kind = SimilarTerm::Kind;

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

std::string_view prefix_of(analysis::TextField f) { return analysis::text_field(f).prefix; }

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

class TrialTerms {
public:
    TrialTerms(const TermStats& stats, const analysis::AnalyzerRegistry& registry)
        : stats_(stats), db_(stats.db()), registry_(registry), m_(stats.model()) {}

    double idf(Xapian::doccount df) const { return stats_.idf(df); }
    bool too_common(Xapian::doccount df) const { return stats_.too_common(df); }

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
                if (p == prefix_of(analysis::TextField::Title)) {
                    title.emplace_back(term, t.get_termfreq());
                } else if (p == prefix_of(analysis::TextField::Condition)) {
                    cond_words.emplace_back(term, t.get_termfreq());
                } else if (p == prefix_of(analysis::TextField::Keyword)) {
                    keywords.emplace_back(term, t.get_termfreq());
                }
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
        normalize_groups(out);
        return out;
    }

    // Many drugs (and their many classes) or many ancestors must not outweigh one shared
    // condition: the weights of such a group are divided by (its size)^group_norm.
    void normalize_groups(std::vector<SimilarTerm>& terms) const {
        if (m_.group_norm <= 0) return;
        for (const Kind kind : {Kind::Ancestor, Kind::Intervention, Kind::InterventionClass,
                                Kind::InterventionWord}) {
            const auto n = std::count_if(terms.begin(), terms.end(),
                                         [&](const SimilarTerm& t) { return t.kind == kind; });
            if (n <= 1) continue;
            const double f = std::pow(static_cast<double>(n), -m_.group_norm);
            for (auto& t : terms) {
                if (t.kind == kind) t.weight *= f;
            }
        }
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

    const TermStats& stats_;
    const Xapian::Database& db_;
    const analysis::AnalyzerRegistry& registry_;
    const SimilarityModel& m_;
};

}  // namespace

std::vector<SimilarTerm> trial_terms(const TermStats& stats,
                                     const analysis::AnalyzerRegistry& registry,
                                     Xapian::docid did) {
    return TrialTerms(stats, registry).for_trial(did);
}

}  // namespace trials::search::detail
