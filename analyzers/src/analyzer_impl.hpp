// The one Analyzer implementation (private): normaliser + tokenizer + stop filter, with English
// stems from a small pool of Xapian stemmers (a Xapian::Stem is not safe to share between
// threads). Immutable after construction apart from the internally locked pool.
#pragma once

#include <xapian.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "normalizer.hpp"
#include "tokenizer.hpp"
#include "trials/analysis/analyzer.hpp"

namespace trials::analysis {

class TrialsAnalyzer final : public Analyzer {
  public:
    TrialsAnalyzer(const AnalyzerOptions& options, const std::vector<std::string>& stopwords);
    ~TrialsAnalyzer() override;
    TrialsAnalyzer(const TrialsAnalyzer&) = delete;
    TrialsAnalyzer& operator=(const TrialsAnalyzer&) = delete;

    std::uint32_t analyze(std::string_view text, std::vector<Token>& out,
                          std::uint32_t first_position = 0) const override;
    [[nodiscard]] std::string stem(const Token& token) const override;
    [[nodiscard]] const AnalyzerOptions& options() const override { return options_; }

    // Stems of many tokens with one pooled stemmer; stems[i] is empty where stem() would be.
    void stem_all(const std::vector<Token>& tokens, std::vector<std::string>& stems) const;

  private:
    class StemmerLease;

    AnalyzerOptions options_;
    Normalizer normalizer_;
    Tokenizer tokenizer_;
    StopSet stop_;
    mutable std::mutex pool_mutex_;
    mutable std::vector<std::unique_ptr<Xapian::Stem>> pool_;
};

// Stems of tokens produced by any Analyzer (uses stem_all when it is a TrialsAnalyzer).
void stem_tokens(const Analyzer& analyzer, const std::vector<Token>& tokens,
                 std::vector<std::string>& stems);

}  // namespace trials::analysis
