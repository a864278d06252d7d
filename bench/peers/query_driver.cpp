// trials-bench-query: runs a query file against our index (trials::search, in process) or a
// plain Xapian database built by scriptindex, on 1..N client threads, and prints one line per
// executed query (kind, milliseconds, hits) and one wall-clock line per kind, for bench/run.
//
// Query file, tab-separated, one query per line: KIND MODE TEXT [FILTER]
//   ours:   MODE all|any|facet|similar|patient; TEXT is our query language (facet: counts
//           status and phase; similar: TEXT is an NCT id; patient: TEXT is a patient note,
//           searched as trials-search --patient does)
//   xapian: MODE and|or|facet; TEXT goes to Xapian::QueryParser with the scriptindex prefixes
//           (title: S, condition: XC, intervention: XI, outcome: XO, summary: XSU,
//           description: XD, eligibility: XE); FILTER is a boolean term (XS:RECRUITING);
//           facet counts values 0 (status) and 1 (phase) over every match
// Every engine is asked for the NCT ids of the 10 best hits (ours without reading the stored
// records, as trials-search --ids; patient mode and similar trials read the records they rank by).
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "trials/search/patient.hpp"
#include "trials/search/searcher.hpp"
#include "trials/search/similar.hpp"

namespace {

struct Query {
    std::string kind, mode, text, filter;
};

struct Timing {
    std::string kind;
    double ms;
    std::size_t hits;
};

std::vector<Query> read_queries(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<Query> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::size_t pos = 0;
        while (true) {
            const std::size_t tab = line.find('\t', pos);
            cols.push_back(line.substr(pos, tab - pos));
            if (tab == std::string::npos) break;
            pos = tab + 1;
        }
        if (cols.size() < 3) throw std::runtime_error(path + ": need KIND MODE TEXT: " + line);
        out.push_back({cols[0], cols[1], cols[2], cols.size() > 3 ? cols[3] : ""});
    }
    return out;
}

class OursEngine {
public:
    explicit OursEngine(const std::string& db) : searcher_(db) {}
    std::size_t run(const Query& q) {
        if (q.mode == "similar") {
            trials::search::SimilarRequest r;
            r.nct_id = q.text;
            r.limit = 10;
            return trials::search::SimilarFinder(searcher_).find(r).hits.size();
        }
        if (q.mode == "patient") {
            trials::search::PatientRequest r;
            r.text = q.text;
            r.limit = 10;
            r.snippets = false;
            return trials::search::PatientSearch(searcher_, {}).search(r).hits.size();
        }
        trials::search::SearchRequest r;
        r.query = q.text;
        r.any = q.mode == "any";
        r.limit = 10;
        r.snippets = false;
        r.suggest = false;
        r.records = false;  // the ids, as every peer is asked for
        if (q.mode == "facet") r.facets = {"status", "phase"};
        return searcher_.search(r).hits.size();
    }

private:
    trials::search::Searcher searcher_;
};

class XapianEngine {
public:
    explicit XapianEngine(const std::string& db) : db_(db) {
        qp_.set_database(db_);
        qp_.set_stemmer(Xapian::Stem("english"));
        qp_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        for (auto [name, prefix] : {std::pair{"title", "S"}, {"condition", "XC"},
                                    {"intervention", "XI"}, {"outcome", "XO"},
                                    {"summary", "XSU"}, {"description", "XD"},
                                    {"eligibility", "XE"}}) {
            qp_.add_prefix(name, prefix);
        }
    }
    std::size_t run(const Query& q) {
        qp_.set_default_op(q.mode == "or" ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
        Xapian::Query query = qp_.parse_query(q.text, Xapian::QueryParser::FLAG_DEFAULT);
        if (!q.filter.empty()) {
            query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(q.filter));
        }
        Xapian::Enquire enquire(db_);
        enquire.set_query(query);
        Xapian::ValueCountMatchSpy status(0), phase(1);
        Xapian::doccount check = 0;
        if (q.mode == "facet") {
            enquire.add_matchspy(&status);
            enquire.add_matchspy(&phase);
            check = db_.get_doccount();
        }
        Xapian::MSet mset = enquire.get_mset(0, 10, check);
        std::size_t hits = 0;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            hits += it.get_document().get_data().empty() ? 0 : 1;
        }
        return hits;
    }

private:
    Xapian::Database db_;
    Xapian::QueryParser qp_;
};

template <class Engine>
void run_thread(const std::string& db, const std::vector<const Query*>& queries, std::size_t start,
                int repeat, std::vector<Timing>& out) {
    Engine engine(db);
    for (int r = 0; r < repeat; ++r) {
        for (std::size_t i = 0; i < queries.size(); ++i) {
            const Query& q = *queries[(start + i) % queries.size()];
            const auto t0 = std::chrono::steady_clock::now();
            const std::size_t hits = engine.run(q);
            const auto t1 = std::chrono::steady_clock::now();
            out.push_back({q.kind, std::chrono::duration<double, std::milli>(t1 - t0).count(), hits});
        }
    }
}

template <class Engine>
void run_all(const std::string& db, const std::vector<Query>& all, int threads, int repeat) {
    std::map<std::string, std::vector<const Query*>> by_kind;
    for (const Query& q : all) by_kind[q.kind].push_back(&q);
    {  // warm-up: one pass of every query (opens tables, fills the page cache)
        std::vector<Timing> ignored;
        std::vector<const Query*> every;
        for (const Query& q : all) every.push_back(&q);
        run_thread<Engine>(db, every, 0, 1, ignored);
    }
    for (const auto& [kind, queries] : by_kind) {
        std::vector<std::vector<Timing>> results(static_cast<std::size_t>(threads));
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&, t] {
                run_thread<Engine>(db, queries, queries.size() * static_cast<std::size_t>(t) /
                                                    static_cast<std::size_t>(threads),
                                   repeat, results[static_cast<std::size_t>(t)]);
            });
        }
        for (std::thread& th : pool) th.join();
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        for (const auto& list : results) {
            for (const Timing& t : list) std::printf("q\t%s\t%.4f\t%zu\n", t.kind.c_str(), t.ms, t.hits);
        }
        std::printf("wall\t%s\t%.6f\t%zu\n", kind.c_str(), wall,
                    queries.size() * static_cast<std::size_t>(threads * repeat));
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::cerr << "usage: trials-bench-query ours|xapian DB QUERIES THREADS REPEAT\n";
        return 2;
    }
    const std::string engine = argv[1], db = argv[2];
    try {
        const std::vector<Query> queries = read_queries(argv[3]);
        const int threads = std::max(1, std::stoi(argv[4]));
        const int repeat = std::max(1, std::stoi(argv[5]));
        if (engine == "ours") {
            run_all<OursEngine>(db, queries, threads, repeat);
        } else if (engine == "xapian") {
            run_all<XapianEngine>(db, queries, threads, repeat);
        } else {
            std::cerr << "trials-bench-query: unknown engine " << engine << '\n';
            return 2;
        }
    } catch (const Xapian::Error& e) {
        std::cerr << "trials-bench-query: " << e.get_description() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "trials-bench-query: " << e.what() << '\n';
        return 2;
    }
    return 0;
}
