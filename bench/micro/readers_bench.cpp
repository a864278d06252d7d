// Reader micro-benchmarks: parse_document() on API v2 JSON and legacy XML held in memory, in
// bytes/s and studies/s. Run: build-bench/bin/trials-micro-bench --benchmark_filter=Parse
// Each iteration parses every document of its input and checks the study and error counts.
#include <string>
#include <vector>

#include "benches.hpp"

namespace trials::bench {
namespace {

struct Expected {
    std::uint64_t studies = 0;
    std::uint64_t errors = 0;
};

Expected count(const std::vector<records::RawDocument>& docs) {
    Expected e;
    for (const records::RawDocument& d : docs) {
        const records::ParseResult r = records::parse_document(d);
        e.studies += r.studies.size();
        e.errors += r.errors.size();
    }
    return e;
}

void bm_parse(benchmark::State& state, const std::vector<records::RawDocument>* docs) {
    const Expected want = count(*docs);
    for (auto _ : state) {
        Expected got;
        for (const records::RawDocument& d : *docs) {
            const records::ParseResult r = records::parse_document(d);
            got.studies += r.studies.size();
            got.errors += r.errors.size();
        }
        if (!check(state, got.studies, want.studies, "studies") ||
            !check(state, got.errors, 0, "rejected records")) {
            break;
        }
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(total_bytes(*docs)));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(want.studies));
    state.counters["docs"] = static_cast<double>(docs->size());
    state.counters["studies"] = static_cast<double>(want.studies);
}

}  // namespace

void register_reader_benchmarks(const Corpus& corpus) {
    // The benchmarks refer to the corpus, which main() keeps alive until they have run.
    benchmark::RegisterBenchmark("ParseJson/sample_array", bm_parse, &corpus.sample_json)
        ->Unit(benchmark::kMicrosecond);
    if (!corpus.real_json.empty()) {
        benchmark::RegisterBenchmark("ParseJson/NCT02513394", bm_parse, &corpus.real_json)
            ->Unit(benchmark::kMicrosecond);
    }
    if (!corpus.legacy_xml.empty()) {
        benchmark::RegisterBenchmark("ParseLegacyXml/covid_first300", bm_parse, &corpus.legacy_xml)
            ->Unit(benchmark::kMillisecond);
    }
}

}  // namespace trials::bench
