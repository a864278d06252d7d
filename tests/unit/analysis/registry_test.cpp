// Registry, stop word and synonym loaders, and phrase_key().
#include "trials/analysis/registry.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "test_helpers.hpp"
#include "trials/error.hpp"

namespace trials::analysis {
namespace {

using testing::render;

const std::filesystem::path kData = TRIALS_SAMPLE_DATA;

// A file in the temp directory, removed at scope exit.
class TempFile {
  public:
    explicit TempFile(std::string_view content)
        : path_(std::filesystem::temp_directory_path() /
                ("trials-analysis-" +
                 std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()))) {
        std::ofstream(path_, std::ios::binary) << content;
    }
    ~TempFile() { std::filesystem::remove(path_); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

TEST(Registry, NamesAndUnknownName) {
    const AnalyzerRegistry registry;
    EXPECT_EQ(registry.names(), (std::vector<std::string>{"prose", "name", "identifier"}));
    EXPECT_THROW((void)registry.get("bogus"), AnalysisError);
    EXPECT_EQ(&registry.get("prose"), &registry.get("prose"));
}

TEST(Registry, ResourcesReplaceTheBuiltInStopList) {
    const AnalyzerRegistry registry(AnalysisResources{{"cancer", "Lung"}});
    EXPECT_EQ(render(registry.get("prose"), "the lung cancer trial"), "the[0] trial[3]");
    EXPECT_EQ(render(registry.get("identifier"), "lung cancer"), "lung[0] cancer[1]");
}

TEST(Registry, StopWordFileMatchesTheBuiltInList) {
    const std::vector<std::string> words = load_stopwords(kData / "stopwords.txt");
    ASSERT_FALSE(words.empty());
    const AnalyzerRegistry builtin;
    const AnalyzerRegistry from_file(AnalysisResources{words});
    std::string all;
    for (const std::string& w : words) {
        all += w + ' ';
        std::vector<Token> tokens;
        builtin.get("prose").analyze(w, tokens);
        EXPECT_TRUE(tokens.empty()) << w << " is in stopwords.txt but not built in";
    }
    // And nothing else: a text of other words keeps every word under both.
    const std::string_view others = "no not without all before after patients lung cancer";
    EXPECT_EQ(render(builtin.get("prose"), others), render(from_file.get("prose"), others));
    EXPECT_EQ(render(builtin.get("prose"), others),
              "no[0] not[1] without[2] all[3] before[4>befor] after[5] patients[6>patient] lung[7] "
              "cancer[8]");
}

TEST(Registry, LoadStopwordsParsesCommentsAndCase) {
    const TempFile file("# comment\nThe  \n\n of # trailing comment\nTHE\n");
    EXPECT_EQ(load_stopwords(file.path()), (std::vector<std::string>{"the", "of"}));
    EXPECT_THROW((void)load_stopwords("/nonexistent/stopwords.txt"), AnalysisError);
}

TEST(PhraseKey, SpellingsMeet) {
    const AnalyzerRegistry registry;
    const Analyzer& prose = registry.get("prose");
    const struct {
        std::string_view text;
        std::string_view key;
    } kRows[] = {
        {"IL-6", "il6"},
        {"il6", "il6"},
        {"IL 6", "il 6"},
        {"Interleukin 6", "interleukin 6"},
        {"TNF-\xCE\xB1", "tnfalpha"},
        {"TNF-alpha", "tnfalpha"},
        {"CD4+", "cd4+"},
        {"ER-", "er-"},
        {"Quality of Life", "quality life"},
        {"SARS-CoV-2 infection", "sarscov2 infection"},
        {"heart attacks", "heart attacks"},
        {"\xE2\x89\xA5 18", ">= 18"},
        {"", ""},
        {"the of", ""},
    };
    for (const auto& row : kRows) EXPECT_EQ(phrase_key(prose, row.text), row.key) << row.text;
}

TEST(Synonyms, ProjectFileLoads) {
    const AnalyzerRegistry registry;
    const std::vector<SynonymGroup> groups =
        load_synonyms(kData / "synonyms.txt", registry.get("prose"));
    ASSERT_GE(groups.size(), 40U);
    const auto has_group = [&](std::initializer_list<std::string_view> keys) {
        for (const SynonymGroup& g : groups) {
            bool all = true;
            for (const std::string_view k : keys) {
                all = all && std::find(g.phrases.begin(), g.phrases.end(), k) != g.phrases.end();
            }
            if (all) return true;
        }
        return false;
    };
    EXPECT_TRUE(has_group({"il6", "interleukin6", "interleukin 6"}));
    EXPECT_TRUE(has_group({"tnfalpha", "tumor necrosis factor alpha"}));
    EXPECT_TRUE(has_group({"covid19", "coronavirus disease 2019", "sarscov2 infection"}));
    EXPECT_TRUE(has_group({"ards", "acute respiratory distress syndrome"}));
    EXPECT_TRUE(has_group({"copd", "chronic obstructive pulmonary disease"}));
    EXPECT_TRUE(has_group({"nsclc", "nonsmall cell lung cancer"}));
    EXPECT_TRUE(has_group({"mi", "heart attack", "myocardial infarction"}));
    EXPECT_TRUE(has_group({"t2dm", "type 2 diabetes"}));
    EXPECT_TRUE(has_group({"gvhd", "graftversushost disease"}));
    EXPECT_TRUE(has_group({"cart", "chimeric antigen receptor t cells"}));
    EXPECT_TRUE(has_group({"mab", "monoclonal antibody"}));
    EXPECT_TRUE(has_group({"all", "acute lymphoblastic leukemia"}));
    // Clinical shorthand of patient notes.
    EXPECT_TRUE(has_group({"htn", "hypertension"}));
    EXPECT_TRUE(has_group({"pvd", "peripheral vascular disease"}));
    EXPECT_TRUE(has_group({"dmii", "dm2", "t2dm", "type 2 diabetes"}));
    EXPECT_TRUE(has_group({"c diff", "clostridium difficile infection"}));
    EXPECT_TRUE(has_group({"hep c", "hepatitis c"}));
    EXPECT_TRUE(has_group({"gbm", "glioblastoma"}));
    EXPECT_TRUE(has_group({"sob", "shortness breath"}));
    EXPECT_TRUE(has_group({"osa", "obstructive sleep apnea", "obstructive sleep apnoea"}));
    for (const SynonymGroup& g : groups) {
        EXPECT_GE(g.phrases.size(), 2U);
        for (const std::string& p : g.phrases) EXPECT_FALSE(p.empty());
    }
}

TEST(Synonyms, MalformedLinesNameFileAndLine) {
    const AnalyzerRegistry registry;
    const Analyzer& prose = registry.get("prose");
    const auto error_of = [&](std::string_view content) {
        const TempFile file(content);
        try {
            (void)load_synonyms(file.path(), prose);
        } catch (const AnalysisError& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find(file.path().string()), std::string::npos) << what;
            return what.substr(file.path().string().size());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error_of("# ok\nIL-6 | il6\nlonely\n").substr(0, 3), ":3:");
    EXPECT_EQ(error_of("a | | b\n").substr(0, 3), ":1:");
    EXPECT_EQ(error_of("\n\nthe | of\n").substr(0, 3), ":3:");
    EXPECT_THROW((void)load_synonyms("/nonexistent/synonyms.txt", prose), AnalysisError);
}

TEST(Synonyms, GroupsAreAnalysedAndDeduplicated) {
    const AnalyzerRegistry registry;
    const TempFile file("IL-6 | IL6 | interleukin 6  # comment\n\nMI, heart attack\n");
    const std::vector<SynonymGroup> groups = load_synonyms(file.path(), registry.get("prose"));
    ASSERT_EQ(groups.size(), 2U);
    EXPECT_EQ(groups[0].phrases, (std::vector<std::string>{"il6", "interleukin 6"}));
    EXPECT_EQ(groups[1].phrases, (std::vector<std::string>{"mi", "heart attack"}));
}

}  // namespace
}  // namespace trials::analysis
