// Running topics through patient search and scoring the rankings (eval.hpp).
#include <fmt/format.h>

#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"
#include "trials/search/eval.hpp"

namespace trials::search::eval {
namespace {

// The judgments on trials the database holds (all of them without a database).
std::map<std::string, int> held(const std::map<std::string, int>& judged, Searcher* searcher) {
    if (searcher == nullptr) return judged;
    std::map<std::string, int> out;
    for (const auto& [id, g] : judged) {
        if (searcher->database().term_exists(std::string(analysis::kIdPrefix) + id)) out[id] = g;
    }
    return out;
}

}  // namespace

Summary evaluate(Searcher& searcher, const PatientSearch& patient,
                 const std::vector<Topic>& topics, const Qrels& qrels,
                 const EvalOptions& options, std::ostream* run) {
    std::vector<TopicScores> scores;
    for (const auto& topic : topics) {
        const std::string key = qrels_key(qrels, topic.id);
        if (key.empty()) continue;
        const auto judged = options.condensed ? held(qrels.at(key), &searcher) : qrels.at(key);
        if (judged.empty()) continue;
        PatientRequest req;
        req.text = topic.text;
        req.snippets = false;
        if (options.condensed) {
            for (const auto& [id, _] : judged) req.only_ids.push_back(id);
            req.limit = judged.size();
        } else {
            req.limit = options.depth;
        }
        const SearchResponse resp = patient.search(req);
        std::vector<RankedDoc> ranking;
        for (const auto& h : resp.hits) ranking.push_back({h.nct_id, h.score});
        if (run != nullptr) write_run(*run, key, ranking, options.tag);
        auto s = score_topic(ranking, judged, options.condensed);
        s.topic = key;
        scores.push_back(std::move(s));
    }
    if (scores.empty()) {
        throw BadInputError("no topic of the topics file has judgments in the qrels file");
    }
    return summarize(std::move(scores));
}

Summary evaluate_run(const Run& run, const Qrels& qrels, bool condensed, Searcher* searcher) {
    std::vector<TopicScores> scores;
    static const std::vector<RankedDoc> kNone;
    for (const auto& [key, judged_all] : qrels) {
        const auto judged = condensed ? held(judged_all, searcher) : judged_all;
        if (judged.empty()) continue;
        const auto it = run.find(key);
        auto s = score_topic(it == run.end() ? kNone : it->second, judged, condensed);
        s.topic = key;
        scores.push_back(std::move(s));
    }
    return summarize(std::move(scores));
}

}  // namespace trials::search::eval
