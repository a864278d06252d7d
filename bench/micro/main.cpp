// trials-micro-bench: loads the inputs once (corpus.hpp), registers the benchmarks whose inputs
// exist, and runs them with Google Benchmark's flags. Figures and the command: bench/MICRO.md.
// Run: build-bench/bin/trials-micro-bench --benchmark_repetitions=3
//          --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>

#include "benches.hpp"

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    try {
        using trials::bench::Corpus;
        const auto t0 = std::chrono::steady_clock::now();
        const Corpus corpus = trials::bench::load_corpus();
        const trials::analysis::AnalyzerRegistry registry;
        std::unique_ptr<trials::analysis::MeshThesaurus> mesh;
        if (!corpus.mesh_path.empty()) {
            mesh = std::make_unique<trials::analysis::MeshThesaurus>(
                trials::analysis::MeshThesaurus::load(corpus.mesh_path));
        }
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
        for (const std::string& note : corpus.notes)
            std::fprintf(stderr, "input: %s\n", note.c_str());
        std::fprintf(stderr, "input: %zu studies, %zu texts (%zu bytes)%s; loaded in %.1f s\n",
                     corpus.studies.size(), corpus.texts.size(), corpus.text_bytes,
                     mesh ? ", MeSH thesaurus" : "", took.count());

        trials::bench::register_reader_benchmarks(corpus);
        trials::bench::register_analyzer_benchmarks(corpus, registry);
        trials::bench::register_document_benchmarks(corpus, registry, mesh.get());
        benchmark::RunSpecifiedBenchmarks();
        benchmark::Shutdown();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "trials-micro-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
