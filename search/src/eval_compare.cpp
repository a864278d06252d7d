// Paired significance of the difference between two systems' per-topic scores (eval.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "trials/error.hpp"
#include "trials/search/eval.hpp"

namespace trials::search::eval {
namespace {

double mean(const std::vector<double>& v) {
    double s = 0;
    for (const double x : v) s += x;
    return v.empty() ? 0 : s / static_cast<double>(v.size());
}

// std::mt19937_64's output is fixed by the standard (its distributions are not): the draws below
// use its bits directly, so every platform prints the same p and interval.
Comparison test(std::string measure, const std::vector<double>& a, const std::vector<double>& b,
                unsigned rounds) {
    Comparison c;
    c.measure = std::move(measure);
    c.topics = a.size();
    c.mean_a = mean(a);
    c.mean_b = mean(b);
    std::vector<double> d(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        d[i] = a[i] - b[i];
        if (d[i] > 1e-12) ++c.better;
        if (d[i] < -1e-12) ++c.worse;
    }
    c.diff = mean(d);
    const auto n = d.size();
    std::mt19937_64 bits(20211);
    std::size_t hits = 0;
    const double observed = std::abs(c.diff) - 1e-12;  // ties count as extreme
    for (unsigned r = 0; r < rounds; ++r) {
        double s = 0;
        std::uint64_t word = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (i % 64 == 0) word = bits();
            s += ((word >> (i % 64)) & 1U) != 0 ? d[i] : -d[i];
        }
        if (std::abs(s / static_cast<double>(n)) >= observed) ++hits;
    }
    c.p = static_cast<double>(hits + 1) / static_cast<double>(rounds + 1);
    std::vector<double> means;
    means.reserve(rounds);
    for (unsigned r = 0; r < rounds; ++r) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) {
            // An index in [0, n) from the top 53 bits (no modulo bias worth the name at n < 2^20).
            const double u = static_cast<double>(bits() >> 11) * 0x1.0p-53;
            s += d[std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)))];
        }
        means.push_back(s / static_cast<double>(n));
    }
    std::sort(means.begin(), means.end());
    const auto at = [&](double q) {
        return means[std::min(means.size() - 1,
                              static_cast<std::size_t>(q * static_cast<double>(means.size())))];
    };
    c.ci_low = rounds > 0 ? at(0.025) : c.diff;
    c.ci_high = rounds > 0 ? at(0.975) : c.diff;
    return c;
}

}  // namespace

std::vector<Comparison> compare(const Summary& a, const Summary& b, unsigned rounds) {
    std::map<std::string, const TopicScores*> other;
    for (const auto& t : b.topics) {
        if (t.relevant > 0) other[t.topic] = &t;
    }
    std::vector<double> ndcg_a, ndcg_b, p_a, p_b, rr_a, rr_b;
    for (const auto& t : a.topics) {
        const auto it = other.find(t.topic);
        if (t.relevant == 0 || it == other.end()) continue;
        ndcg_a.push_back(t.ndcg10);
        ndcg_b.push_back(it->second->ndcg10);
        p_a.push_back(t.p10);
        p_b.push_back(it->second->p10);
        rr_a.push_back(t.mrr);
        rr_b.push_back(it->second->mrr);
    }
    if (ndcg_a.empty()) {
        throw BadInputError("the runs compared share no topic with a relevant judged trial");
    }
    return {test("ndcg_cut_10", ndcg_a, ndcg_b, rounds), test("P_10", p_a, p_b, rounds),
            test("recip_rank", rr_a, rr_b, rounds)};
}

void print_comparison(std::ostream& out, const std::string& name,
                      const std::vector<Comparison>& cs) {
    for (const auto& c : cs) {
        out << fmt::format(
            "compare\t{}\t{}\tdiff {:+.4f}\tci95 {:+.4f} {:+.4f}\tp {:.4f}\tbetter {}\tworse {}\t"
            "of {}\n",
            name, c.measure, c.diff, c.ci_low, c.ci_high, c.p, c.better, c.worse, c.topics);
    }
}

}  // namespace trials::search::eval
