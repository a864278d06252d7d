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

// Summaries whose topics t0, t1, ... score the given nDCG@10 (P@10 and MRR follow it).
Summary scored(const std::vector<double>& ndcg) {
    std::vector<TopicScores> topics;
    for (std::size_t i = 0; i < ndcg.size(); ++i) {
        TopicScores t;
        t.topic = "t" + std::to_string(i);
        t.relevant = 1;
        t.ndcg10 = t.p10 = t.mrr = ndcg[i];
        topics.push_back(t);
    }
    return summarize(std::move(topics));
}

TEST(EvalCompare, RandomizationTestAndBootstrapInterval) {
    // Ten topics, each 0.1 better: of the 2^10 sign patterns only the two uniform ones reach the
    // observed mean, so the exact two-sided p is 2/1024; every bootstrap mean is 0.1.
    const auto all_better = compare(scored(std::vector<double>(10, 0.6)),
                                    scored(std::vector<double>(10, 0.5)));
    ASSERT_EQ(all_better.size(), 3U);
    const Comparison& c = all_better[0];
    EXPECT_EQ(c.measure, "ndcg_cut_10");
    EXPECT_EQ(c.topics, 10U);
    EXPECT_NEAR(c.diff, 0.1, 1e-12);
    EXPECT_NEAR(c.mean_a, 0.6, 1e-12);
    EXPECT_NEAR(c.mean_b, 0.5, 1e-12);
    EXPECT_EQ(c.better, 10U);
    EXPECT_EQ(c.worse, 0U);
    EXPECT_GT(c.p, 0.0005);
    EXPECT_LT(c.p, 0.005);
    EXPECT_NEAR(c.ci_low, 0.1, 1e-12);
    EXPECT_NEAR(c.ci_high, 0.1, 1e-12);
    // Three topics, each 0.2 better: exact p 2/8.
    const auto three = compare(scored({0.9, 0.8, 0.7}), scored({0.7, 0.6, 0.5}))[0];
    EXPECT_NEAR(three.p, 0.25, 0.02);
    // One gain cancelled by three losses: no difference, p 1; the interval spans 0.
    const auto mixed = compare(scored({0.8, 0.4, 0.4, 0.4}), scored({0.5, 0.5, 0.5, 0.5}))[0];
    EXPECT_NEAR(mixed.diff, 0.0, 1e-12);
    EXPECT_DOUBLE_EQ(mixed.p, 1.0);
    EXPECT_EQ(mixed.better, 1U);
    EXPECT_EQ(mixed.worse, 3U);
    EXPECT_LT(mixed.ci_low, 0.0);
    EXPECT_GT(mixed.ci_high, 0.0);
    // Seeded: the same figures every time.
    const auto again = compare(scored({0.8, 0.4, 0.4, 0.4}), scored({0.5, 0.5, 0.5, 0.5}))[0];
    EXPECT_EQ(again.ci_low, mixed.ci_low);
    EXPECT_EQ(again.ci_high, mixed.ci_high);
    std::ostringstream out;
    print_comparison(out, "base.run", all_better);
    EXPECT_NE(out.str().find("compare\tbase.run\tndcg_cut_10\tdiff +0.1000\tci95 +0.1000 "
                             "+0.1000\tp 0.00"),
              std::string::npos)
        << out.str();
    EXPECT_NE(out.str().find("\tbetter 10\tworse 0\tof 10\n"), std::string::npos) << out.str();
}

TEST(EvalCompare, PairsTheTopicsBothAveraged) {
    auto a = scored({0.9, 0.5, 0.7});
    auto b = scored({0.4, 0.5});  // no t2: it is left out, not scored 0
    a.topics[1].relevant = 0;     // t1 has no relevant trial: not averaged, not compared
    const auto c = compare(a, b)[0];
    EXPECT_EQ(c.topics, 1U);
    EXPECT_NEAR(c.diff, 0.5, 1e-12);
    expect_error([&] { (void)compare(scored({0.5}), Summary{}); }, "share no topic");
}

}  // namespace
}  // namespace trials::search::eval
