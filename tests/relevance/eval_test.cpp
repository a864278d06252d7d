// trec_eval-style measures, topic/qrels/run readers (trials/search/eval.hpp).
#include "trials/search/eval.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "../integration/test_support.hpp"
#include "trials/error.hpp"

namespace trials::search::eval {
namespace {

using trials::testing::TempDir;
using trials::testing::write_file;

std::vector<RankedDoc> ranked(std::initializer_list<const char*> ids) {
    std::vector<RankedDoc> out;
    double s = 100;
    for (const char* id : ids) out.push_back({id, s--});
    return out;
}

// fn must throw a trials::Error whose message contains `what`.
template <typename Fn>
void expect_error(Fn fn, const std::string& what) {
    try {
        fn();
        ADD_FAILURE() << "no error; expected one saying " << what;
    } catch (const trials::Error& e) {
        EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
}

TEST(Eval, NdcgP10MrrByHand) {
    const std::map<std::string, int> j{{"A", 2}, {"B", 1}, {"C", 0}, {"D", 2}};
    // Ranking C A B D: gains 0 2 1 2; ideal 2 2 1 0.
    const auto s = score_topic(ranked({"C", "A", "B", "D"}), j, false);
    const double dcg = 2 / std::log2(3.0) + 1 / std::log2(4.0) + 2 / std::log2(5.0);
    const double idcg = 2 + 2 / std::log2(3.0) + 1 / std::log2(4.0);
    EXPECT_NEAR(s.ndcg10, dcg / idcg, 1e-12);
    EXPECT_DOUBLE_EQ(s.p10, 0.2);   // A and D are grade 2
    EXPECT_DOUBLE_EQ(s.mrr, 0.5);   // first grade-2 trial at rank 2
    EXPECT_EQ(s.relevant, 3U);
    EXPECT_EQ(s.eligible, 2U);
    // The ideal ranking scores 1.
    EXPECT_DOUBLE_EQ(score_topic(ranked({"A", "D", "B", "C"}), j, false).ndcg10, 1.0);
}

TEST(Eval, CondensedDropsUnjudged) {
    const std::map<std::string, int> j{{"A", 2}, {"B", 0}};
    const auto full = score_topic(ranked({"X", "Y", "A", "B"}), j, false);
    const auto condensed = score_topic(ranked({"X", "Y", "A", "B"}), j, true);
    EXPECT_DOUBLE_EQ(condensed.ndcg10, 1.0);
    EXPECT_DOUBLE_EQ(condensed.mrr, 1.0);
    EXPECT_NEAR(full.ndcg10, 2 / std::log2(4.0) / 2, 1e-12);
    EXPECT_NEAR(full.mrr, 1.0 / 3, 1e-12);
    EXPECT_EQ(condensed.retrieved, 2U);
}

TEST(Eval, SummaryAveragesTopicsWithRelevantTrials) {
    TopicScores a, b, c;
    a.ndcg10 = 1.0, a.relevant = 1, a.mrr = 1;
    b.ndcg10 = 0.5, b.relevant = 2, b.mrr = 0.5;
    c.ndcg10 = 0.0, c.relevant = 0;  // nothing relevant: no ideal ranking, not averaged
    const auto s = summarize({a, b, c});
    EXPECT_EQ(s.averaged, 2U);
    EXPECT_DOUBLE_EQ(s.ndcg10, 0.75);
    EXPECT_DOUBLE_EQ(s.mrr, 0.75);
    std::ostringstream out;
    print_summary(out, s, false);
    EXPECT_NE(out.str().find("ndcg_cut_10\tall\t0.7500\n"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("num_q\tall\t2\n"), std::string::npos);
}

TEST(Eval, ReadsXmlAndJsonlTopics) {
    const TempDir dir;
    write_file(dir / "t.xml",
               "<topics task=\"x\">\n<topic number=\"1\">\nA 58-year-old woman.\n</topic>\n"
               "<topic number=\"12\">Boy, 6-month-old.</topic></topics>\n");
    const auto xml = read_topics(dir / "t.xml");
    ASSERT_EQ(xml.size(), 2U);
    EXPECT_EQ(xml[0].id, "1");
    EXPECT_EQ(xml[0].text, "A 58-year-old woman.");
    EXPECT_EQ(xml[1].id, "12");
    write_file(dir / "t.jsonl",
               "{\"_id\": \"trec-20211\", \"text\": \"note one\"}\n\n{\"_id\": \"x\", \"text\": "
               "\"two\"}\n");
    const auto jl = read_topics(dir / "t.jsonl");
    ASSERT_EQ(jl.size(), 2U);
    EXPECT_EQ(jl[0].id, "trec-20211");
    EXPECT_EQ(jl[1].text, "two");
    write_file(dir / "bad.jsonl", "{\"_id\": \"a\", \"text\": \"ok\"}\n{\"_id\": 3}\n");
    expect_error([&] { (void)read_topics(dir / "bad.jsonl"); }, "bad.jsonl:2");
}

TEST(Eval, ReadsQrelsFormsAndMatchesTopicIds) {
    const TempDir dir;
    write_file(dir / "a.tsv", "query-id\tcorpus-id\tscore\ntrec-20217\tNCT1\t2\ntrec-202117\tNCT2\t1\n");
    write_file(dir / "b.txt", "7 0 NCT1 2\n7 0 NCT3 0\n");
    const auto a = read_qrels(dir / "a.tsv");
    const auto b = read_qrels(dir / "b.txt");
    EXPECT_EQ(a.at("trec-20217").at("NCT1"), 2);
    EXPECT_EQ(b.at("7").at("NCT3"), 0);
    EXPECT_EQ(qrels_key(a, "7"), "trec-20217");   // not trec-202117
    EXPECT_EQ(qrels_key(a, "17"), "trec-202117");
    EXPECT_EQ(qrels_key(a, "8"), "");
    EXPECT_EQ(qrels_key(b, "7"), "7");
    write_file(dir / "c.tsv", "t d 1\nt d x\n");
    expect_error([&] { (void)read_qrels(dir / "c.tsv"); }, "c.tsv:2: grade 'x'");
}

TEST(Eval, RunFileRoundTrip) {
    const TempDir dir;
    {
        std::ofstream out(dir / "r.run");
        write_run(out, "t1", ranked({"B", "A"}), "tag");
    }
    const eval::Run run = read_run(dir / "r.run");
    ASSERT_EQ(run.at("t1").size(), 2U);
    EXPECT_EQ(run.at("t1")[0].nct_id, "B");
    EXPECT_EQ(run.at("t1")[1].nct_id, "A");
    Qrels q;
    q["t1"] = {{"A", 2}, {"B", 0}};
    const auto s = evaluate_run(run, q, true, nullptr);
    EXPECT_DOUBLE_EQ(s.mrr, 0.5);
}

}  // namespace
}  // namespace trials::search::eval
