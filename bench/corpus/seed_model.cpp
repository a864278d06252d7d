// Learning the seed model (see seed_model.hpp).
#include "seed_model.hpp"

#include <algorithm>
#include <stdexcept>

#include "trials/records/reader.hpp"

namespace trials::corpus {

std::uint32_t Vocabulary::id(std::string_view word) {
    auto [it, added] = ids_.try_emplace(std::string(word), static_cast<std::uint32_t>(words_.size()));
    if (added) words_.emplace_back(word);
    return it->second;
}

std::uint32_t Vocabulary::find(std::string_view word) const {
    const auto it = ids_.find(std::string(word));
    return it == ids_.end() ? kUnknown : it->second;
}

void WordChain::learn(std::string_view text, Vocabulary& vocab) {
    std::uint32_t count = 0;
    bool learning = learned_words_ < SeedModel::kMaxChainWords;
    std::uint32_t prev = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find(' ', pos), text.size());
        if (end > pos) {
            if (learning) {
                const std::uint32_t w = vocab.id(text.substr(pos, end - pos));
                if (count == 0) {
                    starts_.push_back(w);
                } else {
                    next_[prev].push_back(w);
                }
                prev = w;
                ++learned_words_;
            }
            ++count;
        }
        pos = end + 1;
    }
    lengths_.push_back(count);
}

std::size_t WordChain::sample_length(Rng& rng) const {
    return lengths_.empty() ? 0 : lengths_[rng.below(lengths_.size())];
}

namespace {

// A code word such as "QXR-4821" (compound and protocol codes are the registry's long tail).
std::string novel_word(Rng& rng) {
    std::string w;
    const long letters = rng.between(2, 4);
    for (long i = 0; i < letters; ++i) w += static_cast<char>('A' + rng.below(26));
    w += '-';
    const long digits = rng.between(2, 5);
    for (long i = 0; i < digits; ++i) w += static_cast<char>('0' + rng.below(10));
    return w;
}

}  // namespace

std::string WordChain::generate(Rng& rng, const Vocabulary& vocab, std::size_t words,
                                double novel_rate) const {
    std::string out;
    if (starts_.empty() || words == 0) return out;
    std::uint32_t w = starts_[rng.below(starts_.size())];
    for (std::size_t i = 0; i < words; ++i) {
        if (i > 0) {
            const auto it = next_.find(w);
            w = (it == next_.end()) ? starts_[rng.below(starts_.size())]
                                    : it->second[rng.below(it->second.size())];
            out += ' ';
        }
        if (novel_rate > 0 && rng.chance(novel_rate)) {
            out += novel_word(rng);
        } else {
            out += vocab.word(w);
        }
    }
    return out;
}

namespace {

// Calls f(kind, text) for every text of a study that has a word chain, in one fixed order.
template <class StudyT, class F>
void for_each_text(StudyT& s, F&& f) {
    f(TextKind::BriefTitle, s.brief_title);
    f(TextKind::OfficialTitle, s.official_title);
    f(TextKind::Summary, s.brief_summary);
    f(TextKind::Description, s.detailed_description);
    f(TextKind::Eligibility, s.eligibility_criteria);
    for (auto* list : {&s.primary_outcomes, &s.secondary_outcomes, &s.other_outcomes}) {
        for (auto& o : *list) {
            f(TextKind::OutcomeMeasure, o.measure);
            f(TextKind::OutcomeDescription, o.description);
        }
    }
    for (auto& a : s.arm_groups) f(TextKind::ArmDescription, a.description);
    for (auto& i : s.interventions) f(TextKind::InterventionDescription, i.description);
}

}  // namespace

std::string WordChain::retell(Rng& rng, const Vocabulary& vocab, std::string_view source,
                              std::size_t words, double novel_rate) const {
    std::vector<std::string_view> src;
    for (std::size_t pos = 0; pos < source.size();) {
        const std::size_t end = std::min(source.find(' ', pos), source.size());
        if (end > pos) src.push_back(source.substr(pos, end - pos));
        pos = end + 1;
    }
    if (src.empty()) return generate(rng, vocab, words, novel_rate);
    // the source cut into runs (a cut after a word with chance 1/kRetellRun), the runs shuffled:
    // every word of the source is told once before any is told again
    std::vector<std::pair<std::size_t, std::size_t>> runs;  // [begin, end)
    for (std::size_t b = 0, e = 1; e <= src.size(); ++e) {
        if (e == src.size() || rng.chance(1.0 / kRetellRun)) {
            runs.emplace_back(b, e);
            b = e;
        }
    }
    std::string out;
    std::string_view prev;
    std::size_t run = runs.size();
    std::size_t at = 0;
    for (std::size_t i = 0; i < words; ++i) {
        if (i > 0) out += ' ';
        std::string_view w;
        const std::uint32_t id = i > 0 && rng.chance(1.0 / kChainStep) ? vocab.find(prev)
                                                                          : Vocabulary::kUnknown;
        const auto it = id == Vocabulary::kUnknown ? next_.end() : next_.find(id);
        if (it != next_.end()) {
            w = vocab.word(it->second[rng.below(it->second.size())]);
        } else {
            if (run == runs.size() || at == runs[run].second) {
                if (run + 1 >= runs.size()) {  // told them all: a new order
                    for (std::size_t k = runs.size(); k > 1; --k) {
                        std::swap(runs[k - 1], runs[rng.below(k)]);
                    }
                    run = 0;
                } else {
                    ++run;
                }
                at = runs[run].first;
            }
            w = src[at++];
        }
        if (novel_rate > 0 && rng.chance(novel_rate)) {
            out += novel_word(rng);
        } else {
            out += w;
        }
        prev = w;
    }
    return out;
}

void SeedModel::learn(const records::Study& study) {
    for (char c : study.nct_id) {
        summary_.fingerprint = (summary_.fingerprint ^ static_cast<unsigned char>(c)) *
                               0x100000001b3ULL;
    }
    ++summary_.studies;
    for_each_text(study, [&](TextKind kind, const std::string& text) {
        chain_(kind).learn(text, vocab_);
    });

    records::Study donor = study;
    std::size_t bytes = 0;
    for_each_text(donor, [&](TextKind, const std::string& text) { bytes += text.size(); });
    if (text_donors_ < donors_.size() || donor_text_bytes_ + bytes > kMaxDonorTextBytes) {
        // past the cap: the structure only
        for_each_text(donor, [](TextKind, std::string& text) { text.clear(); });
    } else {
        donor_text_bytes_ += bytes;
        ++text_donors_;
    }
    donors_.push_back(std::move(donor));
    summary_.vocabulary = vocab_.size();
}

void SeedModel::learn_path(const std::filesystem::path& path) {
    std::string first_error;
    records::for_each_document(
        path, records::SourceOptions{},
        [&](records::RawDocument&& doc) {
            ++summary_.files_read;
            records::ParseResult result = records::parse_document(doc);
            summary_.rejected += result.errors.size();
            for (records::ParsedStudy& p : result.studies) learn(p.study);
            return true;
        },
        [&](records::InputError&& e) {
            ++summary_.rejected;
            if (first_error.empty()) first_error = e.to_string();
        });
    if (summary_.files_read == 0 && !first_error.empty()) {
        throw std::runtime_error("seed corpus: " + first_error);
    }
}

}  // namespace trials::corpus
