// trials-search: ranked keyword search over a trialsearch database, with filters, facets,
// sorting, cursors and snippets; --analyze shows the terms a text becomes.
//
// Exit codes: 0 results found; 1 no results; 2 usage, query or database error.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"
#include "trials/search/output.hpp"
#include "trials/search/searcher.hpp"

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

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"trials-search: search a trialsearch database of clinical trials"};
    std::string db;
    std::vector<std::string> words;
    trials::search::SearchRequest req;
    bool json = false, no_snippets = false;
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
    app.add_option("--analyze", analyze_text, "Print the terms TEXT becomes, then exit");
    app.add_option("--field", analyze_field, "With --analyze: analyse as this field does");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }

    try {
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
        req.snippets = !no_snippets;

        trials::search::Searcher searcher(db);
        const auto resp = searcher.search(req);
        if (json) {
            std::cout << trials::search::to_json(resp, split_commas(fields)).dump(2) << "\n";
        } else {
            trials::search::TextStyle style;
            style.bold = isatty(STDOUT_FILENO) != 0;
            trials::search::print_text(std::cout, resp, style);
        }
        return resp.total > 0 ? 0 : 1;
    } catch (const trials::Error& e) {
        std::cerr << "trials-search: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "trials-search: unexpected error: " << e.what() << "\n";
        return 2;
    }
}
