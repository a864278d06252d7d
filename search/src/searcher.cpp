// Searcher: query parsing, matching, sorting, paging, facet counts and snippets.
#include "trials/search/searcher.hpp"

#include <algorithm>
#include <map>

#include "snippet.hpp"
#include "trials/analysis/database.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"
#include "trials/search/query_parser.hpp"

namespace trials::search {
namespace {

struct SortSpec {
    std::optional<Xapian::valueno> slot;  // none: relevance
    bool descending = true;
};

SortSpec parse_sort(const std::string& text) {
    std::string name = text;
    std::string dir;
    if (const auto colon = text.find(':'); colon != std::string::npos) {
        name = text.substr(0, colon);
        dir = text.substr(colon + 1);
    }
    SortSpec s;
    if (name.empty() || name == "relevance" || name == "@relevance") {
        if (!dir.empty()) throw QueryError("--sort relevance takes no direction");
        return s;
    }
    const auto* spec = analysis::find_numeric(name);
    if (spec == nullptr) {
        throw QueryError("unknown sort key '" + name +
                         "' (use relevance, start, completion, updated, enrollment, ...)");
    }
    s.slot = static_cast<Xapian::valueno>(spec->slot);
    if (dir.empty() || dir == "desc") {
        s.descending = true;
    } else if (dir == "asc") {
        s.descending = false;
    } else {
        throw QueryError("sort direction must be asc or desc, not '" + dir + "'");
    }
    return s;
}

// A cursor names the offset of the next page and the state of the index it was made on, so a
// walk never repeats or skips a trial silently: a changed index refuses the cursor.
std::string index_stamp(const Xapian::Database& db) {
    return std::to_string(db.get_doccount()) + "." + std::to_string(db.get_lastdocid());
}

std::string make_cursor(std::size_t offset, const std::string& stamp, const std::string& query,
                        const std::string& sort) {
    const std::size_t h = std::hash<std::string>{}(query + '\x1f' + sort);
    return std::to_string(offset) + "-" + stamp + "-" + std::to_string(h % 1000000007);
}

std::size_t read_cursor(const std::string& cursor, const std::string& stamp,
                        const std::string& query, const std::string& sort) {
    const auto dash = cursor.find('-');
    if (dash == std::string::npos || dash == 0) throw QueryError("malformed --cursor");
    std::size_t offset = 0;
    try {
        offset = std::stoul(cursor.substr(0, dash));
    } catch (const std::exception&) {
        throw QueryError("malformed --cursor");
    }
    if (make_cursor(offset, stamp, query, sort) != cursor) {
        throw QueryError(
            "this cursor belongs to another query, sort or state of the index (it changed "
            "since); start the walk again without --cursor");
    }
    return offset;
}

std::vector<FacetValue> split_counts(const Xapian::ValueCountMatchSpy& spy) {
    std::map<std::string, std::uint64_t> counts;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
        const std::string combo = *it;
        const auto n = it.get_termfreq();
        std::size_t start = 0;
        while (start <= combo.size()) {
            const auto sep = combo.find(analysis::kFacetSeparator, start);
            counts[combo.substr(start, sep == std::string::npos ? std::string::npos
                                                                 : sep - start)] += n;
            if (sep == std::string::npos) break;
            start = sep + 1;
        }
    }
    std::vector<FacetValue> out;
    for (auto& [v, n] : counts) out.push_back({v, n});
    std::stable_sort(out.begin(), out.end(),
                     [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
    return out;
}

}  // namespace

struct Searcher::Impl {
    Xapian::Database db;
    std::unique_ptr<analysis::AnalyzerRegistry> registry;
    std::unique_ptr<analysis::DatabaseSynonyms> synonyms;
    std::string path;
};

Searcher::Searcher(const std::filesystem::path& db_path) : impl_(std::make_unique<Impl>()) {
    impl_->path = db_path.string();
    impl_->db = analysis::open_for_search(db_path);
    const auto resources = analysis::load_analysis_resources(impl_->db);
    impl_->registry = resources.stopwords.empty()
                          ? std::make_unique<analysis::AnalyzerRegistry>()
                          : std::make_unique<analysis::AnalyzerRegistry>(resources);
    impl_->synonyms = std::make_unique<analysis::DatabaseSynonyms>(impl_->db);
}

Searcher::~Searcher() = default;

const analysis::AnalyzerRegistry& Searcher::registry() const { return *impl_->registry; }
Xapian::Database& Searcher::database() { return impl_->db; }
std::uint64_t Searcher::doc_count() const { return impl_->db.get_doccount(); }

SearchResponse Searcher::search(const SearchRequest& req) {
    SearchResponse resp;
    resp.query = req.query;
    QueryParserOptions qpo;
    qpo.conjunctive = !req.any;
    qpo.synonyms = impl_->synonyms.get();
    QueryParser parser(*impl_->registry, qpo);
    const ParsedQuery parsed = parser.parse(req.query);
    const SortSpec sort = parse_sort(req.sort);

    // Facets to count.
    std::vector<const analysis::FacetSpec*> facet_specs;
    for (const auto& name : req.facets) {
        if (name == "all") {
            for (const auto& f : analysis::facets()) facet_specs.push_back(&f);
            continue;
        }
        const auto* f = analysis::find_facet(name);
        if (f == nullptr) throw QueryError("unknown facet '" + name + "'");
        if (std::find(facet_specs.begin(), facet_specs.end(), f) == facet_specs.end()) {
            facet_specs.push_back(f);
        }
    }

    try {
        const std::string stamp = index_stamp(impl_->db);
        std::size_t offset = req.offset;
        if (req.cursor) offset = read_cursor(*req.cursor, stamp, req.query, req.sort);
        const Xapian::doccount all = impl_->db.get_doccount();

        Xapian::Enquire enquire(impl_->db);
        enquire.set_query(parsed.query);
        enquire.set_weighting_scheme(Xapian::BM25Weight());
        std::unique_ptr<Xapian::MultiValueKeyMaker> keymaker;
        if (sort.slot) {
            keymaker = std::make_unique<Xapian::MultiValueKeyMaker>();
            // Missing values sort last in either direction.
            keymaker->add_value(*sort.slot, sort.descending,
                                sort.descending ? std::string() : std::string(9, '\xff'));
            enquire.set_sort_by_key_then_relevance(keymaker.get(), false);
        } else if (!parsed.has_text) {
            enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        }

        // Facets whose own filter is not in the query are counted on the main match;
        // the others on the query without their filter (disjunctive counts).
        std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies(facet_specs.size());
        for (std::size_t i = 0; i < facet_specs.size(); ++i) {
            spies[i] = std::make_unique<Xapian::ValueCountMatchSpy>(facet_specs[i]->slot);
            const std::string name(facet_specs[i]->name);
            const bool filtered =
                std::any_of(parsed.facet_filters.begin(), parsed.facet_filters.end(),
                            [&](const auto& f) { return f.first == name; });
            if (!filtered) enquire.add_matchspy(spies[i].get());
        }
        const bool exact = req.exact_total || !facet_specs.empty();
        const Xapian::MSet mset =
            enquire.get_mset(static_cast<Xapian::doccount>(offset),
                             static_cast<Xapian::doccount>(req.limit), exact ? all : 0);
        resp.total = exact ? mset.get_matches_estimated() : mset.get_matches_estimated();
        resp.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();

        for (std::size_t i = 0; i < facet_specs.size(); ++i) {
            const std::string name(facet_specs[i]->name);
            const bool filtered =
                std::any_of(parsed.facet_filters.begin(), parsed.facet_filters.end(),
                            [&](const auto& f) { return f.first == name; });
            if (filtered) {
                Xapian::Enquire e2(impl_->db);
                e2.set_query(parsed.without_facet(name));
                e2.set_weighting_scheme(Xapian::BoolWeight());
                e2.add_matchspy(spies[i].get());
                (void)e2.get_mset(0, 0, all);
            }
            resp.facets.emplace_back(name, split_counts(*spies[i]));
        }

        const auto snippet_terms = detail::query_terms(parsed.query);
        const auto& analyzer = impl_->registry->get("prose");
        std::size_t rank = offset;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Hit h;
            h.rank = ++rank;
            h.score = it.get_weight();
            const Xapian::Document doc = it.get_document();
            h.data = nlohmann::json::parse(doc.get_data(), nullptr, false);
            if (h.data.is_discarded()) h.data = nlohmann::json::object();
            h.nct_id = h.data.value("nct_id", std::string());
            if (req.snippets) {
                auto sn = detail::make_snippet(h.data, snippet_terms, analyzer,
                                               parsed.text_fields, req.snippet_length);
                h.snippet = std::move(sn.text);
                h.snippet_field = std::move(sn.field);
            }
            resp.hits.push_back(std::move(h));
        }
        if (!resp.hits.empty() && offset + resp.hits.size() < mset.get_matches_lower_bound()) {
            resp.next_cursor = make_cursor(offset + resp.hits.size(), stamp, req.query, req.sort);
        }
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, impl_->path);
    }
    return resp;
}

}  // namespace trials::search
