// Explaining a trial's score (see explain.hpp). Each node of the compiled query is run again
// restricted to the one trial (OP_FILTER on its id term), so a node's weight is exactly what it
// adds to the trial's score: phrases that do not match add nothing even when their words occur,
// and OP_SCALE_WEIGHT factors (field weights, synonym weights) come out as ratios of weights.
#include "trials/search/explain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "trials/analysis/concepts.hpp"
#include "trials/analysis/database.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"
#include "trials/search/query_parser.hpp"
#include "trials/search/weighting.hpp"

namespace trials::search {
namespace {

using Q = Xapian::Query;

TermMatch make_match(std::string_view field, std::string_view term, std::string_view kind) {
    TermMatch m;
    m.field = std::string(field);
    m.term = std::string(term);
    m.kind = std::string(kind);
    return m;
}

// A term as indexed -> field, bare term and kind.
TermMatch decode_term(const std::string& term) {
    TermMatch m;
    std::string_view t = term;
    if (t.rfind(analysis::kMeshDirectIdPrefix, 0) == 0 ||
        t.rfind(analysis::kMeshIdPrefix, 0) == 0) {
        const auto colon = t.find(':');
        return make_match("mesh", t.substr(colon + 1), "descriptor");
    }
    if (t.rfind("XF", 0) == 0) {
        for (const auto& f : analysis::facets()) {
            const std::string p = analysis::facet_prefix(f);
            if (t.rfind(p, 0) == 0) return make_match(f.name, t.substr(p.size()), "filter");
        }
    }
    if (t.rfind(analysis::kIdPrefix, 0) == 0) {
        return make_match("id", t.substr(analysis::kIdPrefix.size()), "id");
    }
    std::string_view concept_prefix, concept_id;
    if (analysis::decode_concept_term(t, concept_prefix, concept_id)) {
        std::string_view field = "all";
        for (const auto& f : analysis::text_fields()) {
            if (f.prefix == concept_prefix) field = f.name;
        }
        return make_match(field, concept_id, "concept");
    }
    m.kind = "word";
    if (!t.empty() && t.front() == 'Z') {
        m.kind = "stem";
        t.remove_prefix(1);
    }
    m.field = "all";
    for (const auto& f : analysis::text_fields()) {
        if (t.rfind(f.prefix, 0) == 0 && t.size() > f.prefix.size() &&
            std::isupper(static_cast<unsigned char>(t[f.prefix.size()])) == 0) {
            m.field = std::string(f.name);
            t.remove_prefix(f.prefix.size());
            break;
        }
    }
    m.term = std::string(t);
    return m;
}

std::string leaf_term(const Q& q) { return *q.get_terms_begin(); }

// The part as the query wrote it, roughly: the first alternative of every OR (the original
// word before its stem, other fields and synonyms), phrases quoted.
std::string describe(const Q& q) {
    switch (q.get_type()) {
        case Q::LEAF_TERM:
            return decode_term(leaf_term(q)).term;
        case Q::OP_PHRASE:
        case Q::OP_NEAR:
        case Q::OP_AND: {
            std::string out;
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
                const std::string d = describe(q.get_subquery(i));
                if (d.empty()) continue;
                if (!out.empty()) out += ' ';
                out += d;
            }
            return q.get_type() == Q::OP_AND ? out : "\"" + out + "\"";
        }
        case Q::OP_OR: {
            // Alternatives the query wrote; a word's stem and its other fields read the same,
            // and scaled branches are synonyms the query did not write.
            // A compound's joined form and the phrase of its parts ("covid19", "covid 19") too.
            auto squeeze = [](std::string d) {
                std::erase_if(d, [](char c) { return c == ' ' || c == '"'; });
                return d;
            };
            std::vector<std::string> alts, keys;
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
                const Q sub = q.get_subquery(i);
                if (sub.get_type() == Q::OP_SCALE_WEIGHT) continue;
                if (sub.get_type() == Q::LEAF_TERM && leaf_term(sub).rfind('Z', 0) == 0) continue;
                const std::string d = describe(sub);
                if (d.empty() || std::find(keys.begin(), keys.end(), squeeze(d)) != keys.end()) {
                    continue;
                }
                alts.push_back(d);
                keys.push_back(squeeze(d));
            }
            if (alts.empty()) {
                return q.get_num_subqueries() > 0 ? describe(q.get_subquery(0)) : std::string();
            }
            std::string out = alts.front();
            for (std::size_t i = 1; i < alts.size(); ++i) out += " OR " + alts[i];
            return alts.size() > 1 ? "(" + out + ")" : out;
        }
        default:
            return q.get_num_subqueries() > 0 ? describe(q.get_subquery(0)) : std::string();
    }
}

