// Making one synthetic study from the seed model: facets, dates, topic (conditions, MeSH,
// interventions, arms, outcome time frames) and sponsor/sites are taken from three different
// random seed studies, so the joint distributions the seed has (observational studies without
// phases, withdrawn studies with 0 enrolled) carry over; every text retells the topic study's
// text of that field (its words in shuffled runs, a step along the field's word chain now and
// then, about its length), so a generated study is about one topic, as registry studies
// are, and each word is in as many studies as in the seed. Study i of seed S is the same whatever
// else is generated, so generation can run in parallel and in any order.
#pragma once

#include <cstdint>
#include <string>

#include "seed_model.hpp"
#include "trials/records/study.hpp"

namespace trials::corpus {

// Synthetic NCT ids: "NCT8" + 7 digits (index + 1), outside the range real ids use today.
inline constexpr std::uint64_t kMaxStudies = 9'999'999;

struct GenerateOptions {
    std::uint64_t seed = 1;
    double novel_word_rate = 0.001;  // new code words, so the vocabulary grows with size
};

[[nodiscard]] std::string synthetic_nct_id(std::uint64_t index);

[[nodiscard]] records::Study generate_study(const SeedModel& model, const GenerateOptions& options,
                                            std::uint64_t index);

}  // namespace trials::corpus
