// trials-search: ranked keyword search over a trialsearch database, with filters, facets,
// sorting, cursors and snippets; --analyze shows the terms a text becomes; --similar NCT... and
// --like TEXT list the most similar trials with why.
//
// --explain NCT... shows why a trial matched the query (the fields and terms of its score).
//
// Exit codes: 0 results found; 1 no results; 2 usage, query or database error.
// With --explain: 0 the trial matches, 1 it does not (or is not in the database), 2 errors.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"
#include "trials/search/eval.hpp"
#include "trials/search/explain.hpp"
#include "trials/search/output.hpp"
#include "trials/search/patient.hpp"
#include "trials/search/searcher.hpp"
#include "trials/search/similar.hpp"

namespace {

int analyze(const std::string& text, const std::string& field_name,
            const trials::analysis::AnalyzerRegistry& registry) {
    std::string analyzer_name = "prose";
    if (!field_name.empty()) {
        const auto* f = trials::analysis::find_text_field(field_name);
        if (f == nullptr) throw trials::UsageError("unknown field '" + field_name + "'");
        analyzer_name = std::string(f->analyzer);
    }
    const auto& a = registry.get(analyzer_name);
    std::vector<trials::analysis::Token> tokens;
    a.analyze(text, tokens);
    for (const auto& t : tokens) {
        const std::string stem = a.stem(t);
        std::cout << fmt::format("{}[{}] {}..{}{}{}{}\n", t.term, t.position, t.start, t.end,
                                 t.keyword ? " keyword" : "", t.joined ? " joined" : "",
                                 stem.empty() || stem == t.term ? "" : " stem=" + stem);
    }
    return tokens.empty() ? 1 : 0;
}

std::vector<std::string> split_commas(const std::vector<std::string>& in) {
    std::vector<std::string> out;
    for (const auto& s : in) {
        std::stringstream ss(s);
        for (std::string part; std::getline(ss, part, ',');) {
            if (!part.empty()) out.push_back(part);
        }
    }
    return out;
}

// --similar / --like: the query words and filters restrict the similar trials.
trials::search::SearchResponse find_similar(trials::search::Searcher& searcher,
                                            const std::string& nct_id, const std::string& text,
                                            const trials::search::SearchRequest& req) {
    trials::search::SimilarRequest s;
    s.nct_id = nct_id;
    s.like_text = text;
    s.query = req.query;
    s.offset = req.offset;
    s.limit = req.limit;
    s.facets = req.facets;
    return searcher.retrying([&] { return trials::search::SimilarFinder(searcher).find(s); });
}

// --explain: why one trial matches (or not) the query.
int explain_trial(trials::search::Searcher& searcher, const trials::search::SearchRequest& req,
                  const std::string& nct_id, bool json) {
    const auto e = trials::search::explain(searcher, req, nct_id);
    if (json) {
        const nlohmann::json j = {{"query", req.query},
                                  {"explain", trials::search::explanation_to_json(e)}};
        std::cout << j.dump(2) << "\n";
    } else {
        trials::search::print_explanation(std::cout, e);
    }
    return e.matches ? 0 : 1;
}

enum class Format { text, json, ids };

// Prints a response as text, JSON (with `extra` members) or the hits' NCT ids one per line, and
// returns the exit code: 0 when something was found, 1 when nothing.
int print_response(const trials::search::SearchResponse& resp, Format format,
                   const std::vector<std::string>& fields,
                   const nlohmann::json& extra = nlohmann::json::object()) {
    if (format == Format::ids) {
        for (const auto& h : resp.hits) std::cout << h.nct_id << '\n';
    } else if (format == Format::json) {
        auto j = trials::search::to_json(resp, fields);
        j.update(extra);
        std::cout << j.dump(2) << "\n";
    } else {
        trials::search::TextStyle style;
        style.bold = isatty(STDOUT_FILENO) != 0;
        trials::search::print_text(std::cout, resp, style);
    }
    return resp.total > 0 ? 0 : 1;
}

// --patient / --patient-file: a clinical note in, the trials it may be eligible for out; the
// query words act as filters; --explain NCT shows that trial's score part by part.
int patient_search(trials::search::Searcher& searcher, const std::string& note,
                   const trials::search::SearchRequest& req, const std::string& explain_id,
                   Format format, const std::vector<std::string>& fields) {
    const bool json = format == Format::json;
    const trials::search::PatientSearch patient(searcher, trials::search::PatientOptions{});
    trials::search::PatientRequest p;
    p.text = note;
    p.filters = req.query;
    p.offset = req.offset;
    p.limit = req.limit;
    p.snippets = req.snippets;
    if (!explain_id.empty()) {
        const auto e = patient.explain(p, explain_id);
        if (json) {
            std::cout << trials::search::patient_explanation_to_json(e).dump(2) << "\n";
        } else {
            trials::search::print_patient_explanation(std::cout, e);
        }
        return e.matches ? 0 : 1;
    }
    const auto resp = patient.search(p);
    return print_response(resp, format, fields,
                          {{"patient", trials::search::profile_to_json(patient.profile(note))}});
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"trials-search: search a trialsearch database of clinical trials"};
    std::string db;
    std::vector<std::string> words;
    trials::search::SearchRequest req;
    bool json = false, no_snippets = false, ids = false;
    std::vector<std::string> facets, fields;
    std::string facets_all, cursor, analyze_text, analyze_field;
    app.add_option("--db", db, "Database directory, shard set or stub file");
    app.add_option("query", words,
                   "Query: words, \"phrases\", AND/OR/NOT, field:word (title, condition, "
                   "intervention, mesh, outcome, eligibility, sponsor, location, ...), filters "
                   "(status:recruiting phase:2 type:interventional sex:female country:sweden), "
                   "ranges (start:2020..2021-06 enrollment:100.. age:16), AREA[Field]expr, "
                   "RANGE[lo, hi], MISSING, EXPANSION[None]");
    app.add_option("--limit", req.limit, "Results per page (default 10)");
    app.add_option("--offset", req.offset, "Skip this many results");
    app.add_option("--cursor", cursor, "Continue from a previous page's next_cursor");
    app.add_option("--sort", req.sort,
                   "relevance (default), start, completion, updated, enrollment, with :asc/:desc");
    app.add_option("--facet", facets, "Count the values of a facet (repeatable, or a,b,c)");
    app.add_option("--facets", facets_all, "'all' to count every facet");
    app.add_flag("--exact-total", req.exact_total, "Count every match (default: an estimate)");
    app.add_flag("--any", req.any, "Match any of the words (default: all of them)");
    app.add_flag("--json", json, "Print one JSON object");
    app.add_option("--fields", fields, "Extra stored fields in JSON hits (a,b or 'all')");
    app.add_flag("--no-snippets", no_snippets, "Leave out snippets");
    app.add_flag("--ids", ids,
                 "Print only the hits' NCT ids, one per line (reads no stored record: fastest)");
    app.add_option("--analyze", analyze_text, "Print the terms TEXT becomes, then exit");
    app.add_option("--field", analyze_field, "With --analyze: analyse as this field does");
    std::string similar_id, like_text;
    auto* similar_opt = app.add_option(
        "--similar", similar_id,
        "List the trials most like this one (NCT id), with why; query words and filters "
        "restrict them");
    app.add_option("--like", like_text,
                   "List the trials most like this text (a draft protocol, an abstract)")
        ->excludes(similar_opt);
    std::string explain_id;
    app.add_option("--explain", explain_id,
                   "Show why this trial (NCT id) matches the query: fields, terms, weights")
        ->excludes(similar_opt);
    std::string patient_text, patient_file;
    auto* patient_opt =
        app.add_option("--patient", patient_text,
                       "Find trials for this patient description (age, sex, conditions are "
                       "read from it; query words filter)")
            ->excludes(similar_opt);
    app.add_option("--patient-file", patient_file, "Read the patient description from FILE")
        ->excludes(similar_opt)
        ->excludes(patient_opt);
    trials::search::eval::EvalCommand eval_cmd;
    auto* eval = app.add_subcommand(
        "eval", "Measure ranking against judgments: nDCG@10, P@10, MRR per topic and mean");
    eval->add_option("--db", eval_cmd.db, "Database directory, shard set or stub file");
    eval->add_option("--topics", eval_cmd.topics, "Topics: TREC XML or JSONL {_id, text}");
    eval->add_option("--qrels", eval_cmd.qrels, "Judgments: 'topic 0 doc grade' or TSV")
        ->required();
    eval->add_flag("--condensed", eval_cmd.condensed,
                   "Rank only the judged trials the database holds (drop unjudged ones)");
    eval->add_option("--run", eval_cmd.run_out, "Write a TREC run file");
    eval->add_option("--tag", eval_cmd.tag, "Run tag in the run file");
    eval->add_option("--score-run", eval_cmd.score_run, "Score this run file instead");
    eval->add_option("--compare", eval_cmd.compare,
                     "Test the difference with this run file, topic by topic (paired "
                     "randomization test, bootstrap 95% interval); repeatable")
        ->check(CLI::ExistingFile);
    eval->add_option("--mode", eval_cmd.mode, "patient (default) or keywords");
    eval->add_option("--without", eval_cmd.without,
                     "Leave out a part: fields, mesh, age-sex, exclusion, feedback, negation, "
                     "family, concept-phrases, no-criteria, stated-ages, shorthand, "
                     "first-sentence, demographics, diagnosis");
    eval->add_option("--param", eval_cmd.params, "Set a ranking parameter NAME=VALUE");
    eval->add_flag("--per-topic", eval_cmd.per_topic, "Print every topic's measures");
    eval->add_flag("--json", eval_cmd.json, "Print one JSON object");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }

    try {
        if (eval->parsed()) return trials::search::eval::run_eval(eval_cmd, std::cout);
        if (!analyze_text.empty() || app.count("--analyze") > 0) {
            if (db.empty()) {
                trials::analysis::AnalyzerRegistry registry;
                return analyze(analyze_text, analyze_field, registry);
            }
            trials::search::Searcher searcher(db);
            return analyze(analyze_text, analyze_field, searcher.registry());
        }
        if (db.empty()) {
            std::cerr << "trials-search: --db is required\n";
            return 2;
        }
        for (const auto& w : words) {
            if (!req.query.empty()) req.query += ' ';
            req.query += w;
        }
        req.facets = split_commas(facets);
        if (!facets_all.empty()) {
            if (facets_all != "all") {
                std::cerr << "trials-search: --facets takes 'all' (use --facet NAME)\n";
                return 2;
            }
            req.facets.push_back("all");
        }
        if (!cursor.empty()) req.cursor = cursor;
        req.snippets = !no_snippets && !ids;
        req.records = !ids;
        if (ids && json) {
            std::cerr << "trials-search: --ids and --json are two outputs; choose one\n";
            return 2;
        }
        const Format format = ids ? Format::ids : json ? Format::json : Format::text;

        trials::search::Searcher searcher(db);
        if (!patient_file.empty()) {
            std::ifstream in(patient_file);
            if (!in) throw trials::UsageError("cannot read --patient-file " + patient_file);
            patient_text.assign(std::istreambuf_iterator<char>(in), {});
        }
        if (!patient_text.empty()) {
            if (!req.facets.empty() || req.cursor || req.sort != "relevance") {
                std::cerr << "trials-search: --patient ranks by eligibility for the note; "
                             "--facet, --sort and --cursor do not apply\n";
                return 2;
            }
            return patient_search(searcher, patient_text, req, explain_id, format,
                                  split_commas(fields));
        }
        if (!explain_id.empty()) return explain_trial(searcher, req, explain_id, json);
        const bool similar = !similar_id.empty() || app.count("--like") > 0;
        if (similar && (req.cursor || req.sort != "relevance")) {
            std::cerr << "trials-search: --similar and --like rank by similarity; --sort and "
                         "--cursor do not apply (use --offset)\n";
            return 2;
        }
        const auto resp = similar ? find_similar(searcher, similar_id, like_text, req)
                                  : searcher.search(req);
        return print_response(resp, format, split_commas(fields));
    } catch (const trials::Error& e) {
        std::cerr << "trials-search: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "trials-search: unexpected error: " << e.what() << "\n";
        return 2;
    }
}
