// What the corpus generator learns from a seed corpus of real records: word chains and length
// distributions for every text field, and "donor" studies whose facets, dates, conditions, MeSH
// terms, interventions, sponsors and sites are recombined into new studies and whose texts are
// retold (see WordChain::retell). Nothing is written down from the seed: the model lives in
// memory for one run, so the project ships the generator, never the real text.
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
    // The id of a known word, or kUnknown.
    [[nodiscard]] std::uint32_t find(std::string_view word) const;
    static constexpr std::uint32_t kUnknown = 0xffffffffU;
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
    // `words` words retelling `source`, one seed study's text of this field: its words in runs
    // (kRetellRun words on average) told in a random order, each once before any again, one
    // word in kChainStep a step along this chain instead, new code words as in generate(). A study's
    // words stay its topic's, as often as in the registry: a walk along one chain of every
    // study's text spreads each word evenly, putting "covid" into nine generated studies in ten
    // where the seed has it in four.
    [[nodiscard]] std::string retell(Rng& rng, const Vocabulary& vocab, std::string_view source,
                                     std::size_t words, double novel_rate) const;
    static constexpr std::size_t kRetellRun = 8;
    static constexpr std::size_t kChainStep = 10;
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
    // Caps the words each chain learns and the text the donors keep (memory stays bounded
    // whatever the seed size: a seed past the text cap lends its later studies' structure only,
    // their texts are walks along the chains).
    static constexpr std::size_t kMaxChainWords = std::size_t{6} << 20;
    static constexpr std::size_t kMaxDonorTextBytes = std::size_t{1} << 30;

    void learn(const records::Study& study);
    // Reads every study under path (files, directories, archives; trials::records readers).
    void learn_path(const std::filesystem::path& path);

    [[nodiscard]] const SeedSummary& summary() const { return summary_; }
    [[nodiscard]] bool empty() const { return donors_.empty(); }
    // A random seed study, and whether it kept its texts (the first studies up to the cap do).
    struct Donor {
        const records::Study& study;
        bool text;
    };
    [[nodiscard]] Donor donor(Rng& rng) const {
        const std::size_t i = rng.below(donors_.size());
        return {donors_[i], i < text_donors_};
    }
    [[nodiscard]] const WordChain& chain(TextKind kind) const {
        return chains_[static_cast<std::size_t>(kind)];
    }
    [[nodiscard]] const Vocabulary& vocabulary() const { return vocab_; }

private:
    WordChain& chain_(TextKind kind) { return chains_[static_cast<std::size_t>(kind)]; }

    Vocabulary vocab_;
    std::vector<WordChain> chains_ = std::vector<WordChain>(kTextKinds);
    std::vector<records::Study> donors_;  // seed studies (their text while under the cap)
    std::size_t donor_text_bytes_ = 0;
    std::size_t text_donors_ = 0;  // donors_[0, text_donors_) kept their texts
    SeedSummary summary_;
};

}  // namespace trials::corpus
