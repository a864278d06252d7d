// Searcher: query parsing, matching, sorting, paging, facet counts and snippets.
#include "trials/search/searcher.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "snippet.hpp"
#include "spelling.hpp"
#include "trials/analysis/database.hpp"
#include "trials/analysis/facet_columns.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"
#include "trials/search/query_parser.hpp"
#include "trials/search/weighting.hpp"

namespace trials::search {
namespace {

constexpr double kMatchTimeLimitSeconds = 10.0;

struct SortSpec {
    const analysis::NumericSpec* spec = nullptr;  // null: relevance
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
    s.spec = spec;
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

// Counts of stored values (a study's facet values joined by kFacetSeparator) as counts of facet
// values, most frequent first, ties by value.
std::vector<FacetValue> split_counts(
    const std::vector<std::pair<std::string, Xapian::doccount>>& stored) {
    std::map<std::string, std::uint64_t> counts;
    for (const auto& [combo, n] : stored) {
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

std::vector<FacetValue> split_counts(const Xapian::ValueCountMatchSpy& spy) {
    std::vector<std::pair<std::string, Xapian::doccount>> stored;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
        stored.emplace_back(*it, it.get_termfreq());
    }
    return split_counts(stored);
}

std::string dropped_note(const ParsedQuery& parsed) {
    std::string note = "--any searched the " + std::to_string(kMaxOrWords) +
                       " rarest words of a long query; left out as too common:";
    for (const auto& w : parsed.dropped_words) note += " " + w;
    return note;
}

// Whether a database path names a remote shard anywhere: a stub file (or a directory's XAPIANDB
// stub) with a "remote" line, or an "auto" line leading to one.
bool names_remote(const std::filesystem::path& path, int depth = 0) {
    std::error_code ec;
    std::filesystem::path stub = path;
    if (std::filesystem::is_directory(path, ec)) stub = path / "XAPIANDB";
    if (depth > 8 || !std::filesystem::is_regular_file(stub, ec)) return false;
    std::ifstream in(stub);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind;
        std::string target;
        words >> kind >> target;
        if (kind == "remote") return true;
        if (kind == "auto" && !target.empty()) {
            std::filesystem::path next(target);
            if (next.is_relative()) next = stub.parent_path() / next;
            if (names_remote(next, depth + 1)) return true;
        }
    }
    return false;
}

// The stored facet columns of one local database (facet_columns.hpp), read once per slot and
// revision; a missing or stale column is remembered too, so that it is not read again.
class FacetColumnCache {
public:
    const analysis::FacetColumn* get(const Xapian::Database& db, Xapian::valueno slot) {
        Xapian::rev revision = 0;
        try {
            revision = db.get_revision();
        } catch (const Xapian::Error&) {
            return nullptr;
        }
        auto it = columns_.find(slot);
        if (it == columns_.end() || it->second.first != revision) {
            it = columns_.insert_or_assign(slot, std::pair(revision, analysis::load_facet_column(
                                                                         db, slot)))
                     .first;
        }
        return it->second.second ? &*it->second.second : nullptr;
    }

private:
    std::map<Xapian::valueno, std::pair<Xapian::rev, std::optional<analysis::FacetColumn>>>
        columns_;
};

}  // namespace

struct Searcher::Impl {
    Xapian::Database db;
    std::unique_ptr<analysis::AnalyzerRegistry> registry;
    std::unique_ptr<analysis::DatabaseSynonyms> synonyms;
    std::string path;
    // One local database: not a shard set (whose matches hand spies each shard's own document
    // ids) nor a remote shard (whose matches run in xapian-tcpsrv): facet columns may apply.
    bool columns_apply = false;
    FacetColumnCache columns;
};

Searcher::Searcher(const std::filesystem::path& db_path) : impl_(std::make_unique<Impl>()) {
    impl_->path = db_path.string();
    analysis::AnalysisResources resources;
    // Opening while a writer commits can meet a discarded revision: open again.
    for (int attempt = 1;; ++attempt) {
        try {
            impl_->db = analysis::open_for_search(db_path);
            resources = analysis::load_analysis_resources(impl_->db);
            impl_->synonyms = std::make_unique<analysis::DatabaseSynonyms>(impl_->db);
            impl_->columns_apply = impl_->db.size() == 1 && !names_remote(db_path);
            break;
        } catch (const SchemaMismatchError&) {
            throw;
        } catch (const IndexError&) {
            if (attempt >= kMaxReopens || !std::filesystem::exists(db_path)) throw;
        }
    }
    impl_->registry = resources.stopwords.empty()
                          ? std::make_unique<analysis::AnalyzerRegistry>()
                          : std::make_unique<analysis::AnalyzerRegistry>(resources);
}

Searcher::~Searcher() = default;

const analysis::AnalyzerRegistry& Searcher::registry() const { return *impl_->registry; }
Xapian::Database& Searcher::database() { return impl_->db; }
std::uint64_t Searcher::doc_count() const { return impl_->db.get_doccount(); }

bool Searcher::reopen() {
    try {
        return impl_->db.reopen();
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, impl_->path);
    }
}

void Searcher::count_facets(const ParsedQuery& parsed, const std::vector<std::string>& names,
                            SearchResponse& resp) {
    std::vector<const analysis::FacetSpec*> facet_specs;
    for (const auto& name : names) {
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
    if (facet_specs.empty()) return;
    try {
        const Xapian::doccount all = impl_->db.get_doccount();
        // Facets are counted in passes of their own that rank nothing and return no documents:
        // one for the facets whose filter is not in the query, and one per facet that has a
        // filter, on the query without that filter (disjunctive counts). Spies on the main,
        // ranked match over-count on Xapian's remote backend when documents are returned.
        std::vector<std::vector<FacetValue>> counted(facet_specs.size());
        auto count_pass = [&](const Xapian::Query& q, const std::vector<std::size_t>& which) {
            Xapian::Enquire e(impl_->db);
            e.set_query(q);
            e.set_weighting_scheme(Xapian::BoolWeight());
            // Each facet from its stored column where one is current, else from its value slot
            // with Xapian's ValueCountMatchSpy (the same counts, a value lookup per match).
            std::vector<std::unique_ptr<analysis::ColumnCounter>> from_columns(which.size());
            std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies(which.size());
            for (std::size_t k = 0; k < which.size(); ++k) {
                const Xapian::valueno slot = facet_specs[which[k]]->slot;
                const analysis::FacetColumn* column =
                    impl_->columns_apply ? impl_->columns.get(impl_->db, slot) : nullptr;
                if (column != nullptr) {
                    from_columns[k] = std::make_unique<analysis::ColumnCounter>(*column);
                    e.add_matchspy(from_columns[k].get());
                } else {
                    spies[k] = std::make_unique<Xapian::ValueCountMatchSpy>(slot);
                    e.add_matchspy(spies[k].get());
                }
            }
            const Xapian::MSet m = e.get_mset(0, 0, all);
            for (std::size_t k = 0; k < which.size(); ++k) {
                counted[which[k]] = from_columns[k] ? split_counts(from_columns[k]->counts())
                                                    : split_counts(*spies[k]);
            }
            return m.get_matches_estimated();
        };
        std::vector<std::size_t> unfiltered;
        for (std::size_t i = 0; i < facet_specs.size(); ++i) {
            const std::string name(facet_specs[i]->name);
            const bool filtered =
                std::any_of(parsed.facet_filters.begin(), parsed.facet_filters.end(),
                            [&](const auto& f) { return f.first == name; });
            if (filtered) {
                (void)count_pass(parsed.without_facet(name), {i});
            } else {
                unfiltered.push_back(i);
            }
        }
        if (!unfiltered.empty()) {
            resp.total = count_pass(parsed.query, unfiltered);  // every match was visited: exact
            resp.total_exact = true;
        }
        for (std::size_t i = 0; i < facet_specs.size(); ++i) {
            resp.facets.emplace_back(std::string(facet_specs[i]->name), std::move(counted[i]));
        }
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, "counting facets");
    }
}

SearchResponse Searcher::search(const SearchRequest& req) {
    return retrying([&] { return search_once(req); });
}

SearchResponse Searcher::search_once(const SearchRequest& req) {
    SearchResponse resp;
    resp.query = req.query;
    QueryParserOptions qpo;
    qpo.conjunctive = !req.any;
    qpo.synonyms = impl_->synonyms.get();
    qpo.max_words = kMaxOrWords;
    qpo.stats = &impl_->db;
    QueryParser parser(*impl_->registry, qpo);
    const ParsedQuery parsed = parser.parse(req.query);
    const SortSpec sort = parse_sort(req.sort);

    try {
        const std::string stamp = index_stamp(impl_->db);
        std::size_t offset = req.offset;
        if (req.cursor) offset = read_cursor(*req.cursor, stamp, req.query, req.sort);
        const Xapian::doccount all = impl_->db.get_doccount();

        Xapian::Enquire enquire(impl_->db);
        enquire.set_query(parsed.query);
        enquire.set_weighting_scheme(bm25_weighting());
        // A pathological query ranks what it found in this time instead of hanging (the parser
        // already bounds nesting and length; this bounds the match itself).
        enquire.set_time_limit(kMatchTimeLimitSeconds);
        // Ties are broken by NCT id, not by document id, so the order is the same on one
        // database, a shard set and remote shards (their document ids differ). Only value sorts:
        // the remote backend cannot use a KeyMaker (see NumericSpec::sort_base).
        if (sort.spec != nullptr) {
            const Xapian::valueno base = sort.spec->sort_base;
            if (parsed.has_text) {
                const Xapian::valueno slot =
                    sort.descending ? static_cast<Xapian::valueno>(sort.spec->slot) : base;
                enquire.set_sort_by_value_then_relevance(slot, sort.descending);
            } else {
                enquire.set_sort_by_value(sort.descending ? base + 2 : base + 1,
                                          sort.descending);
            }
        } else if (parsed.has_text) {
            enquire.set_sort_by_relevance_then_value(analysis::kNctIdSlot, false);
        } else {
            enquire.set_sort_by_value(analysis::kNctIdSlot, false);
        }

        const Xapian::MSet mset =
            enquire.get_mset(static_cast<Xapian::doccount>(offset),
                             static_cast<Xapian::doccount>(req.limit), req.exact_total ? all : 0);
        resp.total = mset.get_matches_estimated();
        resp.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();

        count_facets(parsed, req.facets, resp);
        if (!parsed.dropped_words.empty()) resp.notes.push_back(dropped_note(parsed));

        const auto snippet_terms = detail::query_terms(parsed.query, impl_->synonyms.get());
        const auto& analyzer = impl_->registry->get("prose");
        std::size_t rank = offset;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Hit h;
            h.rank = ++rank;
            h.score = it.get_weight();
            const Xapian::Document doc = it.get_document();
            if (!req.records) {  // the id alone: no record read, inflated or parsed
                h.data = nlohmann::json::object();
                h.nct_id = doc.get_value(analysis::kNctIdSlot);
            } else {
                h.data = nlohmann::json::parse(doc.get_data(), nullptr, false);
                if (h.data.is_discarded()) h.data = nlohmann::json::object();
                h.nct_id = h.data.value("nct_id", std::string());
            }
            if (req.records && req.snippets) {
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
        if (req.suggest) detail::suggest_spelling(*this, req, parsed, resp);
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, impl_->path);
    }
    return resp;
}

}  // namespace trials::search
