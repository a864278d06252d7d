// Unit tests of the spelling words taken from a built document: short fields only, no numbers,
// no identifiers, each word once; and the table they make in a database.
#include "trials/indexer/spelling.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "trials/indexer/document_builder.hpp"

namespace trials::indexer {
namespace {

using ::testing::Contains;
using ::testing::Not;

records::Study study() {
    records::Study s;
    s.nct_id = "NCT09900001";
    s.brief_title = "Tocilizumab in Severe COVID-19 Pneumonia";
    s.brief_summary = "A summaryonlyword appears in the summary, 450 adults.";
    s.overall_status = "COMPLETED";
    s.conditions = {"Cytokine Release Syndrome"};
    s.keywords = {"interleukin-6"};
    records::Intervention i;
    i.type = "DRUG";
    i.name = "RoActemra";
    s.interventions = {i};
    s.condition_mesh = {{"D000086382", "COVID-19"}};
    s.condition_mesh_ancestors = {{"D018352", "Coronavirus Infections"}};
    return s;
}

TEST(SpellingWords, ShortFieldsOnly) {
    analysis::AnalyzerRegistry registry;
    DocumentBuilder b(registry, nullptr);
    const auto words = spelling_words(b.build(study()));
    for (const char* w : {"tocilizumab", "severe", "pneumonia", "cytokine", "release", "syndrome",
                          "interleukin", "roactemra", "coronavirus", "infections", "covid"}) {
        EXPECT_THAT(words, Contains(w)) << w;
    }
    EXPECT_THAT(words, Not(Contains("summaryonlyword")));  // long fields are left out
    EXPECT_THAT(words, Not(Contains("450")));
    EXPECT_THAT(words, Not(Contains("19")));
    for (const auto& w : words) {
        EXPECT_GE(w.size(), 3u) << w;
        EXPECT_EQ(w.find(':'), std::string::npos) << w;  // no "XMD:" descriptor ids
    }
    EXPECT_TRUE(std::is_sorted(words.begin(), words.end()));
    EXPECT_EQ(std::adjacent_find(words.begin(), words.end()), words.end());  // each word once
}

TEST(SpellingWords, MakeASpellingTable) {
    analysis::AnalyzerRegistry registry;
    DocumentBuilder b(registry, nullptr);
    // The in-memory backend has no spelling table: a glass database in a temporary directory.
    const auto dir =
        std::filesystem::temp_directory_path() / ("trials-spelling-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    const auto words = spelling_words(b.build(study()));
    add_spelling_words(db, words);
    EXPECT_EQ(db.get_spelling_suggestion("tocilizumb"), "tocilizumab");
    EXPECT_EQ(db.get_spelling_suggestion("pneumnia"), "pneumonia");
    remove_spelling_words(db, words);
    EXPECT_EQ(db.get_spelling_suggestion("tocilizumb"), "");
    db.close();
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace trials::indexer
