// Similar trials: the chosen terms (similar_terms.hpp) run as one weighted OR query, and each
// hit explained by the terms it shares (similar_explain.hpp).
#include "trials/search/similar.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "similar_explain.hpp"
#include "similar_terms.hpp"
#include "trials/analysis/database.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"
#include "trials/search/query_parser.hpp"

namespace trials::search {
namespace {

std::string upper_ascii(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// Weights are multiples of 1/1024, so that every sum of them is exact and a trial's score does
// not depend on the order Xapian adds them in: one database and a shard set of the same records
// then break ties (by NCT id) the same way.
double quantize(double w) { return std::round(w * 1024.0) / 1024.0; }

Xapian::Query scaled(const Xapian::Query& q, double w) {
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, quantize(w));
}

Xapian::Query build_query(const std::vector<SimilarTerm>& terms) {
    std::vector<Xapian::Query> core, boost;
    std::map<int, std::vector<const SimilarTerm*>> groups;
    for (const auto& t : terms) {
        if (t.weight <= 0) continue;
        if (t.group >= 0) {
            groups[t.group].push_back(&t);
            continue;
        }
        (t.boost_only ? boost : core).push_back(scaled(Xapian::Query(t.term), t.weight));
    }
    // A group counts once, at the weight of its best member in the trial (OP_MAX would, but
    // crashes Xapian 1.4.22 on a shard set with TfIdfWeight): for the distinct weights
    // w1 > w2 > ... > wk of its members, a synonym of the members weighing at least w_i adds
    // w_i - w_(i+1), so a trial whose best member weighs w_j gets exactly w_j.
    for (auto& [g, members] : groups) {
        std::sort(members.begin(), members.end(),
                  [](const SimilarTerm* a, const SimilarTerm* b) { return a->weight > b->weight; });
        std::vector<Xapian::Query> at_least;
        for (std::size_t i = 0; i < members.size(); ++i) {
            at_least.emplace_back(members[i]->term);
            const double w = quantize(members[i]->weight);
            const double next = i + 1 < members.size() ? quantize(members[i + 1]->weight) : 0.0;
            if (w <= next) continue;
            core.push_back(scaled(at_least.size() == 1
                                      ? at_least.front()
                                      : Xapian::Query(Xapian::Query::OP_SYNONYM,
                                                      at_least.begin(), at_least.end()),
                                  w - next));
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
        return detail::trial_terms(detail::TermStats(searcher_.database(), model_), searcher_.registry(), did);
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, "reading " + nct_id);
    }
}

std::vector<SimilarTerm> SimilarFinder::terms_for_text(const std::string& text) const {
    try {
        return detail::text_terms(detail::TermStats(searcher_.database(), model_), searcher_.registry(),
                                 text);
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
    // Words and filters of the query restrict the similar trials without changing their order;
    // its facet filters stay apart, so that facet counts are disjunctive as in a search.
    ParsedQuery scope;
    scope.has_text = true;
    scope.base_ = query;
    if (!req.query.empty()) {
        QueryParserOptions qpo;
        const analysis::DatabaseSynonyms synonyms(searcher_.database());
        qpo.synonyms = &synonyms;
        ParsedQuery extra = QueryParser(searcher_.registry(), qpo).parse(req.query);
        if (extra.base_.get_type() != Xapian::Query::LEAF_MATCH_ALL) {
            scope.base_ = Xapian::Query(Xapian::Query::OP_FILTER, query, extra.base_);
        }
        scope.facet_filters = std::move(extra.facet_filters);
    }
    scope.query = scope.without_facet("");
    query = scope.query;
    searcher_.count_facets(scope, req.facets, resp);
    try {
        auto& db = searcher_.database();
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        enquire.set_weighting_scheme(Xapian::TfIdfWeight("bnn"));
        enquire.set_sort_by_relevance_then_value(analysis::kNctIdSlot, false);
        const Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(req.offset),
                                                   static_cast<Xapian::doccount>(req.limit));
        if (!resp.total_exact) {  // else the facet pass counted every match
            resp.total = mset.get_matches_estimated();
            resp.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
        }
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
