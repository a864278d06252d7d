// Analyzer micro-benchmarks over real trial text (brief summaries + eligibility criteria of the
// corpus studies), in bytes/s: analyze() per analyzer, analyze + stem, and index_text() into a
// Xapian::Document. Run: build-bench/bin/trials-micro-bench --benchmark_filter='Analyze|IndexText'
// Each iteration processes every text and checks the token / stem / term counts.
#include <xapian.h>

#include <string>
#include <vector>

#include "benches.hpp"
#include "trials/analysis/xapian_bridge.hpp"

namespace trials::bench {
namespace {

using analysis::Analyzer;
using analysis::Token;

struct Input {
    const Corpus* corpus;
    const Analyzer* analyzer;
};

void set_rates(benchmark::State& state, const Corpus& c, std::uint64_t tokens) {
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(c.text_bytes));
    state.counters["tokens"] = static_cast<double>(tokens);
    state.counters["texts"] = static_cast<double>(c.texts.size());
}

std::uint64_t count_tokens(const Input& in) {
    std::vector<Token> tokens;
    std::uint64_t n = 0;
    for (const FieldText& t : in.corpus->texts) {
        tokens.clear();
        in.analyzer->analyze(t.text, tokens);
        n += tokens.size();
    }
    return n;
}

void bm_analyze(benchmark::State& state, Input in) {
    const std::uint64_t want = count_tokens(in);
    std::vector<Token> tokens;
    for (auto _ : state) {
        std::uint64_t got = 0;
        for (const FieldText& t : in.corpus->texts) {
            tokens.clear();
            in.analyzer->analyze(t.text, tokens);
            got += tokens.size();
        }
        if (!check(state, got, want, "tokens")) break;
    }
    set_rates(state, *in.corpus, want);
}

// Analyse, then stem every token (what the indexer does for the "Z" terms).
std::uint64_t stem_all(const Input& in, std::vector<Token>& tokens, std::uint64_t& stems) {
    std::uint64_t n = 0;
    for (const FieldText& t : in.corpus->texts) {
        tokens.clear();
        in.analyzer->analyze(t.text, tokens);
        n += tokens.size();
        for (const Token& token : tokens) stems += in.analyzer->stem(token).empty() ? 0 : 1;
    }
    return n;
}

void bm_analyze_stem(benchmark::State& state, Input in) {
    std::vector<Token> tokens;
    std::uint64_t want_stems = 0;
    const std::uint64_t want = stem_all(in, tokens, want_stems);
    for (auto _ : state) {
        std::uint64_t got_stems = 0;
        const std::uint64_t got = stem_all(in, tokens, got_stems);
        if (!check(state, got, want, "tokens") || !check(state, got_stems, want_stems, "stems")) {
            break;
        }
    }
    state.counters["stems"] = static_cast<double>(want_stems);
    set_rates(state, *in.corpus, want);
}

// The field's targets as the indexer writes them: its prefix and the unprefixed catch-all.
std::vector<analysis::IndexTarget> targets_of(analysis::TextField field) {
    const analysis::TextFieldSpec& spec = analysis::text_field(field);
    std::vector<analysis::IndexTarget> targets{{std::string(spec.prefix), 1, spec.positions}};
    if (spec.unprefixed_wdf > 0) targets.push_back({"", spec.unprefixed_wdf, true});
    return targets;
}

// One document per text; returns the sum of the documents' term counts.
std::uint64_t index_all(const Input& in, const std::vector<analysis::IndexTarget>& summary,
                        const std::vector<analysis::IndexTarget>& eligibility,
                        std::vector<Token>& scratch) {
    std::uint64_t terms = 0;
    for (const FieldText& t : in.corpus->texts) {
        Xapian::Document doc;
        Xapian::termpos pos = 1;
        analysis::index_text(doc, *in.analyzer, t.text,
                             t.field == analysis::TextField::Summary ? summary : eligibility, pos,
                             scratch);
        terms += doc.termlist_count();
    }
    return terms;
}

void bm_index_text(benchmark::State& state, Input in) {
    const auto summary = targets_of(analysis::TextField::Summary);
    const auto eligibility = targets_of(analysis::TextField::Eligibility);
    std::vector<Token> scratch;
    const std::uint64_t want = index_all(in, summary, eligibility, scratch);
    for (auto _ : state) {
        const std::uint64_t got = index_all(in, summary, eligibility, scratch);
        if (!check(state, got, want, "document terms")) break;
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(in.corpus->text_bytes));
    state.counters["terms"] = static_cast<double>(want);
    state.counters["texts"] = static_cast<double>(in.corpus->texts.size());
}

}  // namespace

void register_analyzer_benchmarks(const Corpus& corpus,
                                  const analysis::AnalyzerRegistry& registry) {
    for (const char* name : {"prose", "identifier"}) {
        const Input in{&corpus, &registry.get(name)};
        benchmark::RegisterBenchmark((std::string("Analyze/") + name).c_str(), bm_analyze, in)
            ->Unit(benchmark::kMillisecond);
    }
    const Input prose{&corpus, &registry.get("prose")};
    benchmark::RegisterBenchmark("AnalyzeStem/prose", bm_analyze_stem, prose)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("IndexText/prose", bm_index_text, prose)
        ->Unit(benchmark::kMillisecond);
}

}  // namespace trials::bench
