// Analyzer rows: input -> expected token stream (terms, positions, keyword/joined flags, stems)
// for the prose and identifier analyzers, offsets of selected tokens, and the stream invariants
// on every row.
#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "trials/analysis/registry.hpp"

namespace trials::analysis {
namespace {

using testing::invariants_hold;
using testing::render;

struct Row {
    std::string_view input;
    std::string_view expected;
};

// Rows for the "prose" analyzer (stems and stop words). Format: see test_helpers.hpp.
// clang-format off
constexpr Row kProseRows[] = {
    // Compounds: the joined form and the parts at consecutive positions.
    {"SARS-CoV-2", "sarscov2[0,j] sars[0,k] cov[1] 2[2,k]"},
    {"SARS-CoV2", "sarscov2[0,j] sars[0,k] cov[1] 2[2,k]"},
    {"sarscov2", "sarscov2[0,j] sarscov[0] 2[1,k]"},
    {"sars cov 2", "sars[0>sar] cov[1] 2[2,k]"},
    {"COVID-19", "covid19[0,j] covid[0,k] 19[1,k]"},
    {"covid19", "covid19[0,j] covid[0] 19[1,k]"},
    {"Covid 19", "covid[0] 19[1,k]"},
    {"COVID\xE2\x80\x90" "19", "covid19[0,j] covid[0,k] 19[1,k]"},   // U+2010 hyphen
    {"COVID\xE2\x80\x93" "19", "covid19[0,j] covid[0,k] 19[1,k]"},   // en dash
    {"COVID\xC2\xA0" "19", "covid[0,k] 19[1,k]"},                    // NBSP is a space
    {"IL-6", "il6[0,j] il[0,k] 6[1,k]"},
    {"IL6", "il6[0,j] il[0,k] 6[1,k]"},
    {"5-FU", "5fu[0,j] 5[0,k] fu[1,k]"},
    {"PaO2/FiO2", "pao2fio2[0,j] pao[0] 2[1,k] fio[2] 2[3,k]"},
    {"PD-L1", "pdl1[0,j] pd[0,k] l[1] 1[2,k]"},
    {"non-small cell lung cancer", "nonsmall[0,j] non[0] small[1] cell[2] lung[3] cancer[4]"},
    // Sign-bearing markers: the signed form and the plain one share a position.
    {"CD4+", "cd4+[0,k] cd4[0,j] cd[0,k] 4[1,k]"},
    {"CD4-", "cd4-[0,k] cd4[0,j] cd[0,k] 4[1,k]"},
    {"HER2+ ER- PR+", "her2+[0,k] her2[0,j] her[0,k] 2[1,k] er-[2,k] er[2,k] pr+[3,k] pr[3,k]"},
    {"ER+/PR+", "er+[0,k] er[0,k] pr+[1,k] pr[1,k]"},
    {"CD4+CD25+", "cd4+[0,k] cd4[0,j] cd[0,k] 4[1,k] cd25+[2,k] cd25[2,j] cd[2,k] 25[3,k]"},
    {"50%", "50%[0,k] 50[0,k]"},
    // Greek letters to names; TNF-α = TNF-alpha = TNFα.
    {"TNF-\xCE\xB1", "tnfalpha[0,j] tnf[0,k] alpha[1]"},
    {"TNF-alpha", "tnfalpha[0,j] tnf[0,k] alpha[1]"},
    {"TNF\xCE\xB1", "tnfalpha[0,j] tnf[0,k] alpha[1]"},
    {"tnf alpha", "tnf[0] alpha[1]"},
    {"IFN-\xCE\xB3", "ifngamma[0,j] ifn[0,k] gamma[1]"},
    {"\xCE\xB2-blocker", "betablocker[0,j] beta[0] blocker[1]"},
    {"\xCE\xB3\xCE\xB4 T cells", "gammadelta[0,j] gamma[0] delta[1] t[2] cells[3>cell]"},
    {"\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1", "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1[0]"},
    {"5 \xC2\xB5g/kg", "5[0,k] ugkg[1,j] ug[1] kg[2]"},  // micro sign
    // Comparators, numbers, units, scientific notation.
    {"\xE2\x89\xA5" "18 years", ">=[0,k] 18[1,k] years[2>year]"},
    {"\xE2\x89\xA5 18 years", ">=[0,k] 18[1,k] years[2>year]"},
    {">= 18 years", ">=[0,k] 18[1,k] years[2>year]"},
    {"\xE2\x89\xA4 65", "<=[0,k] 65[1,k]"},
    {"age > 18", "age[0] >[1,k] 18[2,k]"},
    {"1x10^6 cells/kg",
     "1x106[0,j] 1[0,k] x[1] 10[2,k] 6[3,k] cellskg[4,j] cells[4>cell] kg[5]"},
    {"1 X 10 8 cells", "1[0,k] x[1] 10[2,k] 8[3,k] cells[4>cell]"},
    {"1\xC3\x97" "10\xE2\x81\xB6", "1x106[0,j] 1[0,k] x[1] 10[2,k] 6[3,k]"},  // 1×10⁶
    {"10\xE2\x81\xBB\xC2\xB3", "10[0,k] 3[1,k]"},  // 10⁻³: the exponent sign is not kept
    {"2.5 mg/kg", "2.5[0,k] mgkg[1,j] mg[1] kg[2]"},
    {"1,000 patients", "1000[0,k] patients[1>patient]"},
    {"NCT04447833", "nct04447833[0,k]"},
    // Acronyms are keywords (never stemmed); other words get Porter2 stems.
    {"SARS", "sars[0,k]"},
    {"Sars", "sars[0>sar]"},
    {"ARDS COPD AIDS", "ards[0,k] copd[1,k] aids[2,k]"},
    {"Acute Respiratory Distress Syndrome (ARDS)",
     "acute[0>acut] respiratory[1>respiratori] distress[2] syndrome[3>syndrom] ards[4,k]"},
    {"ALL AML", "all[0,k] aml[1,k]"},
    // Stop words are dropped but keep their positions, whatever their case.
    {"The Quality of Life", "quality[1>qualiti] life[3]"},
    {"QUALITY OF LIFE", "quality[0>qualiti] life[2,k]"},
    {"the effect of the drug", "effect[1] drug[4]"},
    // Diacritics, quotes, ligatures, possessives.
    {"Li\xC3\xA8ge", "liege[0>lieg]"},
    {"Lie\xCC\x80ge", "liege[0>lieg]"},  // combining grave accent
    {"Crohn\xE2\x80\x99s disease", "crohn[0] disease[1>diseas]"},
    {"\xE2\x80\x9C" "COVID\xE2\x80\x9D", "covid[0,k]"},
    {"\xEF\xAC\x81" "brosis", "fibrosis[0>fibrosi]"},
    // No junk terms: punctuation that ICU keeps inside a word (; between digits, @, the fraction
    // slash of NFKC ¼, modifier symbols) separates atoms and is never a term itself.
    {"t(16;16)", "t[0] 16[1,k] 16[2,k]"},
    {"t(8;21)(q22;q22)", "t[0] 8[1,k] 21[2,k] q22[3,j] q[3] 22[4,k] q22[5,j] q[5] 22[6,k]"},
    {"Live@Home", "livehome[0,j] live[0] home[1]"},
    {"\xC2\xBC dose", "1[0,k] 4[1,k] dose[2]"},                   // ¼ = 1/4
    {"x \xEA\x9E\x8A y", "x[0] y[1]"},                          // U+A78A modifier equals
    // A compound of numbers only is a range, ratio or list, not a name: no joined number
    // ("1-2" must not index "12"); a trailing minus on a number is not a marker.
    {"18-65 years", "18[0,k] 65[1,k] years[2>year]"},
    {"grade 1-2", "grade[0] 1[1,k] 2[2,k]"},
    {"1:1 ratio", "1[0,k] 1[1,k] ratio[2]"},
    {"0.30-0.89", "0.30[0,k] 0.89[1,k]"},
    {"10^6", "10[0,k] 6[1,k]"},
    {"aged 18- 65", "aged[0>age] 18[1,k] 65[2,k]"},
    {"2+ proteinuria", "2+[0,k] 2[0,k] proteinuria[1]"},
    {"0.5-5%", "0.5[0,k] 5%[1,k] 5[1,k]"},
    {"10-20%", "10[0,k] 20%[1,k] 20[1,k]"},
    // Comparators as trial text writes them: >/= </= =< => are >= and <=; arrows and runs
    // (-> >> <<) are not comparators; markup tags are not text.
    {"age >/= 18", "age[0] >=[1,k] 18[2,k]"},
    {"bilirubin </= 1.5", "bilirubin[0] <=[1,k] 1.5[2,k]"},
    {"=< 7 days", "<=[0,k] 7[1,k] days[2>day]"},
    {"age =>18", "age[0] >=[1,k] 18[2,k]"},
    {"p<0.05", "p[0] <[1,k] 0.05[2,k]"},
    {"< ULN", "<[0,k] uln[1,k]"},
    {"mild -> severe", "mild[0] severe[1>sever]"},
    {"mild >> absent", "mild[0] absent[1]"},
    {"x => y", "x[0] y[1]"},
    {"<b>Age</b> < 18", "age[0] <[1,k] 18[2,k]"},
    {"<clinical_study rank=\"4061\"><brief_title>COVID-19</brief_title>",
     "covid19[0,j] covid[0,k] 19[1,k]"},
    {"<?xml version=\"1.0\"?><br/>lung", "lung[0]"},
    {"<LLN or >ULN", "<[0,k] lln[1,k] >[3,k] uln[4,k]"},
    // Nothing to index.
    {"", ""},
    {"  -- / + ", ""},
    {"\xFF\xFE", ""},
};
// clang-format on

// Rows for the "identifier" analyzer (no stems, no stop words).
constexpr Row kIdentifierRows[] = {
    {"NCT04447833", "nct04447833[0,k]"},
    {"The Quality of Life", "the[0] quality[1] of[2] life[3]"},
    {"SARS-CoV-2", "sarscov2[0,j] sars[0,k] cov[1] 2[2,k]"},
    {"EudraCT 2020-001234-56", "eudract[0] 202000123456[1,j] 2020[1,k] 001234[2,k] 56[3,k]"},
    {"CD4+ cells", "cd4+[0,k] cd4[0,j] cd[0,k] 4[1,k] cells[2]"},
    // Identifiers keep the joined form of numbers; ; still separates, never a term.
    {"16;16", "1616[0,j] 16[0,k] 16[1,k]"},
    {"2020-0123", "20200123[0,j] 2020[0,k] 0123[1,k]"},
};

void check_rows(const Analyzer& analyzer, const auto& rows) {
    for (const Row& row : rows) {
        std::vector<Token> tokens;
        const std::uint32_t next = analyzer.analyze(row.input, tokens);
        EXPECT_EQ(render(analyzer, tokens), row.expected) << "input: " << row.input;
        EXPECT_TRUE(invariants_hold(row.input, tokens, 0, next)) << "input: " << row.input;
        // Starting elsewhere shifts every position and the returned next position.
        std::vector<Token> shifted;
        const std::uint32_t next7 = analyzer.analyze(row.input, shifted, 7);
        EXPECT_EQ(next7, next + 7) << "input: " << row.input;
        ASSERT_EQ(shifted.size(), tokens.size());
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            EXPECT_EQ(shifted[i].position, tokens[i].position + 7);
        }
    }
}

TEST(Analyzer, ProseRows) {
    const AnalyzerRegistry registry;
    check_rows(registry.get("prose"), kProseRows);
}

TEST(Analyzer, NameAnalyzerMatchesProseRows) {
    const AnalyzerRegistry registry;
    check_rows(registry.get("name"), kProseRows);
}

TEST(Analyzer, IdentifierRows) {
    const AnalyzerRegistry registry;
    check_rows(registry.get("identifier"), kIdentifierRows);
}

TEST(Analyzer, NextPositionCountsStopWords) {
    const AnalyzerRegistry registry;
    std::vector<Token> tokens;
    EXPECT_EQ(registry.get("prose").analyze("the of", tokens, 3), 5U);
    EXPECT_TRUE(tokens.empty());
    EXPECT_EQ(registry.get("prose").analyze("SARS-CoV-2 virus", tokens, 0), 4U);
}

// Offsets point into the original input, whatever the normaliser did.
TEST(Analyzer, OffsetsReferToTheOriginalInput) {
    const AnalyzerRegistry registry;
    const Analyzer& prose = registry.get("prose");
    struct Span {
        std::string_view input;
        std::string_view term;
        std::string_view source;  // the original bytes of that token
    };
    constexpr Span kSpans[] = {
        {"TNF-\xCE\xB1 level", "alpha", "\xCE\xB1"},
        {"TNF-\xCE\xB1 level", "tnfalpha", "TNF-\xCE\xB1"},
        {"TNF-\xCE\xB1 level", "level", "level"},
        {"Li\xC3\xA8ge", "liege", "Li\xC3\xA8ge"},
        {"\xE2\x89\xA5"
         "18",
         ">=", "\xE2\x89\xA5"},
        {"\xE2\x89\xA5"
         "18",
         "18", "18"},
        {"x CD4+ y", "cd4+", "CD4+"},
        {"x CD4+ y", "cd4", "CD4"},
        {"SARS-CoV-2", "cov", "CoV"},
        {"SARS-CoV-2", "sarscov2", "SARS-CoV-2"},
        {"\xEF\xAC\x81"
         "brosis",
         "fibrosis",
         "\xEF\xAC\x81"
         "brosis"},
        {"a \xFF COPD", "copd", "COPD"},
    };
    for (const Span& s : kSpans) {
        std::vector<Token> tokens;
        prose.analyze(s.input, tokens);
        const auto it = std::find_if(tokens.begin(), tokens.end(),
                                     [&](const Token& t) { return t.term == s.term; });
        ASSERT_NE(it, tokens.end()) << s.input << " has no " << s.term;
        EXPECT_EQ(s.input.substr(it->start, it->end - it->start), s.source) << s.input;
    }
}

TEST(Analyzer, InvalidUtf8IsReplacedNotFatal) {
    const AnalyzerRegistry registry;
    const Analyzer& prose = registry.get("prose");
    const std::string_view inputs[] = {
        "COVID\xFF"
        "19",
        "\xC0\xAF"
        "abc",
        "abc\xE2\x82",
        "\xED\xA0\x80 lung",
        "\xF4\x90\x80\x80",
        std::string_view("nul\0byte", 8),
        "\xCE",
        "trial\xCE\xB1\xFF"};
    for (const std::string_view input : inputs) {
        std::vector<Token> tokens;
        const std::uint32_t next = prose.analyze(input, tokens);
        EXPECT_TRUE(invariants_hold(input, tokens, 0, next)) << ::testing::PrintToString(input);
    }
    std::vector<Token> tokens;
    prose.analyze(
        "COVID\xFF"
        "19",
        tokens);
    EXPECT_EQ(render(prose, tokens), "covid[0,k] 19[1,k]");
}

TEST(Analyzer, KeywordTokensAreNeverStemmed) {
    const AnalyzerRegistry registry;
    const Analyzer& prose = registry.get("prose");
    Token t;
    t.term = "studies";
    EXPECT_EQ(prose.stem(t), "studi");
    t.keyword = true;
    EXPECT_EQ(prose.stem(t), "");
    t.keyword = false;
    EXPECT_EQ(registry.get("identifier").stem(t), "");
    EXPECT_TRUE(prose.options().stem && prose.options().stopwords);
    EXPECT_FALSE(registry.get("identifier").options().stem);
    EXPECT_FALSE(registry.get("identifier").options().stopwords);
}

}  // namespace
}  // namespace trials::analysis
