// Document-building micro-benchmarks: DocumentBuilder::build() over the corpus studies, in
// studies/s, without and with the MeSH thesaurus (descriptor ids, ancestors).
// Run: build-bench/bin/trials-micro-bench --benchmark_filter=BuildDocument
// Each iteration builds every study and checks the sum of the documents' term counts.
#include <xapian.h>

#include <vector>

#include "benches.hpp"
#include "trials/indexer/document_builder.hpp"

namespace trials::bench {
namespace {

struct Input {
    const Corpus* corpus;
    const analysis::AnalyzerRegistry* registry;
    const analysis::MeshThesaurus* mesh;  // null: no thesaurus
};

std::uint64_t build_all(indexer::DocumentBuilder& builder, const Corpus& corpus) {
    std::uint64_t terms = 0;
    for (const records::Study& s : corpus.studies) terms += builder.build(s).termlist_count();
    return terms;
}

void bm_build(benchmark::State& state, Input in) {
    std::uint64_t want = 0;
    {
        indexer::DocumentBuilder reference(*in.registry, in.mesh);
        want = build_all(reference, *in.corpus);
    }
    indexer::DocumentBuilder builder(*in.registry, in.mesh);
    for (auto _ : state) {
        const std::uint64_t got = build_all(builder, *in.corpus);
        if (!check(state, got, want, "document terms")) break;
    }
    state.SetItemsProcessed(state.iterations() *
                            static_cast<std::int64_t>(in.corpus->studies.size()));
    state.counters["studies"] = static_cast<double>(in.corpus->studies.size());
    state.counters["terms"] = static_cast<double>(want);
}

}  // namespace

void register_document_benchmarks(const Corpus& corpus, const analysis::AnalyzerRegistry& registry,
                                  const analysis::MeshThesaurus* mesh) {
    benchmark::RegisterBenchmark("BuildDocument/no_mesh", bm_build,
                                 Input{&corpus, &registry, nullptr})
        ->Unit(benchmark::kMillisecond);
    if (mesh != nullptr) {
        benchmark::RegisterBenchmark("BuildDocument/mesh", bm_build,
                                     Input{&corpus, &registry, mesh})
            ->Unit(benchmark::kMillisecond);
    }
}

}  // namespace trials::bench
