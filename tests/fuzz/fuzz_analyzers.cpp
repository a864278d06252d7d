// libFuzzer target: every analyzer of the registry on any bytes (invalid UTF-8 included). The
// analyzers promise never to throw; every token is non-empty, lies inside the text, and has a
// position between the first one asked for and the returned next one.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "trials/analysis/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const trials::analysis::AnalyzerRegistry registry;
    static const std::vector<std::string> names = registry.names();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& name : names) {
        const auto& analyzer = registry.get(name);
        std::vector<trials::analysis::Token> tokens;
        const std::uint32_t next = analyzer.analyze(text, tokens, 7);
        for (const auto& t : tokens) {
            if (t.term.empty() || t.start > t.end || t.end > size) __builtin_trap();
            if (t.position < 7 || t.position >= next) __builtin_trap();
            (void)analyzer.stem(t);
        }
    }
    return 0;
}