class Explainer {
  public:
    Explainer(const Xapian::Database& db, const std::string& id_term) : db_(db), id_(id_term) {}

    // The node's weight for the trial; nullopt when the trial does not match the node.
    std::optional<double> weight(const Q& q) const {
        Xapian::Enquire e(db_);
        e.set_query(Q(Q::OP_FILTER, q, id_));
        e.set_weighting_scheme(bm25_weighting());
        const Xapian::MSet m = e.get_mset(0, 1);
        if (m.empty()) return std::nullopt;
        return m.begin().get_weight();
    }

    // Appends what scored under q (already known to be reached with `factor`).
    void walk(const Q& q, double factor, std::vector<TermMatch>& out) const {
        switch (q.get_type()) {
            case Q::LEAF_TERM: {
                const auto w = weight(q);
                if (!w) return;
                TermMatch m = decode_term(leaf_term(q));
                m.weight = *w * factor;
                out.push_back(std::move(m));
                return;
            }
            case Q::OP_PHRASE:
            case Q::OP_NEAR:
            case Q::OP_SYNONYM:
            case Q::OP_MAX:
            case Q::OP_ELITE_SET:
            case Q::OP_WILDCARD: {
                const auto w = weight(q);
                if (!w) return;
                TermMatch m = decode_term(*q.get_terms_begin());
                m.term = describe(q);
                if (m.term.size() >= 2 && m.term.front() == '"') {
                    m.term = m.term.substr(1, m.term.size() - 2);
                }
                m.kind = q.get_type() == Q::OP_PHRASE ? "phrase" : "group";
                m.weight = *w * factor;
                out.push_back(std::move(m));
                return;
            }
            case Q::OP_SCALE_WEIGHT: {
                const auto scaled = weight(q);
                if (!scaled) return;
                const Q child = q.get_subquery(0);
                const auto unscaled = weight(child);
                const double f = unscaled && *unscaled > 0 ? *scaled / *unscaled : 0.0;
                walk(child, factor * f, out);
                return;
            }
            case Q::OP_FILTER:
            case Q::OP_AND_NOT:
                // The right side filters and never scores.
                if (!weight(q)) return;
                walk(q.get_subquery(0), factor, out);
                return;
            case Q::OP_AND:
            case Q::OP_OR:
            case Q::OP_XOR:
            case Q::OP_AND_MAYBE:
                if (!weight(q)) return;
                for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
                    walk(q.get_subquery(i), factor, out);
                }
                return;
            default:
                return;  // value ranges, MatchAll: filters
        }
    }

  private:
    Xapian::Database db_;
    Q id_;
};

// The scored part of a compiled query, split into its top-level parts: filters stripped, then
// the operands of the top AND (OR with --any), nested ones flattened.
void split_parts(const Q& q, bool any, std::vector<Q>& parts) {
    Q scored = q;
    while (scored.get_type() == Q::OP_FILTER || scored.get_type() == Q::OP_AND_NOT) {
        scored = scored.get_subquery(0);
    }
    const auto top = scored.get_type();
    if (top != (any ? Q::OP_OR : Q::OP_AND)) {
        if (top != Q::LEAF_MATCH_ALL && top != Q::LEAF_MATCH_NOTHING && !scored.empty()) {
            parts.push_back(scored);
        }
        return;
    }
    std::vector<Q> stack{scored};
    while (!stack.empty()) {
        const Q node = stack.back();
        stack.pop_back();
        if (node.get_type() == top) {
            for (std::size_t i = node.get_num_subqueries(); i-- > 0;) {
                stack.push_back(node.get_subquery(i));
            }
        } else if (node.get_type() != Q::LEAF_MATCH_ALL) {
            parts.push_back(node);
        }
    }
}

