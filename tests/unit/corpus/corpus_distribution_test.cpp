// Generated studies are statistically like their seed corpus: facet shares (status, phase, study
// type), how often a field is present, median field lengths, the share of studies each common
// word is in, and how many distinct words a study has, within stated tolerances.
// Seeds: data/sample (always) and the ~11.8k real records of ../shared/data/real (skipped when
// absent).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <set>

#include "corpus_support.hpp"

namespace trials::corpus::test {
namespace {

using Shares = std::map<std::string, double>;

Shares shares(const std::vector<records::Study>& studies,
              const std::function<std::string(const records::Study&)>& key) {
    Shares out;
    for (const records::Study& s : studies) out[key(s)] += 1.0 / static_cast<double>(studies.size());
    return out;
}

double median_length(const std::vector<records::Study>& studies,
                     const std::function<const std::string&(const records::Study&)>& field) {
    std::vector<std::size_t> lengths;
    for (const records::Study& s : studies) {
        if (!field(s).empty()) lengths.push_back(field(s).size());
    }
    if (lengths.empty()) return 0;
    std::nth_element(lengths.begin(), lengths.begin() + static_cast<long>(lengths.size() / 2),
                     lengths.end());
    return static_cast<double>(lengths[lengths.size() / 2]);
}

double present(const std::vector<records::Study>& studies,
               const std::function<const std::string&(const records::Study&)>& field) {
    double n = 0;
    for (const records::Study& s : studies) n += field(s).empty() ? 0 : 1;
    return n / static_cast<double>(studies.size());
}

// The lower-cased letter-and-digit words of a study's narrative (titles, summary, description,
// eligibility), each once.
std::set<std::string> narrative_words(const records::Study& s) {
    std::set<std::string> out;
    for (const std::string* text : {&s.brief_title, &s.official_title, &s.brief_summary,
                                    &s.detailed_description, &s.eligibility_criteria}) {
        std::string w;
        for (const char c : *text + " ") {
            if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
                w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            } else if (!w.empty()) {
                out.insert(w);
                w.clear();
            }
        }
    }
    return out;
}

struct WordStats {
    Shares df;  // share of the studies each word is in
    double distinct = 0;  // distinct words per study, mean
};

WordStats word_stats(const std::vector<records::Study>& studies) {
    WordStats st;
    const double n = static_cast<double>(studies.size());
    for (const records::Study& s : studies) {
        const auto words = narrative_words(s);
        st.distinct += static_cast<double>(words.size()) / n;
        for (const std::string& w : words) st.df[w] += 1.0 / n;
    }
    return st;
}

// Words are in as many studies as in the seed: a text model that spreads every word evenly
// (one global chain) puts a topic's words, "covid" or "cancer", in most studies, which makes
// posting lists longer and studies more varied than the registry's.
void expect_words_like(const std::vector<records::Study>& seed, const std::vector<records::Study>& gen,
                       double df_tol, double distinct_tol) {
    const WordStats a = word_stats(seed);
    const WordStats b = word_stats(gen);
    std::vector<std::pair<double, std::string>> common;
    for (const auto& [w, share] : a.df) {
        if (share >= 0.05 && share <= 0.6) common.emplace_back(share, w);
    }
    ASSERT_GE(common.size(), 10u) << "too few common words to compare";
    std::size_t off = 0;
    std::string examples;
    for (const auto& [share, w] : common) {
        const auto it = b.df.find(w);
        const double g = it == b.df.end() ? 0.0 : it->second;
        if (std::abs(g - share) > df_tol * share) {
            if (++off <= 8) examples += " '" + w + "' " + std::to_string(g) + " (seed " + std::to_string(share) + ")";
        }
    }
    std::cout << off << " of " << common.size() << " common words off by more than " << df_tol * 100
              << "%; distinct words per study: generated " << b.distinct << ", seed " << a.distinct
              << "\n";
    EXPECT_LE(off, common.size() / 20)
        << off << " of " << common.size() << " words in 5-60% of the seed studies are in a share of the generated studies off by more than "
        << df_tol * 100 << "%, e.g." << examples;
    EXPECT_NEAR(b.distinct / a.distinct, 1.0, distinct_tol)
        << "distinct words per study: generated " << b.distinct << ", seed " << a.distinct;
}

void expect_shares_close(const Shares& seed, const Shares& gen, double min_share, double tol,
                         const char* what) {
    std::size_t checked = 0;
    for (const auto& [value, share] : seed) {
        if (share < min_share) continue;
        ++checked;
        const auto it = gen.find(value);
        const double g = it == gen.end() ? 0.0 : it->second;
        EXPECT_NEAR(g, share, tol) << what << " " << value;
    }
    EXPECT_GE(checked, 2u) << what << ": too few values to compare";
}

// Seed studies read from `paths`, the model learned from them, 3000 generated studies, compared.
void expect_like_seed(const std::vector<fs::path>& paths, double share_tol, double length_tol,
                      double df_tol, double distinct_tol) {
    SeedModel model;
    std::vector<records::Study> seed;
    for (const fs::path& p : paths) {
        model.learn_path(p);
        ReadBack r = read_back(p);
        for (auto& s : r.studies) seed.push_back(std::move(s));
    }
    ASSERT_EQ(seed.size(), model.summary().studies);
    std::vector<records::Study> gen;
    GenerateOptions o;
    o.seed = 11;
    for (std::uint64_t i = 0; i < 3000; ++i) gen.push_back(generate_study(model, o, i));

    const auto status = [](const records::Study& s) { return s.overall_status; };
    const auto phase = [](const records::Study& s) {
        std::string k;
        for (const std::string& p : s.phases) k += p + " ";
        return k.empty() ? std::string("none") : k;
    };
    const auto type = [](const records::Study& s) { return s.study_type; };
    expect_shares_close(shares(seed, status), shares(gen, status), 0.05, share_tol, "status");
    expect_shares_close(shares(seed, phase), shares(gen, phase), 0.05, share_tol, "phases");
    expect_shares_close(shares(seed, type), shares(gen, type), 0.05, share_tol, "study type");

    using Field = std::function<const std::string&(const records::Study&)>;
    const std::vector<std::pair<const char*, Field>> fields{
        {"brief_summary", [](const records::Study& s) -> const std::string& { return s.brief_summary; }},
        {"detailed_description",
         [](const records::Study& s) -> const std::string& { return s.detailed_description; }},
        {"eligibility_criteria",
         [](const records::Study& s) -> const std::string& { return s.eligibility_criteria; }},
        {"official_title", [](const records::Study& s) -> const std::string& { return s.official_title; }},
    };
    for (const auto& [name, field] : fields) {
        const double want = median_length(seed, field);
        ASSERT_GT(want, 0) << name;
        EXPECT_NEAR(median_length(gen, field) / want, 1.0, length_tol) << name;
        EXPECT_NEAR(present(gen, field), present(seed, field), share_tol) << name << " present";
    }
    expect_words_like(seed, gen, df_tol, distinct_tol);
}

TEST(CorpusDistributions, LikeTheSampleSeed) {
    expect_like_seed({fs::path(TRIALS_SAMPLE_DATA) / "sample"}, 0.04, 0.30, 0.5, 0.25);
}

TEST(CorpusDistributions, LikeTheRealSeedRecords) {
    const fs::path shared = TRIALS_SHARED_DATA;
    const std::vector<fs::path> paths{shared / "ctgov-xml-covid-kaggle/clinical_studies_xml.tar.gz",
                                      shared / "ctgov-xml-reesewang/clinical_studies_xml.tar.gz"};
    for (const fs::path& p : paths) {
        if (!fs::exists(p)) GTEST_SKIP() << "real records absent: " << p;
    }
    expect_like_seed(paths, 0.03, 0.20, 0.25, 0.10);
}

}  // namespace
}  // namespace trials::corpus::test
