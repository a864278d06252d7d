// The ranking function of keyword search, its --explain and patient search: BM25 with parameters
// chosen on TREC Clinical Trials 2021 and SIGIR 2016 (README "Relevance"; Xapian's defaults are
// k1 1, b 0.5, and score 0.015 nDCG@10 lower on 2021 with our keyword search over the note).
#pragma once

#include <xapian.h>

namespace trials::search {

inline constexpr double kBm25K1 = 1.4;
inline constexpr double kBm25B = 0.75;
// Words ORed (--any, patient notes): only this many of the rarest are searched (chosen on TREC
// 2021 and SIGIR; all the words of a TREC note made it 5x slower at 100k studies; README).
inline constexpr unsigned kMaxOrWords = 40;

[[nodiscard]] inline Xapian::BM25Weight bm25_weighting(double k1 = kBm25K1, double b = kBm25B) {
    return Xapian::BM25Weight(k1, 0, 1, b, 0.5);
}

}  // namespace trials::search
