// MeSH names <-> ids through the synonym table and stored data; the "why" of similar trials.
#include "similar_explain.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

#include <nlohmann/json.hpp>

#include "trials/analysis/database.hpp"
#include "trials/analysis/registry.hpp"
#include "trials/analysis/schema.hpp"

namespace trials::search::detail {
namespace {

using Kind = SimilarTerm::Kind;

constexpr std::size_t kLabelsPerReason = 3;
constexpr Xapian::doccount kNameLookupDocs = 3;  // trials read to name a descriptor

std::string join(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

// Reasons in the order they are shown when equally strong, with their heading.
struct ReasonKind {
    Kind kind;
    std::string_view heading;  // empty: the labels alone (design facets)
};
constexpr ReasonKind kReasons[] = {
    {Kind::Condition, "same MeSH: "},
    {Kind::Concept, "MeSH: "},
    {Kind::Narrower, "within MeSH: "},
    {Kind::Ancestor, "shared ancestor: "},
    {Kind::Intervention, "same intervention: "},
    {Kind::InterventionClass, "intervention class: "},
    {Kind::InterventionWord, "intervention words: "},
    {Kind::ConditionWord, "condition words: "},
    {Kind::Keyword, "keywords: "},
    {Kind::TitleWord, "title words: "},
    {Kind::Word, "words: "},
    {Kind::Design, ""},
};

// "D012128", "C000657245": a MeSH descriptor or supplementary concept id, not a name.
bool is_descriptor_id(const std::string& s) {
    return s.size() >= 7 && (s[0] == 'D' || s[0] == 'C') &&
           std::all_of(s.begin() + 1, s.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

bool is_word_kind(Kind k) {
    return k == Kind::InterventionWord || k == Kind::ConditionWord || k == Kind::Keyword ||
           k == Kind::TitleWord || k == Kind::Word;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A shared word is shown once, under its strongest kind, and not at all when a shown name
// (a MeSH descriptor, an intervention) already contains it.
template <typename Reasons>
void drop_repeated_words(Reasons& reasons) {
    std::string names;
    std::map<std::string, std::pair<double, Kind>> best;
    for (const auto& [kind, r] : reasons) {
        for (const auto& [w, label] : r.labels) {
            if (!is_word_kind(kind)) {
                names += " " + lower(label) + " ";
                continue;
            }
            auto& b = best[label];
            if (w > b.first) b = {w, kind};
        }
    }
    for (auto it = reasons.begin(); it != reasons.end();) {
        if (is_word_kind(it->first)) {
            std::erase_if(it->second.labels, [&](const auto& l) {
                return best[l.second].second != it->first ||
                       names.find(" " + l.second + " ") != std::string::npos ||
                       names.find(" " + l.second + ",") != std::string::npos;
            });
        }
        it = it->second.labels.empty() ? reasons.erase(it) : std::next(it);
    }
}

}  // namespace

std::vector<std::string> mesh_ids_of(const Xapian::Database& db,
                                     const analysis::Analyzer& name_analyzer,
                                     std::string_view name) {
    std::vector<std::string> out;
    const std::string key = analysis::phrase_key(name_analyzer, name);
    if (key.empty()) return out;
    const std::string_view prefix = analysis::kMeshIdPrefix;
    // Through the synonym metadata, which remote shards serve too.
    for (const auto& s : analysis::DatabaseSynonyms(db).lookup(key)) {
        if (s.size() > prefix.size() && s.compare(0, prefix.size(), prefix) == 0) {
            out.push_back(s.substr(prefix.size()));
        }
    }
    return out;
}

std::string resolve_mesh_name(const Xapian::Database& db, const analysis::Analyzer& name_analyzer,
                              const std::string& name, const std::set<std::string>& direct_uis) {
    for (const auto& ui : mesh_ids_of(db, name_analyzer, name)) {
        if (direct_uis.contains(ui)) return ui;
    }
    return {};
}

Explainer::Explainer(const Xapian::Database& db, const analysis::Analyzer& name_analyzer,
                     const std::vector<SimilarTerm>& terms)
    : db_(db), name_analyzer_(name_analyzer) {
    for (const auto& t : terms) {
        auto& slot = by_term_[t.term];
        if (slot == nullptr || slot->weight < t.weight) slot = &t;
    }
}

const std::string& Explainer::mesh_name(const std::string& ui) {
    if (const auto it = names_.find(ui); it != names_.end()) return it->second;
    std::string found;
    const std::string term = std::string(analysis::kMeshDirectIdPrefix) + ui;
    const std::set<std::string> only{ui};
    Xapian::doccount read = 0;
    for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term) && found.empty(); ++p) {
        if (++read > kNameLookupDocs) break;
        const auto data = nlohmann::json::parse(db_.get_document(*p).get_data(), nullptr, false);
        if (!data.is_object()) continue;
        std::vector<std::string> names;
        if (const auto c = data.find("condition_mesh"); c != data.end() && c->is_array()) {
            for (const auto& n : *c) {
                if (n.is_string()) names.push_back(n.get<std::string>());
            }
        }
        if (const auto i = data.find("interventions"); i != data.end() && i->is_array()) {
            for (const auto& n : *i) {
                if (n.is_object()) names.push_back(n.value("name", std::string()));
            }
        }
        for (const auto& n : names) {
            if (!resolve_mesh_name(db_, name_analyzer_, n, only).empty()) {
                found = n;
                break;
            }
        }
    }
    return names_.emplace(ui, found.empty() ? "MeSH " + ui : found).first->second;
}

std::vector<std::string> Explainer::why(const std::vector<std::string>& matched,
                                        std::size_t max_items) {
    struct Reason {
        double weight = 0;
        std::vector<std::pair<double, std::string>> labels;
    };
    std::map<Kind, Reason> reasons;
    for (const auto& term : matched) {
        const auto it = by_term_.find(term);
        if (it == by_term_.end()) continue;
        const SimilarTerm& t = *it->second;
        if (t.label.empty()) continue;  // counted, not shown
        std::string label = t.label;
        if ((t.kind == Kind::Ancestor || t.kind == Kind::Intervention ||
             t.kind == Kind::InterventionClass) &&
            is_descriptor_id(label)) {
            label = mesh_name(label);  // no name known from the source
        }
        auto& r = reasons[t.kind];
        r.weight += t.weight;
        const bool dup = std::any_of(r.labels.begin(), r.labels.end(),
                                     [&](const auto& l) { return l.second == label; });
        if (!dup) r.labels.emplace_back(t.weight, std::move(label));
    }
    // The same descriptor matched as a condition needs no "within" line.
    if (reasons.contains(Kind::Condition)) {
        if (auto n = reasons.find(Kind::Narrower); n != reasons.end()) {
            auto& labels = n->second.labels;
            const auto& same = reasons[Kind::Condition].labels;
            std::erase_if(labels, [&](const auto& l) {
                return std::any_of(same.begin(), same.end(),
                                   [&](const auto& s) { return s.second == l.second; });
            });
            if (labels.empty()) reasons.erase(n);
        }
    }
    drop_repeated_words(reasons);
    // (weight, kind order, text): the strongest reasons are kept, shown in kind order.
    std::vector<std::tuple<double, std::size_t, std::string>> items;
    std::string design;
    for (std::size_t order = 0; order < std::size(kReasons); ++order) {
        const auto& rk = kReasons[order];
        auto it = reasons.find(rk.kind);
        if (it == reasons.end()) continue;
        auto& labels = it->second.labels;
        std::stable_sort(labels.begin(), labels.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        std::vector<std::string> shown;
        for (const auto& l : labels) {
            if (shown.size() < kLabelsPerReason) shown.push_back(l.second);
        }
        if (rk.kind == Kind::Design) {
            design = join(shown, " ");
        } else {
            items.emplace_back(it->second.weight, order,
                               std::string(rk.heading) + join(shown, " / "));  // MeSH names hold commas
        }
    }
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
        return std::get<0>(a) > std::get<0>(b);
    });
    const std::size_t room = design.empty() || max_items == 0 ? max_items : max_items - 1;
    if (items.size() > room) items.resize(room);
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
        return std::get<1>(a) < std::get<1>(b);
    });
    std::vector<std::string> out;
    for (auto& item : items) out.push_back(std::move(std::get<2>(item)));
    if (!design.empty() && max_items > 0) out.push_back(std::move(design));
    return out;
}

}  // namespace trials::search::detail
