// The analyzer registry ("prose", "name", "identifier"), the built-in stop list, and the loaders
// of the stop word and synonym files, plus phrase_key().
#include "trials/analysis/registry.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <utility>

#include "analyzer_impl.hpp"
#include "token_units.hpp"
#include "trials/error.hpp"

namespace trials::analysis {
namespace {

// Mirrors data/stopwords.txt: function words only. Negations (no, not, without), comparatives
// and prepositions that carry meaning in eligibility criteria (before, after, within) are kept.
std::vector<std::string> builtin_stopwords() {
    static constexpr std::array<std::string_view, 52> kWords{
        "a",     "an",    "and", "are",  "as",   "at",    "be",    "been", "being", "but",  "by",
        "can",   "could", "did", "do",   "does", "for",   "from",  "had",  "has",   "have", "he",
        "his",   "i",     "if",  "in",   "into", "is",    "it",    "its",  "of",    "on",   "or",
        "our",   "she",   "so",  "such", "that", "the",   "their", "them", "these", "they", "this",
        "those", "to",    "was", "we",   "were", "which", "will",  "with"};
    return {kWords.begin(), kWords.end()};
}

std::string trim(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::ifstream open_resource(const std::filesystem::path& path, std::string_view what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw AnalysisError("cannot open " + std::string(what) + " file " + path.string());
    return in;
}

}  // namespace

struct AnalyzerRegistry::Impl {
    std::vector<std::pair<std::string, std::unique_ptr<TrialsAnalyzer>>> analyzers;
};

AnalyzerRegistry::AnalyzerRegistry() : AnalyzerRegistry(AnalysisResources{builtin_stopwords()}) {}

AnalyzerRegistry::AnalyzerRegistry(const AnalysisResources& resources)
    : impl_(std::make_unique<Impl>()) {
    const auto add = [&](std::string name, bool stem, bool stop, bool join_numbers) {
        AnalyzerOptions options;
        options.stem = stem;
        options.stopwords = stop;
        options.join_numbers = join_numbers;
        impl_->analyzers.emplace_back(
            std::move(name), std::make_unique<TrialsAnalyzer>(options, resources.stopwords));
    };
    add("prose", true, true, false);
    add("name", true, true, false);
    add("identifier", false, false, true);
}

AnalyzerRegistry::~AnalyzerRegistry() = default;

const Analyzer& AnalyzerRegistry::get(std::string_view name) const {
    for (const auto& [n, analyzer] : impl_->analyzers) {
        if (n == name) return *analyzer;
    }
    throw AnalysisError("unknown analyzer '" + std::string(name) + "'");
}

std::vector<std::string> AnalyzerRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& entry : impl_->analyzers) out.push_back(entry.first);
    return out;
}

std::vector<std::string> load_stopwords(const std::filesystem::path& path) {
    std::ifstream in = open_resource(path, "stop word");
    std::vector<std::string> words;
    std::string line;
    while (std::getline(in, line)) {
        const std::string word = trim(std::string_view(line).substr(0, line.find('#')));
        if (word.empty()) continue;
        std::string lower = word;
        for (char& c : lower) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        }
        if (std::find(words.begin(), words.end(), lower) == words.end()) words.push_back(lower);
    }
    if (in.bad()) throw AnalysisError("error reading stop word file " + path.string());
    return words;
}

std::vector<SynonymGroup> load_synonyms(const std::filesystem::path& path,
                                        const Analyzer& analyzer) {
    std::ifstream in = open_resource(path, "synonym");
    std::vector<SynonymGroup> groups;
    std::string line;
    std::size_t line_no = 0;
    const auto fail = [&](const std::string& why) {
        throw AnalysisError(path.string() + ":" + std::to_string(line_no) + ": " + why);
    };
    while (std::getline(in, line)) {
        ++line_no;
        const std::string body = trim(std::string_view(line).substr(0, line.find('#')));
        if (body.empty()) continue;
        std::vector<std::string> raw;
        std::size_t from = 0;
        for (std::size_t k = 0; k <= body.size(); ++k) {
            if (k == body.size() || body[k] == '|' || body[k] == ',') {
                raw.push_back(trim(std::string_view(body).substr(from, k - from)));
                from = k + 1;
            }
        }
        if (raw.size() < 2) fail("a synonym group needs at least two phrases");
        SynonymGroup group;
        for (const std::string& phrase : raw) {
            if (phrase.empty()) fail("empty phrase in synonym group");
            std::string key = phrase_key(analyzer, phrase);
            if (key.empty()) fail("phrase '" + phrase + "' has no searchable terms");
            if (std::find(group.phrases.begin(), group.phrases.end(), key) == group.phrases.end()) {
                group.phrases.push_back(std::move(key));
            }
        }
        if (group.phrases.size() >= 2) groups.push_back(std::move(group));
    }
    if (in.bad()) throw AnalysisError("error reading synonym file " + path.string());
    return groups;
}

std::string phrase_key(const Analyzer& analyzer, std::string_view text) {
    std::vector<Token> tokens;
    analyzer.analyze(text, tokens);
    std::vector<TokenUnit> units;
    group_units(tokens, units);
    std::string key;
    for (const TokenUnit& unit : units) {
        if (!key.empty()) key.push_back(' ');
        key += unit_key(tokens, unit);
    }
    return key;
}

}  // namespace trials::analysis
