// The micro-benchmark groups, registered at run time by main.cpp once the corpus is loaded (only
// those whose inputs exist), and the result check every benchmark runs inside its timed loop.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "corpus.hpp"
#include "trials/analysis/mesh.hpp"
#include "trials/analysis/registry.hpp"

namespace trials::bench {

// A wrong answer must never pass as a speed-up: compares a result computed in the timed loop
// with the value computed once outside it, and fails the benchmark on a mismatch.
[[nodiscard]] inline bool check(benchmark::State& state, std::uint64_t got, std::uint64_t want,
                                const char* what) {
    if (got == want) return true;
    const std::string msg =
        std::string(what) + ": got " + std::to_string(got) + ", expected " + std::to_string(want);
    state.SkipWithError(msg.c_str());
    return false;
}

void register_reader_benchmarks(const Corpus& corpus);
void register_analyzer_benchmarks(const Corpus& corpus, const analysis::AnalyzerRegistry& registry);
void register_document_benchmarks(const Corpus& corpus, const analysis::AnalyzerRegistry& registry,
                                  const analysis::MeshThesaurus* mesh);

}  // namespace trials::bench
