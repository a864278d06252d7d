// What the corpus generator learns from a seed corpus of real records: word chains and length
// distributions for every text field, and "donor" studies (text stripped) whose facets, dates,
// conditions, MeSH terms, interventions, sponsors and sites are recombined into new studies.
// Nothing is written down from the seed: the model lives in memory for one run, so the project
// ships the generator, never the real text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rng.hpp"
#include "trials/records/study.hpp"

namespace trials::corpus {

// Text fields with their own word chain and length distribution.
enum class TextKind {
    BriefTitle,
    OfficialTitle,
    Summary,
    Description,
    Eligibility,
    OutcomeMeasure,
    OutcomeDescription,
    ArmDescription,
    InterventionDescription,
};
inline constexpr std::size_t kTextKinds = 9;

// Words (split on spaces; punctuation and line breaks stay inside them) seen in any field.
class Vocabulary {
public:
    std::uint32_t id(std::string_view word);
    [[nodiscard]] const std::string& word(std::uint32_t id) const { return words_[id]; }
    [[nodiscard]] std::size_t size() const { return words_.size(); }

private:
    std::unordered_map<std::string, std::uint32_t> ids_;
    std::vector<std::string> words_;
};

// A first-order word chain over one field's texts plus the empirical distribution of their
// lengths in words (0 for a study without the field, so presence shares carry over too).
class WordChain {
public:
    void learn(std::string_view text, Vocabulary& vocab);
    [[nodiscard]] std::size_t sample_length(Rng& rng) const;
    // `words` words: a walk along the chain, restarting at a text opening at dead ends; about
    // one word in novel_rate is a new code word (vocabulary keeps growing with corpus size).
    [[nodiscard]] std::string generate(Rng& rng, const Vocabulary& vocab, std::size_t words,
                                       double novel_rate) const;
    [[nodiscard]] std::size_t learned_words() const { return learned_words_; }
    [[nodiscard]] bool empty() const { return starts_.empty(); }

private:
    std::vector<std::uint32_t> starts_;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> next_;
    std::vector<std::uint32_t> lengths_;
    std::size_t learned_words_ = 0;
};

struct SeedSummary {
    std::size_t files_read = 0;
    std::size_t studies = 0;
    std::size_t rejected = 0;
    std::uint64_t fingerprint = 0;  // FNV-1a over the seed NCT ids in reading order
    std::size_t vocabulary = 0;
};

class SeedModel {
public:
    // Caps the words each chain learns (memory stays bounded whatever the seed size).
    static constexpr std::size_t kMaxChainWords = std::size_t{6} << 20;

    void learn(const records::Study& study);
    // Reads every study under path (files, directories, archives; trials::records readers).
    void learn_path(const std::filesystem::path& path);

    [[nodiscard]] const SeedSummary& summary() const { return summary_; }
    [[nodiscard]] bool empty() const { return donors_.empty(); }
    [[nodiscard]] const records::Study& donor(Rng& rng) const {
        return donors_[rng.below(donors_.size())];
    }
    [[nodiscard]] const WordChain& chain(TextKind kind) const {
        return chains_[static_cast<std::size_t>(kind)];
    }
    [[nodiscard]] const Vocabulary& vocabulary() const { return vocab_; }

private:
    WordChain& chain_(TextKind kind) { return chains_[static_cast<std::size_t>(kind)]; }

    Vocabulary vocab_;
    std::vector<WordChain> chains_ = std::vector<WordChain>(kTextKinds);
    std::vector<records::Study> donors_;  // seed studies without their long text
    SeedSummary summary_;
};

}  // namespace trials::corpus
