// Seeded random text (mixed scripts, combining marks, NBSP, Greek, dashes, comparators,
// superscripts, invalid bytes): the stream invariants hold for every input, and four threads
// sharing ONE analyzer produce exactly what a single-threaded run produces.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "test_helpers.hpp"
#include "trials/analysis/registry.hpp"
#include "trials/analysis/xapian_bridge.hpp"

namespace trials::analysis {
namespace {

using testing::invariants_hold;

// Pieces the generator strings together: ASCII words and punctuation, other scripts, marks,
// spaces and ill-formed byte sequences.
// clang-format off
constexpr std::string_view kPieces[] = {
    "SARS", "CoV", "covid", "19", "CD4", "IL", "6", "x", "10", "mg", "kg", "The", "of", "LUNG",
    "cancer", "NCT04447833", "2.5", "1,000", "-", "+", "/", "^", "%", ".", ",", ":", "'", "&",
    "<", ">", "=", "(", ")", " ", " ", " ", "\t", "\n", "\xC2\xA0",          // NBSP
    "\xCE\xB1", "\xCE\xB2", "\xCE\xB3", "\xCE\x94", "\xC2\xB5", "\xCE\xBC",  // Greek, micro
    "\xCC\x81", "\xCC\x88", "\xE2\x83\x97",                                  // combining marks
    "\xC3\xA9", "\xC3\x9F", "\xEF\xAC\x81",                                  // é ß ﬁ
    "\xE2\x80\x90", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x88\x92",          // dashes, minus
    "\xE2\x80\x99", "\xE2\x80\x9C", "\xE2\x89\xA5", "\xE2\x89\xA4",          // quotes, >= <=
    "\xC2\xB2", "\xE2\x81\xB6", "\xE2\x81\xBB", "\xC3\x97",                  // ² ⁶ ⁻ ×
    "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",                      // Москва
    "\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A\xD8\xA9",              // Arabic
    "\xE8\x82\xBA\xE7\x99\x8C", "\xE3\x81\x8C\xE3\x82\x93",                  // 肺癌 がん
    "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\x82",                                  // Devanagari
    "\xED\x95\x9C", "\xE1\x84\x92\xE1\x85\xA1",                              // Hangul, jamo
    "\xF0\x9F\x98\x80", "\xE2\x80\x8B", "\xC2\xAD", "\xEF\xBF\xBD",          // emoji, ZWSP...
    "\xFF", "\x80", "\xC0\xAF", "\xE2\x82", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xCE",
    std::string_view("\0", 1),
};
// clang-format on

std::vector<std::string> random_texts(std::uint32_t seed, std::size_t count) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<std::size_t> piece(0, std::size(kPieces) - 1);
    std::uniform_int_distribution<std::size_t> length(0, 40);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count; ++i) {
        std::string text;
        for (std::size_t n = length(rng); n > 0; --n) text += kPieces[piece(rng)];
        out.push_back(std::move(text));
    }
    return out;
}

// Everything observable about a stream: terms, flags, positions, offsets and stems.
std::string fingerprint(const Analyzer& analyzer, const std::vector<Token>& tokens,
                        std::uint32_t next) {
    std::string out = std::to_string(next) + ':';
    for (const Token& t : tokens) {
        out += t.term + '[' + std::to_string(t.position) + ',' + std::to_string(t.start) + '-' +
               std::to_string(t.end) + (t.keyword ? "k" : "") + (t.joined ? "j" : "") + '>' +
               analyzer.stem(t) + "] ";
    }
    return out;
}

std::vector<std::string> run_all(const Analyzer& analyzer, const std::vector<std::string>& texts) {
    std::vector<std::string> out;
    std::vector<Token> tokens;
    for (const std::string& text : texts) {
        tokens.clear();
        const std::uint32_t next = analyzer.analyze(text, tokens, 1);
        out.push_back(fingerprint(analyzer, tokens, next));
    }
    return out;
}

TEST(RandomText, InvariantsHoldForEveryAnalyzer) {
    const AnalyzerRegistry registry;
    const std::vector<std::string> texts = random_texts(20240601, 3000);
    for (const std::string& name : registry.names()) {
        const Analyzer& analyzer = registry.get(name);
        for (const std::string& text : texts) {
            std::vector<Token> tokens;
            const std::uint32_t next = analyzer.analyze(text, tokens, 1);
            ASSERT_TRUE(invariants_hold(text, tokens, 1, next))
                << name << ": " << ::testing::PrintToString(text);
            for (const Token& t : tokens) {
                ASSERT_TRUE(testing::valid_utf8(analyzer.stem(t))) << t.term;
            }
        }
    }
}

TEST(RandomText, FourThreadsShareOneAnalyzer) {
    const AnalyzerRegistry registry;
    const Analyzer& analyzer = registry.get("prose");
    const std::vector<std::string> texts = random_texts(7, 2000);
    const std::vector<std::string> expected = run_all(analyzer, texts);

    constexpr int kThreads = 4;
    std::vector<std::vector<std::string>> results(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            // Each thread walks the inputs from a different starting point.
            std::vector<std::string> mine(texts.size());
            std::vector<Token> tokens;
            const std::size_t offset = texts.size() * static_cast<std::size_t>(t) / kThreads;
            for (std::size_t k = 0; k < texts.size(); ++k) {
                const std::size_t i = (k + offset) % texts.size();
                tokens.clear();
                const std::uint32_t next = analyzer.analyze(texts[i], tokens, 1);
                mine[i] = fingerprint(analyzer, tokens, next);
            }
            results[static_cast<std::size_t>(t)] = std::move(mine);
        });
    }
    for (std::thread& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) {
        const auto& got = results[static_cast<std::size_t>(t)];
        ASSERT_EQ(got.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            ASSERT_EQ(got[i], expected[i])
                << "thread " << t << " input " << ::testing::PrintToString(texts[i]);
        }
    }
}

// Symmetry on arbitrary text: whatever a string analyses to, indexing it and querying it (quoted
// or not) finds the document.
TEST(RandomText, IndexedTextFindsItself) {
    const AnalyzerRegistry registry;
    const std::vector<std::string> texts = random_texts(99, 400);
    for (const std::string& name : registry.names()) {
        const Analyzer& analyzer = registry.get(name);
        for (const std::string& text : texts) {
            Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
            Xapian::Document doc;
            Xapian::termpos pos = 1;
            std::vector<Token> scratch;
            index_text(doc, analyzer, text, {IndexTarget{"XT", 1, true}}, pos, scratch);
            db.add_document(doc);
            for (const bool phrase : {false, true}) {
                TextQueryOptions options;
                options.fields = {{"XT", 1.0}};
                options.phrase = phrase;
                const Xapian::Query query = build_text_query(analyzer, text, options);
                if (scratch.empty()) {
                    EXPECT_TRUE(query.empty());
                    continue;
                }
                Xapian::Enquire enquire(db);
                enquire.set_query(query);
                ASSERT_EQ(enquire.get_mset(0, 1).size(), 1U)
                    << name << (phrase ? " quoted: " : ": ") << ::testing::PrintToString(text)
                    << "\n"
                    << query.get_description();
            }
        }
    }
}

}  // namespace
}  // namespace trials::analysis
