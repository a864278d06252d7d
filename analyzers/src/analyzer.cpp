// TrialsAnalyzer: the analysis chain (normaliser -> tokenizer -> stop filter) and the stemmer
// pool behind Analyzer::stem().
#include "analyzer_impl.hpp"
#include "trials/error.hpp"

namespace trials::analysis {

// Borrows a stemmer from the pool for one scope and gives it back.
class TrialsAnalyzer::StemmerLease {
  public:
    explicit StemmerLease(const TrialsAnalyzer& owner) : owner_(owner) {
        {
            const std::lock_guard lock(owner_.pool_mutex_);
            if (!owner_.pool_.empty()) {
                stemmer_ = std::move(owner_.pool_.back());
                owner_.pool_.pop_back();
            }
        }
        if (!stemmer_) {
            try {
                stemmer_ = std::make_unique<Xapian::Stem>("english");
            } catch (const Xapian::Error& e) {
                throw AnalysisError("Xapian English stemmer unavailable: " + e.get_description());
            }
        }
    }
    ~StemmerLease() {
        try {
            const std::lock_guard lock(owner_.pool_mutex_);
            owner_.pool_.push_back(std::move(stemmer_));
        } catch (...) {  // a failed push_back only loses the stemmer
        }
    }
    StemmerLease(const StemmerLease&) = delete;
    StemmerLease& operator=(const StemmerLease&) = delete;

    [[nodiscard]] std::string operator()(const std::string& word) const {
        return (*stemmer_)(word);
    }

  private:
    const TrialsAnalyzer& owner_;
    std::unique_ptr<Xapian::Stem> stemmer_;
};

TrialsAnalyzer::TrialsAnalyzer(const AnalyzerOptions& options,
                               const std::vector<std::string>& stopwords)
    : options_(options) {
    if (options_.stopwords) {
        NormalizedText normalized;
        for (const std::string& w : stopwords) {
            normalizer_.normalize(w, normalized);
            if (!normalized.text.empty()) stop_.insert(normalized.text);
        }
    }
    if (options_.stem) {
        try {
            pool_.push_back(std::make_unique<Xapian::Stem>("english"));
        } catch (const Xapian::Error& e) {
            throw AnalysisError("Xapian English stemmer unavailable: " + e.get_description());
        }
    }
}

TrialsAnalyzer::~TrialsAnalyzer() = default;

std::uint32_t TrialsAnalyzer::analyze(std::string_view text, std::vector<Token>& out,
                                      std::uint32_t first_position) const {
    NormalizedText normalized;
    normalizer_.normalize(text, normalized);
    return tokenizer_.tokenize(text, normalized, options_.stopwords ? &stop_ : nullptr,
                               options_.join_numbers, out, first_position);
}

std::string TrialsAnalyzer::stem(const Token& token) const {
    if (!options_.stem || token.keyword || token.term.empty()) return {};
    const StemmerLease stemmer(*this);
    return stemmer(token.term);
}

void TrialsAnalyzer::stem_all(const std::vector<Token>& tokens,
                              std::vector<std::string>& stems) const {
    stems.resize(tokens.size());
    if (!options_.stem) {
        for (std::string& s : stems) s.clear();
        return;
    }
    const StemmerLease stemmer(*this);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        stems[i] = t.keyword || t.term.empty() ? std::string() : stemmer(t.term);
    }
}

void stem_tokens(const Analyzer& analyzer, const std::vector<Token>& tokens,
                 std::vector<std::string>& stems) {
    if (const auto* own = dynamic_cast<const TrialsAnalyzer*>(&analyzer)) {
        own->stem_all(tokens, stems);
        return;
    }
    stems.resize(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) stems[i] = analyzer.stem(tokens[i]);
}

}  // namespace trials::analysis