// Splits a catch-all term's weight over the trial's fields that hold the word, in proportion to
// what each field adds to the catch-all's wdf (its prefixed wdf times its catch-all weight). The
// long fields keep a stemmed word by its stem alone, counted twice: there a stem's count is half
// its wdf, and a word's that of its stem (the word or another form of it).
void split_catch_all(const Xapian::Document& doc, const analysis::Analyzer& prose, TermMatch& m) {
    if (m.field != "all" || (m.kind != "word" && m.kind != "stem")) return;
    auto wdf = [&](const std::string& term) -> Xapian::termcount {
        auto it = doc.termlist_begin();
        it.skip_to(term);
        return it == doc.termlist_end() || *it != term ? 0 : it.get_wdf();
    };
    std::optional<std::string> stem;  // of a word, when a long field needs it
    std::vector<std::pair<std::string, double>> shares;
    double total = 0;
    for (const auto& f : analysis::text_fields()) {
        if (f.unprefixed_wdf == 0) continue;
        const std::string prefix(f.prefix);
        double count = wdf((m.kind == "stem" ? "Z" : "") + prefix + m.term);
        if (m.kind == "stem" && !f.positions) count /= 2.0;
        if (count == 0 && m.kind == "word" && !f.positions) {
            if (!stem) {
                std::vector<analysis::Token> tokens;
                prose.analyze(m.term, tokens);
                stem = tokens.size() == 1 ? prose.stem(tokens.front()) : std::string();
            }
            if (!stem->empty()) count = wdf("Z" + prefix + *stem) / 2.0;
        }
        if (count == 0) continue;
        const double share = count * f.unprefixed_wdf;
        shares.emplace_back(std::string(f.name), share);
        total += share;
    }
    if (total <= 0) return;
    for (auto& [field, share] : shares) share = m.weight * share / total;
    std::stable_sort(shares.begin(), shares.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    m.in_fields = std::move(shares);
}

// Parts that read the same (a word's exact and stem terms, split apart by --any) are one part.
void merge_parts(std::vector<ExplainedPart>& parts) {
    std::vector<ExplainedPart> out;
    for (auto& p : parts) {
        auto same = std::find_if(out.begin(), out.end(),
                                 [&](const ExplainedPart& o) { return o.text == p.text; });
        if (same == out.end()) {
            out.push_back(std::move(p));
            continue;
        }
        same->matched = same->matched || p.matched;
        same->weight += p.weight;
        for (auto& t : p.terms) same->terms.push_back(std::move(t));
    }
    parts = std::move(out);
}

std::string field_label(const std::string& field) { return field == "all" ? "all fields" : field; }

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

Explanation explain(Searcher& searcher, const SearchRequest& request, std::string_view nct_id) {
    Explanation ex;
    ex.nct_id = upper(nct_id);
    ex.query = request.query;
    Xapian::Database& db = searcher.database();
    const analysis::DatabaseSynonyms synonyms(db);
    QueryParserOptions options;
    options.conjunctive = !request.any;
    options.synonyms = &synonyms;
    options.max_words = kMaxOrWords;
    options.stats = &db;
    const ParsedQuery parsed = QueryParser(searcher.registry(), options).parse(request.query);
    const std::string id_term = std::string(analysis::kIdPrefix) + ex.nct_id;
    try {
        auto post = db.postlist_begin(id_term);
        if (post == db.postlist_end(id_term)) return ex;
        const Xapian::docid did = *post;
        ex.in_database = true;
        const Xapian::Document doc = db.get_document(did);
        ex.data = nlohmann::json::parse(doc.get_data(), nullptr, false);
        if (ex.data.is_discarded()) ex.data = nlohmann::json::object();

        const Explainer explainer(db, id_term);
        const analysis::Analyzer& prose = searcher.registry().get("prose");
        const auto score = explainer.weight(parsed.query);
        ex.matches = score.has_value();
        ex.score = score.value_or(0.0);

        Xapian::Enquire enquire(db);
        enquire.set_query(parsed.query);
        for (auto t = enquire.get_matching_terms_begin(did);
             t != enquire.get_matching_terms_end(did); ++t) {
            ex.matching_terms.push_back(decode_term(*t));
        }

        std::vector<Q> parts;
        split_parts(parsed.query, request.any, parts);
        for (const Q& part : parts) {
            ExplainedPart p;
            p.text = describe(part);
            const auto w = explainer.weight(part);
            p.matched = w.has_value();
            p.weight = w.value_or(0.0);
            if (w) explainer.walk(part, 1.0, p.terms);
            for (auto& t : p.terms) split_catch_all(doc, prose, t);
            ex.parts.push_back(std::move(p));
        }
        merge_parts(ex.parts);
        std::map<std::string, double> per_field;
        for (auto& p : ex.parts) {
            std::stable_sort(
                p.terms.begin(), p.terms.end(),
                [](const TermMatch& a, const TermMatch& b) { return a.weight > b.weight; });
            for (const auto& t : p.terms) {
                if (t.in_fields.empty()) {
                    per_field[t.field] += t.weight;
                } else {
                    for (const auto& [field, w] : t.in_fields) per_field[field] += w;
                }
            }
        }
        for (const auto& [field, w] : per_field) ex.fields.emplace_back(field, w);
        std::stable_sort(ex.fields.begin(), ex.fields.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, "explaining " + ex.nct_id);
    }
    return ex;
}

void print_explanation(std::ostream& out, const Explanation& e) {
    if (!e.in_database) {
        out << e.nct_id << " is not in this database\n";
        return;
    }
    const std::string title = e.data.value("title", std::string());
    if (!e.matches) {
        out << fmt::format("{} does not match the query\n     {}\n     query: {}\n", e.nct_id,
                           title, e.query);
        for (const auto& p : e.parts) {
            if (!p.matched) out << "     no match for: " << p.text << "\n";
        }
        if (std::all_of(e.parts.begin(), e.parts.end(),
                        [](const ExplainedPart& p) { return p.matched; })) {
            out << "     a filter (facet, range or NOT) leaves it out\n";
        }
        return;
    }
    out << fmt::format("{} matches the query with score {:.2f}\n     {}\n     query: {}\n",
                       e.nct_id, e.score, title, e.query);
    for (const auto& p : e.parts) {
        out << fmt::format("\n  {:<52} {:>7.2f}\n", p.text, p.weight);
        for (const auto& t : p.terms) {
            std::string where;
            for (const auto& [field, w] : t.in_fields) {
                where += fmt::format("{}{} {:.2f}", where.empty() ? "  (" : ", ", field, w);
            }
            if (!where.empty()) where += ")";
            out << fmt::format("      {:<12} {:<26} {:<10} {:>7.2f}{}\n", field_label(t.field),
                               t.term, t.kind, t.weight, where);
        }
    }
    if (!e.fields.empty()) {
        out << "\n  by field:";
        for (const auto& [field, w] : e.fields) {
            out << fmt::format("  {} {:.2f}", field_label(field), w);
        }
        out << "\n";
    }
    std::string filters;
    for (const auto& t : e.matching_terms) {
        if (t.kind != "filter") continue;
        if (!filters.empty()) filters += ", ";
        filters += t.field + ":" + t.term;
    }
    if (!filters.empty()) out << "  filters passed: " << filters << "\n";
    if (e.parts.empty()) out << "  (no scored words: the query only filters)\n";
}

nlohmann::json explanation_to_json(const Explanation& e) {
    auto term_json = [](const TermMatch& t, bool with_weight) {
        nlohmann::json j = {{"field", t.field}, {"term", t.term}, {"kind", t.kind}};
        if (with_weight) j["weight"] = t.weight;
        if (with_weight && !t.in_fields.empty()) {
            nlohmann::json in = nlohmann::json::object();
            for (const auto& [field, w] : t.in_fields) in[field] = w;
            j["in_fields"] = std::move(in);
        }
        return j;
    };
    nlohmann::json j;
    j["nct_id"] = e.nct_id;
    j["title"] = e.data.value("title", std::string());
    j["in_database"] = e.in_database;
    j["matches"] = e.matches;
    j["score"] = e.score;
    nlohmann::json parts = nlohmann::json::array();
    for (const auto& p : e.parts) {
        nlohmann::json terms = nlohmann::json::array();
        for (const auto& t : p.terms) terms.push_back(term_json(t, true));
        parts.push_back({{"query", p.text},
                         {"matched", p.matched},
                         {"weight", p.weight},
                         {"terms", std::move(terms)}});
    }
    j["parts"] = std::move(parts);
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [field, w] : e.fields) fields[field] = w;
    j["fields"] = std::move(fields);
    nlohmann::json matching = nlohmann::json::array();
    for (const auto& t : e.matching_terms) matching.push_back(term_json(t, false));
    j["matching_terms"] = std::move(matching);
    return j;
}

}  // namespace trials::search
