// trials-search eval: topics through patient search (or a run file), scored against qrels.
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "trials/error.hpp"
#include "trials/search/eval.hpp"

namespace trials::search::eval {
namespace {

nlohmann::json summary_json(const Summary& s, bool per_topic) {
    nlohmann::json j{{"topics", s.averaged}, {"ndcg_cut_10", s.ndcg10}, {"P_10", s.p10},
                     {"recip_rank", s.mrr}};
    if (per_topic) {
        j["per_topic"] = nlohmann::json::array();
        for (const auto& t : s.topics) {
            j["per_topic"].push_back({{"topic", t.topic}, {"ndcg_cut_10", t.ndcg10},
                                      {"P_10", t.p10}, {"recip_rank", t.mrr},
                                      {"judged", t.judged}, {"retrieved", t.retrieved}});
        }
    }
    return j;
}

}  // namespace

int run_eval(const EvalCommand& cmd, std::ostream& out) {
    if (cmd.qrels.empty()) throw UsageError("eval needs --qrels FILE");
    const Qrels qrels = read_qrels(cmd.qrels);
    std::unique_ptr<Searcher> searcher;
    if (!cmd.db.empty()) searcher = std::make_unique<Searcher>(cmd.db);
    Summary summary;
    if (!cmd.score_run.empty()) {
        if (cmd.condensed && !searcher) {
            throw UsageError("--score-run with --condensed needs --db (to know the trials held)");
        }
        summary = evaluate_run(read_run(cmd.score_run), qrels, cmd.condensed, searcher.get());
    } else {
        if (!searcher) throw UsageError("eval needs --db DIR (or --score-run FILE)");
        if (cmd.topics.empty()) throw UsageError("eval needs --topics FILE");
        PatientOptions options;
        if (cmd.mode == "keywords") {
            disable_part(options, "all");
            options.synonym_phrases = false;  // as trials-search matches synonym groups
        } else if (cmd.mode != "patient") {
            throw UsageError("--mode is patient or keywords, not '" + cmd.mode + "'");
        }
        for (const auto& w : cmd.without) disable_part(options, w);
        for (const auto& p : cmd.params) set_option(options, p);
        const PatientSearch patient(*searcher, options);
        EvalOptions eo;
        eo.condensed = cmd.condensed;
        eo.tag = cmd.tag;
        std::ofstream run;
        if (!cmd.run_out.empty()) {
            run.open(cmd.run_out);
            if (!run) throw BadInputError("cannot write run file " + cmd.run_out);
        }
        summary = evaluate(*searcher, patient, read_topics(cmd.topics), qrels, eo,
                           cmd.run_out.empty() ? nullptr : &run);
    }
    std::vector<std::pair<std::string, std::vector<Comparison>>> comparisons;
    for (const auto& file : cmd.compare) {
        if (cmd.condensed && !searcher) {
            throw UsageError("--compare with --condensed needs --db (to know the trials held)");
        }
        const Summary other = evaluate_run(read_run(file), qrels, cmd.condensed, searcher.get());
        comparisons.emplace_back(file, compare(summary, other));
    }
    if (cmd.json) {
        auto j = summary_json(summary, cmd.per_topic);
        if (!comparisons.empty()) {
            j["compare"] = nlohmann::json::array();
            for (const auto& [file, cs] : comparisons) {
                for (const auto& c : cs) {
                    j["compare"].push_back({{"run", file}, {"measure", c.measure},
                                            {"topics", c.topics}, {"mean", c.mean_a},
                                            {"mean_other", c.mean_b}, {"diff", c.diff},
                                            {"ci95", {c.ci_low, c.ci_high}}, {"p", c.p},
                                            {"better", c.better}, {"worse", c.worse}});
                }
            }
        }
        out << j.dump(2) << "\n";
    } else {
        print_summary(out, summary, cmd.per_topic);
        for (const auto& [file, cs] : comparisons) print_comparison(out, file, cs);
    }
    return 0;
}

}  // namespace trials::search::eval
