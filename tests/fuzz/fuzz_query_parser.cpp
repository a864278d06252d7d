// libFuzzer target: the query parser on any bytes, conjunctive and disjunctive. A bad query must
// be a trials::QueryError with a one-line message, never a crash, a hang or another exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "trials/analysis/registry.hpp"
#include "trials/error.hpp"
#include "trials/search/query_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const trials::analysis::AnalyzerRegistry registry;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const bool conjunctive : {true, false}) {
        trials::search::QueryParserOptions options;
        options.conjunctive = conjunctive;
        try {
            const auto parsed = trials::search::QueryParser(registry, options).parse(text);
            (void)parsed.query.get_description();
        } catch (const trials::QueryError& e) {
            const std::string_view msg = e.what();
            if (msg.empty() || msg.find('\n') != std::string_view::npos) __builtin_trap();
        }
    }
    return 0;
}
