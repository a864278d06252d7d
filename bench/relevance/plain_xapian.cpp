// trials-plain-xapian: the plain baseline of the relevance figures. Every stored text field of a
// trialsearch database's documents is indexed into a fresh in-memory Xapian database with
// Xapian's own TermGenerator (English stemmer, default settings), and each topic's note is parsed
// by Xapian's QueryParser (default operator OR, stemming as by default) and ranked with BM25Weight() at its
// defaults (k1=1, k2=0, k3=1, b=0.5). The note's words (letters and digits) are ORed. Writes a TREC run file; score it with
// `trials-search eval --score-run`.
//
// Usage: trials-plain-xapian --db OURDB --topics FILE --qrels FILE --run OUT [--condensed]
//        (condensed: rank only each topic's judged trials; otherwise the top 1000)
#include <xapian.h>

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "trials/analysis/database.hpp"
#include "trials/error.hpp"
#include "trials/search/eval.hpp"

namespace {

constexpr const char* kTextFields[] = {"title",   "official_title", "acronym",
                                       "conditions", "keywords",     "interventions",
                                       "summary", "description",    "eligibility",
                                       "condition_mesh"};

void add_text(Xapian::TermGenerator& tg, const nlohmann::json& v) {
    if (v.is_string()) {
        tg.index_text(v.get<std::string>());
        tg.increase_termpos();
    } else if (v.is_array()) {
        for (const auto& e : v) add_text(tg, e);
    } else if (v.is_object()) {
        if (v.contains("name")) add_text(tg, v["name"]);
    }
}

Xapian::WritableDatabase build(const Xapian::Database& ours) {
    Xapian::WritableDatabase plain(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    for (auto it = ours.postlist_begin(""); it != ours.postlist_end(""); ++it) {
        const auto data = nlohmann::json::parse(ours.get_document(*it).get_data(), nullptr, false);
        if (!data.is_object() || !data.contains("nct_id")) continue;
        Xapian::Document doc;
        tg.set_document(doc);
        for (const char* f : kTextFields) {
            if (data.contains(f)) add_text(tg, data[f]);
        }
        const std::string id = data["nct_id"].get<std::string>();
        doc.add_boolean_term("Q" + id);
        doc.set_data(id);
        plain.add_document(doc);
    }
    return plain;
}

}  // namespace

int main(int argc, char** argv) {
    std::string db, topics, qrels, run;
    bool condensed = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw trials::UsageError(a + " needs a value");
            return argv[++i];
        };
        if (a == "--db") db = value();
        else if (a == "--topics") topics = value();
        else if (a == "--qrels") qrels = value();
        else if (a == "--run") run = value();
        else if (a == "--condensed") condensed = true;
        else {
            std::cerr << "usage: trials-plain-xapian --db DB --topics FILE --qrels FILE --run OUT "
                         "[--condensed]\n";
            return 2;
        }
    }
    try {
        if (db.empty() || topics.empty() || qrels.empty() || run.empty()) {
            throw trials::UsageError("--db, --topics, --qrels and --run are required");
        }
        const Xapian::Database ours = trials::analysis::open_for_search(db);
        const Xapian::WritableDatabase plain = build(ours);
        const auto judged = trials::search::eval::read_qrels(qrels);
        std::ofstream out(run);
        if (!out) throw trials::BadInputError("cannot write " + run);
        Xapian::QueryParser qp;
        qp.set_stemmer(Xapian::Stem("english"));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_database(plain);
        for (const auto& topic : trials::search::eval::read_topics(topics)) {
            const std::string key = trials::search::eval::qrels_key(judged, topic.id);
            if (key.empty()) continue;
            // The note's words ORed, as the FTS5 baseline does: letters and digits only, so
            // nothing in a note reads as query syntax.
            std::string words;
            for (const char c : topic.text) {
                words += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : ' ';
            }
            Xapian::Query q = qp.parse_query(words, 0);
            Xapian::doccount depth = 1000;
            if (condensed) {
                std::vector<Xapian::Query> ids;
                for (const auto& [id, _] : judged.at(key)) ids.emplace_back("Q" + id);
                q = Xapian::Query(Xapian::Query::OP_FILTER, q,
                                  Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end()));
                depth = static_cast<Xapian::doccount>(ids.size());
            }
            Xapian::Enquire e(plain);
            e.set_query(q);
            e.set_weighting_scheme(Xapian::BM25Weight());
            const Xapian::MSet m = e.get_mset(0, depth);
            std::vector<trials::search::eval::RankedDoc> ranking;
            for (auto it = m.begin(); it != m.end(); ++it) {
                ranking.push_back({it.get_document().get_data(), it.get_weight()});
            }
            trials::search::eval::write_run(out, key, ranking, "plain-xapian-bm25");
        }
    } catch (const trials::Error& e) {
        std::cerr << "trials-plain-xapian: " << e.what() << "\n";
        return 2;
    } catch (const Xapian::Error& e) {
        std::cerr << "trials-plain-xapian: " << e.get_description() << "\n";
        return 2;
    }
    return 0;
}
