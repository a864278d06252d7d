// libFuzzer target: the MeSH loader (descriptor XML or ASCII dYYYY.bin) on any bytes. A bad file
// must be a trials::AnalysisError naming the reason, never a crash or another exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "trials/analysis/mesh.hpp"
#include "trials/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto mesh = trials::analysis::MeshThesaurus::parse(text, "fuzz");
        (void)mesh;
    } catch (const trials::AnalysisError& e) {
        if (std::string_view(e.what()).empty()) __builtin_trap();
    }
    return 0;
}
