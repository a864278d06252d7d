// The explicit analyzer registry: built once by the application from resource files and passed by
// const reference. No singletons. Names: "prose" (stems, stop words), "name" (condition,
// intervention, sponsor, location and MeSH names: stems, stop words), "identifier" (ids: no stems,
// no stop words).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trials/analysis/analyzer.hpp"

namespace trials::analysis {

// A curated synonym list: groups of equivalent phrases, e.g. {"il-6", "il6", "interleukin 6"}.
// File format (data/synonyms.txt): one group per line, phrases separated by '|' or ',';
// '#' starts a comment. Each phrase is stored as its analysed term sequence (unstemmed terms joined
// by a single space), so "IL-6" and "il6" meet.
struct SynonymGroup {
    std::vector<std::string> phrases;  // analysed term sequences, first = preferred
};

struct AnalysisResources {
    std::vector<std::string> stopwords;  // already lower-case
};

class AnalyzerRegistry {
public:
    // Built-in English stop words (a short list suited to trial text, see data/stopwords.txt).
    AnalyzerRegistry();
    explicit AnalyzerRegistry(const AnalysisResources& resources);
    ~AnalyzerRegistry();
    AnalyzerRegistry(const AnalyzerRegistry&) = delete;
    AnalyzerRegistry& operator=(const AnalyzerRegistry&) = delete;

    // Throws trials::AnalysisError for an unknown name.
    [[nodiscard]] const Analyzer& get(std::string_view name) const;
    [[nodiscard]] std::vector<std::string> names() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Loads a stop word file: one word per line, '#' comments. Throws trials::AnalysisError.
[[nodiscard]] std::vector<std::string> load_stopwords(const std::filesystem::path& path);

// Loads a synonym file (format above), analysing each phrase with the analyzer.
// Throws trials::AnalysisError naming the file and line on a malformed line.
[[nodiscard]] std::vector<SynonymGroup> load_synonyms(const std::filesystem::path& path,
                                                      const Analyzer& analyzer);

// The analysed term sequence of a phrase (terms at distinct positions, preferring the joined
// form when a compound was split), joined by single spaces: the key used for synonyms.
[[nodiscard]] std::string phrase_key(const Analyzer& analyzer, std::string_view text);

}  // namespace trials::analysis
