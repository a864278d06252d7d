// Any byte string as a query: results, or a trials::QueryError (one line) — never a crash, another
// exception type or a hang. In process for thousands of generated strings (random bytes, mutated
// query-language fragments, pathological nesting and sizes), and through trials-search for the
// nasty ones: exit 0 or 1 with results, or exit 2 with exactly one line on stderr.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "reliability_support.hpp"

namespace trials::reliability {
namespace {

class QueryBytes : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const Finished r = run_program(
            "trials-index",
            {"--db", db().string(), "-q", (fs::path(TRIALS_SAMPLE_DATA) / "sample").string()},
            dir_->path());
        ASSERT_EQ(r.code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static fs::path db() { return dir_->path() / "db"; }
    static TempDir* dir_;
};
TempDir* QueryBytes::dir_ = nullptr;

// Pathological queries: deep nesting, huge disjunctions, long words, NULs, broken syntax.
std::vector<std::string> nasty_queries() {
    std::vector<std::string> q = {
        "", " ", "\"", "\"\"", "(", ")", "((((", "))))", "()", "-", "--", "NOT", "AND", "OR",
        "a AND", "OR b", "NOT NOT NOT", "title:", "title:(", ":", "::::", "status:", "status:,",
        "status:,,,", "phase:0", "phase:99999999999999999999", "start:..", "start:2020..2019",
        "start:9999999999..", "start:-5..", "enrollment:..-1",
        "enrollment:99999999999999999999999..", "age:", "age:99999999999y", "age:-1m",
        "AREA[", "AREA[]", "AREA[Nope]x", "AREA[MinimumAge]RANGE[", "AREA[MinimumAge]RANGE[,]",
        "AREA[MinimumAge]RANGE[MAX, MIN]", "AREA[Phase]MISSING MISSING", "EXPANSION[",
        "EXPANSION[None]", "EXPANSION[Bogus]x", "id:", "id:NCT", "country:\"", "\\", "\\\\\"",
        std::string("covid\0asthma", 12), std::string(1, '\0'), "\xff\xfe\xfd", "caf\xc3",
        "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "covid \xe2\x80\x8b 19", "\u00a0\u2028",
        // Found by fuzz_query_parser: a newline quoted in the message broke the one-line error.
        "AREA[MinimumAg\nRANGE[MIN, 16 years]", "nofield\n:covid", "AREA[\x01\r\n]x",
    };
    q.push_back(std::string(100000, '('));
    q.push_back(std::string(100000, '(') + "covid" + std::string(100000, ')'));
    q.push_back(std::string(100000, '"'));
    q.push_back(std::string(50000, '-') + "covid");
    std::string nots;
    for (int i = 0; i < 50000; ++i) nots += "NOT ";
    q.push_back(nots + "covid");
    std::string ors;
    for (int i = 0; i < 20000; ++i) ors += "w" + std::to_string(i) + " OR ";
    q.push_back(ors + "covid");
    std::string ors_within_limit;  // 500 alternatives: under the parser's 1024-token limit
    for (int i = 0; i < 500; ++i) ors_within_limit += "w" + std::to_string(i) + " OR ";
    q.push_back(ors_within_limit + "covid");
    std::string fields;
    for (int i = 0; i < 20000; ++i) fields += "title:(";
    q.push_back(fields);
    std::string areas;
    for (int i = 0; i < 10000; ++i) areas += "AREA[Condition]";
    q.push_back(areas + "covid");
    q.push_back(std::string(1 << 20, 'x'));                  // a 1 MB word
    q.push_back("\"" + std::string(1 << 20, 'y') + " z\"");  // in a phrase
    std::string many_words;
    for (int i = 0; i < 100000; ++i) many_words += "covid ";
    q.push_back(many_words);
    std::string filters;
    for (int i = 0; i < 5000; ++i) filters += "status:recruiting,completed phase:2 ";
    q.push_back(filters);
    return q;
}

// Random strings over the query language's alphabet and over all bytes.
std::vector<std::string> random_queries(std::size_t n) {
    static const std::vector<std::string> pieces = {
        "covid", "asthma", "tocilizumab", " ", " ", "(", ")", "\"", "-", "AND", "OR", "NOT",
        "title:", "condition:", "status:", "recruiting", ",", "phase:", "2", "..", "start:",
        "2020", "age:", "6m", "AREA[", "]", "RANGE[", "MIN", "MAX", "MISSING", "EXPANSION[",
        "None", "id:", "NCT09900001", ":", "\\", "\xc3\xa9", "\xff", "\x00", "*", "?", "+", "~"};
    std::mt19937 rng(9);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) {
        std::string s;
        const std::size_t len = rng() % 24;
        if (i % 3 == 0) {
            for (std::size_t j = 0; j < len * 4; ++j) s += static_cast<char>(rng() & 0xff);
        } else {
            for (std::size_t j = 0; j < len; ++j) s += pieces[rng() % pieces.size()];
        }
        out.push_back(std::move(s));
    }
    return out;
}

TEST_F(QueryBytes, EveryStringGivesResultsOrAQueryError) {
    search::Searcher searcher(db());
    std::size_t answered = 0, refused = 0;
    std::vector<std::string> queries = nasty_queries();
    const auto generated = random_queries(3000);
    queries.insert(queries.end(), generated.begin(), generated.end());
    for (const auto& q : queries) {
        for (const bool any : {false, true}) {
            search::SearchRequest r;
            r.query = q;
            r.any = any;
            r.facets = {"status"};
            try {
                const auto resp = searcher.search(r);
                EXPECT_LE(resp.hits.size(), 10u);
                ++answered;
            } catch (const QueryError& e) {
                const std::string msg = e.what();
                EXPECT_FALSE(msg.empty());
                EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
                ++refused;
            } catch (const std::exception& e) {
                ADD_FAILURE() << "query of " << q.size() << " bytes: " << e.what();
            }
        }
    }
    EXPECT_GT(answered, 1000u);
    EXPECT_GT(refused, 100u);
    std::cout << "[ figures  ] queries tried: " << answered + refused << " (" << answered
              << " answered, " << refused << " refused with a QueryError)\n";
}

TEST_F(QueryBytes, CommandLineAnswersOrGivesOneLineAndExit2) {
    std::size_t runs = 0;
    for (const auto& q : nasty_queries()) {
        // NULs and arguments above 128 KB (MAX_ARG_STRLEN) cannot be passed to a program.
        if (q.find('\0') != std::string::npos || q.size() > 100000) continue;
        ++runs;
        const Finished r = run_program("trials-search", {"--db", db().string(), "--", q},
                                       dir_->path());
        EXPECT_EQ(r.signal, 0) << q.substr(0, 60);
        EXPECT_TRUE(r.code == 0 || r.code == 1 || r.code == 2) << r.code;
        if (r.code == 2) {
            EXPECT_EQ(lines_of(r.err).size(), 1u) << q.substr(0, 60) << ": " << r.err;
            EXPECT_THAT(r.err, ::testing::StartsWith("trials-search: "));
        } else {
            EXPECT_EQ(r.err, "") << q.substr(0, 60);
        }
    }
    std::cout << "[ figures  ] queries through trials-search: " << runs << "\n";
}

}  // namespace
}  // namespace trials::reliability
