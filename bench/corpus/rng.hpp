// A small deterministic random generator (SplitMix64) and the draws the corpus generator needs.
// std:: distributions are not portable between standard libraries; these are, so a seed gives
// the same corpus everywhere.
#pragma once

#include <cstddef>
#include <cstdint>

namespace trials::corpus {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    // An independent stream for item `index` of the stream `seed` (studies generate in any order).
    Rng(std::uint64_t seed, std::uint64_t index) : state_(mix(seed ^ mix(index + 0x632be59bd9b4e019ULL))) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        return mix(z);
    }
    // In [0, n), n > 0 (modulo bias is below 2^-40 for the n used here).
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    // Uniform in [lo, hi].
    long between(long lo, long hi) {
        return lo + static_cast<long>(below(static_cast<std::size_t>(hi - lo + 1)));
    }

private:
    static std::uint64_t mix(std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint64_t state_;
};

}  // namespace trials::corpus
