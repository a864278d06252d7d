// Searching an index: ranked results, filters, exact disjunctive facet counts, sorting, paging
// with cursors, and highlighted snippets. Works the same on one database, a shard set and remote
// shards (a stub file), since it only uses what Xapian can do remotely.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trials/analysis/registry.hpp"
#include "trials/search/query_parser.hpp"
#include "trials/error.hpp"

namespace trials::search {

struct SearchRequest {
    std::string query;                 // the query language (query_parser.hpp)
    bool any = false;                  // bare words ORed instead of ANDed
    std::size_t offset = 0;
    std::size_t limit = 10;
    std::string sort = "relevance";    // relevance|start|completion|updated|enrollment[:asc|:desc]
    std::optional<std::string> cursor; // from a previous response's next_cursor
    std::vector<std::string> facets;   // facet names to count ("all" for every facet)
    bool exact_total = false;
    bool snippets = true;
    std::size_t snippet_length = 240;  // characters
    bool suggest = true;               // spelling suggestion when a word is in no trial
    bool records = true;               // false: hits carry only rank, NCT id and score (no
                                       // stored record is read; snippets need records)
};

struct FacetValue {
    std::string value;
    std::uint64_t count;
};

struct Hit {
    std::size_t rank;                  // 1-based position in the whole result list
    std::string nct_id;
    double score;
    nlohmann::json data;               // stored document data (an empty object without records)
    std::string snippet;               // with highlight markers \x01 ... \x02 around matches
    std::string snippet_field;         // the stored field the snippet comes from
    std::vector<std::string> why;      // similar trials: the shared features that made it similar
};

// "Did you mean": the query with its unknown words corrected, and what it finds (never 0).
struct SpellingSuggestion {
    std::string query;
    std::uint64_t total = 0;
    std::vector<std::pair<std::string, std::string>> corrections;  // word as typed -> correction
};

struct SearchResponse {
    std::string query;
    std::uint64_t total = 0;           // exact when total_exact, else Xapian's estimate
    bool total_exact = false;
    std::vector<Hit> hits;
    std::vector<std::pair<std::string, std::vector<FacetValue>>> facets;
    std::optional<std::string> next_cursor;
    std::optional<SpellingSuggestion> suggestion;
    std::vector<std::string> notes;    // what could not be done, e.g. spelling over remote shards
};

class Searcher {
public:
    // Opens the database (directory, shard set or stub file). Throws trials::IndexError.
    explicit Searcher(const std::filesystem::path& db_path);
    ~Searcher();
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    // Throws trials::QueryError on a bad query, trials::IndexError on database errors.
    [[nodiscard]] SearchResponse search(const SearchRequest& request);

    // Exact, disjunctive counts of the named facets ("all" for every facet) over the matches of
    // a parsed query (each facet's own filter left out); fills resp.facets and, when a pass
    // visited every match, the exact resp.total. Throws trials::QueryError on an unknown facet.
    void count_facets(const ParsedQuery& parsed, const std::vector<std::string>& names,
                      SearchResponse& resp);
    [[nodiscard]] const analysis::AnalyzerRegistry& registry() const;
    [[nodiscard]] Xapian::Database& database();
    [[nodiscard]] std::uint64_t doc_count() const;

    // Moves to the latest committed state of the index; true when it changed.
    bool reopen();

    // Runs read(), a read of this database (search() does this itself; wrap other readers,
    // e.g. SimilarFinder::find, with it). When it fails because a writer committed meanwhile
    // (Xapian's DatabaseModifiedError, also once translated to IndexError), reopens on the latest
    // commit and runs it again, so every result comes from one committed state.
    template <class Read>
    auto retrying(Read&& read) -> decltype(read()) {
        for (int attempt = 1;; ++attempt) {
            try {
                return read();
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt >= kMaxReopens) throw;
                reopen();
            } catch (const IndexError&) {
                if (attempt >= kMaxReopens || !reopen()) throw;
            }
        }
    }

private:
    static constexpr int kMaxReopens = 20;
    SearchResponse search_once(const SearchRequest& request);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace trials::search
