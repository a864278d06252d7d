// Relevance evaluation in the manner of trec_eval: topics (TREC XML or JSONL), graded judgments
// (qrels), run files, and nDCG@10, P@10 and MRR per topic and on average.
//
// Grades follow the TREC Clinical Trials track: 0 not relevant, 1 excluded, 2 eligible. nDCG uses
// the grade as gain (as trec_eval's ndcg_cut does); P@10 and MRR count grade >= 2 as relevant.
// Condensed lists (Sakai): unjudged trials are dropped from the ranking before scoring, the honest
// measure when the corpus holds only part of the judged collection.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "trials/search/patient.hpp"

namespace trials::search::eval {

struct Topic {
    std::string id;    // as the file writes it ("1", "trec-20211", "sigir-20141")
    std::string text;  // the patient description
};

// Reads `<topics><topic number="N">text</topic>...` (TREC CT 2021/2022 XML) or JSONL lines
// `{"_id": ..., "text": ...}`. Throws trials::Error naming the file (and line) on bad input.
[[nodiscard]] std::vector<Topic> read_topics(const std::filesystem::path& path);

// topic -> (NCT id -> grade)
using Qrels = std::map<std::string, std::map<std::string, int>>;

// Reads `topic 0 doc grade` (trec_eval), `topic doc grade` (TSV, an optional header line is
// skipped). Throws trials::Error naming the file and line on a malformed line.
[[nodiscard]] Qrels read_qrels(const std::filesystem::path& path);

// The qrels key a topic's judgments are under: the topic id itself, or the one qrels id that is
// a set name and year followed by it ("7" -> "trec-20217"). Empty when there is none.
[[nodiscard]] std::string qrels_key(const Qrels& qrels, const std::string& topic_id);

struct RankedDoc {
    std::string nct_id;
    double score = 0;
};
// topic -> ranking, best first
using Run = std::map<std::string, std::vector<RankedDoc>>;

// Reads a TREC run file `topic Q0 doc rank score tag` (ranked by rank). Throws trials::Error.
[[nodiscard]] Run read_run(const std::filesystem::path& path);
void write_run(std::ostream& out, const std::string& topic, const std::vector<RankedDoc>& docs,
               const std::string& tag);

struct TopicScores {
    std::string topic;
    double ndcg10 = 0;
    double p10 = 0;
    double mrr = 0;
    std::size_t judged = 0;     // judged trials (in the corpus, when known)
    std::size_t relevant = 0;   // grade >= 1
    std::size_t eligible = 0;   // grade 2
    std::size_t retrieved = 0;  // ranked trials scored (after condensing)
};

// Scores one ranking against one topic's judgments. condensed: unjudged trials are removed
// first. The ideal ranking is over `judgments` (pass only the judged trials the corpus holds).
[[nodiscard]] TopicScores score_topic(const std::vector<RankedDoc>& ranking,
                                      const std::map<std::string, int>& judgments,
                                      bool condensed);

struct Summary {
    std::vector<TopicScores> topics;  // every evaluated topic
    std::size_t averaged = 0;         // topics with at least one relevant judged trial
    double ndcg10 = 0, p10 = 0, mrr = 0;  // means over those topics
};
// Means over the topics with a relevant (grade >= 1) judged trial: a topic with none has no
// ideal ranking (trec_eval would count it as 0).
[[nodiscard]] Summary summarize(std::vector<TopicScores> topics);

// Two systems compared topic by topic on one measure (system A minus system B), as IR papers
// test a difference: a paired randomization test (Fisher; every topic's difference has its sign
// flipped at random, `rounds` times; two-sided, p = (hits + 1) / (rounds + 1)) and a percentile
// bootstrap 95% interval of the mean difference (topics resampled with replacement). Seeded, so
// a comparison prints the same figures on every run and machine.
struct Comparison {
    std::string measure;  // ndcg_cut_10, P_10, recip_rank
    std::size_t topics = 0;  // topics both systems were averaged over
    double mean_a = 0, mean_b = 0, diff = 0;
    double ci_low = 0, ci_high = 0;  // bootstrap 95% interval of diff
    double p = 1;                    // two-sided
    std::size_t better = 0, worse = 0;  // topics where A scores above / below B
};
// Compares the topics both summaries averaged (a relevant judged trial). Throws
// trials::BadInputError when they share none.
[[nodiscard]] std::vector<Comparison> compare(const Summary& a, const Summary& b,
                                              unsigned rounds = 10000);
// `compare<TAB>name<TAB>measure<TAB>...` lines, one per measure.
void print_comparison(std::ostream& out, const std::string& name,
                      const std::vector<Comparison>& c);

struct EvalOptions {
    bool condensed = false;    // rank only the judged trials the database holds
    std::size_t depth = 1000;  // trials ranked per topic otherwise
    std::string tag = "trialsearch";
};

// Runs every topic that has judgments through patient search and scores it; writes the ranking
// of each topic to `run` when not null. Judgments on trials absent from the database are left
// out of the ideal ranking in condensed mode. Throws trials::Error.
[[nodiscard]] Summary evaluate(Searcher& searcher, const PatientSearch& patient,
                               const std::vector<Topic>& topics, const Qrels& qrels,
                               const EvalOptions& options, std::ostream* run);

// Scores an existing run (e.g. a baseline's). With a database, judgments on trials it does not
// hold are left out (as in evaluate's condensed mode).
[[nodiscard]] Summary evaluate_run(const Run& run, const Qrels& qrels, bool condensed,
                                   Searcher* searcher);

// trials-search eval: the options of the command line and what it runs.
struct EvalCommand {
    std::string db, topics, qrels;
    std::string run_out;    // --run FILE: write the rankings
    std::string score_run;  // --score-run FILE: score this run instead of searching
    std::vector<std::string> compare;  // --compare FILE: test the difference with these runs
    std::string tag = "trialsearch";
    std::string mode = "patient";  // patient | keywords (the note's words, ORed, catch-all only)
    std::vector<std::string> without;  // fields, mesh, age-sex, exclusion, feedback
    std::vector<std::string> params;   // NAME=VALUE settings of PatientOptions
    bool condensed = false;
    bool per_topic = false;
    bool json = false;
};
// Prints the measures to out; returns the exit code (0). Throws trials::Error.
int run_eval(const EvalCommand& cmd, std::ostream& out);

// trec_eval-like lines: `measure<TAB>topic<TAB>value`, per topic (when per_topic) then "all".
void print_summary(std::ostream& out, const Summary& s, bool per_topic);

}  // namespace trials::search::eval
