// Topics, qrels and run files, and the trec_eval-style measures (eval.hpp).
#include "trials/search/eval.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "trials/error.hpp"

namespace trials::search::eval {
namespace {

std::ifstream open_in(const std::filesystem::path& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw BadInputError(fmt::format("cannot read {} file {}", what, path.string()));
    return in;
}

std::string trim(std::string s) {
    const auto not_space = [](unsigned char c) { return std::isspace(c) == 0; };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

std::vector<std::string> fields_of(const std::string& line) {
    std::istringstream ss(line);
    std::vector<std::string> out;
    for (std::string f; ss >> f;) out.push_back(f);
    return out;
}

std::vector<Topic> read_xml_topics(const std::filesystem::path& path) {
    pugi::xml_document doc;
    const auto result = doc.load_file(path.c_str());
    if (!result) {
        throw BadInputError(fmt::format("{}: not a topics XML file ({} at byte {})",
                                        path.string(), result.description(), result.offset));
    }
    std::vector<Topic> out;
    for (const auto& t : doc.child("topics").children("topic")) {
        Topic topic;
        topic.id = t.attribute("number").as_string();
        // Structured topics (<field name=...>) are read as their fields' text joined.
        std::string text;
        for (const auto& node : t.select_nodes(".//text()")) {
            if (!text.empty()) text += ' ';
            text += node.node().value();
        }
        topic.text = trim(text);
        if (topic.id.empty()) {
            throw BadInputError(path.string() + ": a <topic> without a number attribute");
        }
        out.push_back(std::move(topic));
    }
    if (out.empty()) throw BadInputError(path.string() + ": no <topics><topic> elements");
    return out;
}

std::vector<Topic> read_jsonl_topics(std::ifstream& in, const std::filesystem::path& path) {
    std::vector<Topic> out;
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (trim(line).empty()) continue;
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            throw BadInputError(fmt::format("{}:{}: not a JSON object", path.string(), n));
        }
        Topic t;
        for (const char* key : {"_id", "id", "topic", "qid"}) {
            if (j.contains(key)) {
                t.id = j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
                break;
            }
        }
        if (j.contains("text") && j["text"].is_string()) t.text = j["text"].get<std::string>();
        if (t.id.empty() || t.text.empty()) {
            throw BadInputError(
                fmt::format("{}:{}: a topic needs \"_id\" and \"text\"", path.string(), n));
        }
        out.push_back(std::move(t));
    }
    if (out.empty()) throw BadInputError(path.string() + ": no topics");
    return out;
}

double dcg(const std::vector<int>& gains) {
    double s = 0;
    for (std::size_t i = 0; i < gains.size() && i < 10; ++i) {
        s += gains[i] / std::log2(static_cast<double>(i) + 2.0);
    }
    return s;
}

}  // namespace

std::vector<Topic> read_topics(const std::filesystem::path& path) {
    auto in = open_in(path, "topics");
    char first = 0;
    while (in.get(first) && std::isspace(static_cast<unsigned char>(first)) != 0) {
    }
    if (first == '<') return read_xml_topics(path);
    in.clear();
    in.seekg(0);
    return read_jsonl_topics(in, path);
}

Qrels read_qrels(const std::filesystem::path& path) {
    auto in = open_in(path, "qrels");
    Qrels q;
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        const auto f = fields_of(line);
        if (f.empty()) continue;
        const bool four = f.size() == 4;
        if (f.size() != 3 && !four) {
            throw BadInputError(fmt::format(
                "{}:{}: expected 'topic doc grade' or 'topic 0 doc grade'", path.string(), n));
        }
        const std::string& grade = four ? f[3] : f[2];
        int g = 0;
        try {
            std::size_t used = 0;
            g = std::stoi(grade, &used);
            if (used != grade.size()) throw std::invalid_argument(grade);
        } catch (const std::exception&) {
            if (n == 1) continue;  // a header line
            throw BadInputError(
                fmt::format("{}:{}: grade '{}' is not a number", path.string(), n, grade));
        }
        q[f[0]][four ? f[2] : f[1]] = g;
    }
    if (q.empty()) throw BadInputError(path.string() + ": no judgments");
    return q;
}

std::string qrels_key(const Qrels& qrels, const std::string& topic_id) {
    if (qrels.count(topic_id) > 0) return topic_id;
    std::string found;
    for (const auto& [key, _] : qrels) {
        // name-YYYY<topic>: letters, '-', four digits, then exactly the topic id.
        const auto dash = key.find('-');
        if (dash == std::string::npos || key.size() != dash + 5 + topic_id.size()) continue;
        if (key.compare(dash + 5, std::string::npos, topic_id) != 0) continue;
        const bool year = std::all_of(key.begin() + static_cast<std::ptrdiff_t>(dash + 1),
                                      key.begin() + static_cast<std::ptrdiff_t>(dash + 5),
                                      [](unsigned char c) { return std::isdigit(c) != 0; });
        if (!year) continue;
        if (!found.empty()) return {};  // ambiguous
        found = key;
    }
    return found;
}

Run read_run(const std::filesystem::path& path) {
    auto in = open_in(path, "run");
    std::map<std::string, std::vector<std::pair<long, RankedDoc>>> ranked;
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        const auto f = fields_of(line);
        if (f.empty()) continue;
        if (f.size() < 5) {
            throw BadInputError(fmt::format(
                "{}:{}: expected 'topic Q0 doc rank score [tag]'", path.string(), n));
        }
        try {
            ranked[f[0]].push_back({std::stol(f[3]), RankedDoc{f[2], std::stod(f[4])}});
        } catch (const std::exception&) {
            throw BadInputError(
                fmt::format("{}:{}: rank and score must be numbers", path.string(), n));
        }
    }
    Run run;
    for (auto& [topic, docs] : ranked) {
        std::stable_sort(docs.begin(), docs.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        auto& out = run[topic];
        for (auto& d : docs) out.push_back(std::move(d.second));
    }
    return run;
}

void write_run(std::ostream& out, const std::string& topic, const std::vector<RankedDoc>& docs,
               const std::string& tag) {
    std::size_t rank = 0;
    for (const auto& d : docs) {
        out << fmt::format("{} Q0 {} {} {:.6f} {}\n", topic, d.nct_id, ++rank, d.score, tag);
    }
}

TopicScores score_topic(const std::vector<RankedDoc>& ranking,
                        const std::map<std::string, int>& judgments, bool condensed) {
    TopicScores s;
    s.judged = judgments.size();
    std::vector<int> ideal;
    for (const auto& [_, g] : judgments) {
        ideal.push_back(std::max(g, 0));
        if (g >= 1) ++s.relevant;
        if (g >= 2) ++s.eligible;
    }
    std::sort(ideal.rbegin(), ideal.rend());
    std::vector<int> gains;
    std::set<std::string> seen;
    for (const auto& d : ranking) {
        if (!seen.insert(d.nct_id).second) continue;  // a duplicate counts once
        const auto it = judgments.find(d.nct_id);
        if (it == judgments.end()) {
            if (condensed) continue;
            gains.push_back(0);
        } else {
            gains.push_back(std::max(it->second, 0));
        }
    }
    s.retrieved = gains.size();
    const double ideal_dcg = dcg(ideal);
    s.ndcg10 = ideal_dcg > 0 ? dcg(gains) / ideal_dcg : 0;
    std::size_t hits = 0;
    for (std::size_t i = 0; i < gains.size() && i < 10; ++i) hits += gains[i] >= 2 ? 1 : 0;
    s.p10 = static_cast<double>(hits) / 10.0;
    for (std::size_t i = 0; i < gains.size(); ++i) {
        if (gains[i] >= 2) {
            s.mrr = 1.0 / static_cast<double>(i + 1);
            break;
        }
    }
    return s;
}

Summary summarize(std::vector<TopicScores> topics) {
    Summary s;
    s.topics = std::move(topics);
    for (const auto& t : s.topics) {
        if (t.relevant == 0) continue;
        ++s.averaged;
        s.ndcg10 += t.ndcg10;
        s.p10 += t.p10;
        s.mrr += t.mrr;
    }
    if (s.averaged > 0) {
        const auto n = static_cast<double>(s.averaged);
        s.ndcg10 /= n;
        s.p10 /= n;
        s.mrr /= n;
    }
    return s;
}

void print_summary(std::ostream& out, const Summary& s, bool per_topic) {
    if (per_topic) {
        for (const auto& t : s.topics) {
            if (t.relevant == 0) continue;
            out << fmt::format("ndcg_cut_10\t{}\t{:.4f}\n", t.topic, t.ndcg10);
            out << fmt::format("P_10\t{}\t{:.4f}\n", t.topic, t.p10);
            out << fmt::format("recip_rank\t{}\t{:.4f}\n", t.topic, t.mrr);
        }
    }
    std::size_t judged = 0;
    for (const auto& t : s.topics) judged += t.judged;
    out << fmt::format("num_q\tall\t{}\n", s.averaged);
    out << fmt::format("num_judged\tall\t{}\n", judged);
    out << fmt::format("ndcg_cut_10\tall\t{:.4f}\n", s.ndcg10);
    out << fmt::format("P_10\tall\t{:.4f}\n", s.p10);
    out << fmt::format("recip_rank\tall\t{:.4f}\n", s.mrr);
}

}  // namespace trials::search::eval
