// Index/query symmetry through the Xapian bridge: a string indexed into a one-document in-memory
// database is found by the same string as a query (quoted and unquoted) and by its equivalent
// spellings, for every analyzer; sign-bearing markers stay apart.
#include <gtest/gtest.h>

#include <map>

#include "trials/analysis/registry.hpp"
#include "trials/analysis/xapian_bridge.hpp"

namespace trials::analysis {
namespace {

struct Index {
    Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};

    Index(const Analyzer& analyzer, const std::vector<std::string>& texts,
          const std::string& prefix = "XT") {
        for (const std::string& text : texts) {
            Xapian::Document doc;
            Xapian::termpos pos = 1;
            std::vector<Token> scratch;
            index_text(doc, analyzer, text, {IndexTarget{prefix, 1, true}}, pos, scratch);
            doc.set_data(text);
            db.add_document(doc);
        }
    }

    // Texts of the matching documents, in docid order.
    std::vector<std::string> search(const Xapian::Query& query) const {
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        std::vector<std::string> out;
        const Xapian::MSet mset = enquire.get_mset(0, 100);
        for (auto it = mset.begin(); it != mset.end(); ++it)
            out.push_back(it.get_document().get_data());
        return out;
    }
};

TextQueryOptions opts(bool phrase, const std::string& prefix = "XT") {
    TextQueryOptions o;
    o.fields = {{prefix, 1.0}};
    o.phrase = phrase;
    return o;
}

bool finds(const Analyzer& analyzer, const std::string& indexed, const std::string& query,
           bool phrase) {
    const Index index(analyzer, {indexed});
    const Xapian::Query q = build_text_query(analyzer, query, opts(phrase));
    return !q.empty() && index.search(q).size() == 1;
}

struct SymmetryRow {
    std::string text;
    std::vector<std::string> equivalents;
};

const std::vector<SymmetryRow>& symmetry_rows() {
    static const std::vector<SymmetryRow> rows{
        {"COVID-19", {"covid19", "covid 19", "Covid19", "COVID 19", "covid-19"}},
        {"5-FU", {"5FU", "5 fu", "5-fu"}},
        {"IL-6", {"il6", "IL6", "il 6"}},
        {"CD4+", {"cd4", "CD4", "cd4+"}},
        {"PaO2/FiO2", {"pao2 fio2", "PaO2", "fio2", "pao2/fio2"}},
        {"≥ 18 years", {">=18", "≥18", ">= 18", "18", "18 years", "18 year"}},
        {"NCT04447833", {"nct04447833"}},
        {"TNF-α", {"tnf alpha", "TNF-alpha", "TNFα", "tnf-alpha", "TNF alpha"}},
        {"SARS-CoV-2", {"sars cov 2", "SARS-CoV2", "sarscov2", "SARS CoV 2", "SARS-CoV-2"}},
        {"Liège", {"liege", "LIEGE", "Liége"}},
        {"1x10^6 cells/kg", {"1x10^6", "1 x 10 6 cells", "cells/kg", "cells kg"}},
        {"non-small cell lung cancer", {"non small cell lung cancer", "nonsmall cell", "lung"}},
        {"Quality of Life", {"quality life", "quality of life", "QUALITY OF LIFE"}},
        {"1 X 10 8 cells", {"1x10^8 cells", "1 x 10 8"}},
        {"2.5 mg/kg", {"2.5 mg kg", "2.5 mg/kg"}},
        {"50%", {"50", "50%"}},
        {"HER2+ breast cancer", {"her2 breast cancer", "HER2+", "her2+ breast"}},
        {"PD-L1", {"pdl1", "pd l1", "PD L1"}},
        {"Crohn’s disease", {"crohn's disease", "Crohn disease", "crohns"}},
        {"age >/= 18", {"age >= 18", "age ≥18", "age => 18", "age =>18"}},
        {"bilirubin =< 1.5", {"bilirubin <= 1.5", "bilirubin ≤ 1.5", "bilirubin </= 1.5"}},
        {"t(16;16)", {"t 16 16", "t(16;16)"}},
        {"18-65 years", {"18 65 years", "18-65"}},
    };
    return rows;
}

class Symmetry : public ::testing::TestWithParam<std::string> {};

TEST_P(Symmetry, SameStringFindsItselfQuotedAndUnquoted) {
    const AnalyzerRegistry registry;
    const Analyzer& analyzer = registry.get(GetParam());
    for (const SymmetryRow& row : symmetry_rows()) {
        EXPECT_TRUE(finds(analyzer, row.text, row.text, false)) << row.text;
        EXPECT_TRUE(finds(analyzer, row.text, row.text, true)) << '"' << row.text << '"';
    }
}

TEST_P(Symmetry, EquivalentSpellingsFindIt) {
    const AnalyzerRegistry registry;
    const Analyzer& analyzer = registry.get(GetParam());
    for (const SymmetryRow& row : symmetry_rows()) {
        for (const std::string& q : row.equivalents) {
            const bool needs_stem = q == "crohns" || q == "18 year";
            if (GetParam() == "identifier" && needs_stem) continue;
            EXPECT_TRUE(finds(analyzer, row.text, q, false)) << row.text << " <- " << q;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Analyzers, Symmetry, ::testing::Values("prose", "name", "identifier"));

TEST(Bridge, SignedMarkersStayApart) {
    const AnalyzerRegistry registry;
    for (const std::string name : {"prose", "identifier"}) {
        const Analyzer& a = registry.get(name);
        const Index index(a, {"CD4+ T cells", "CD4- T cells", "CD4 count"});
        using V = std::vector<std::string>;
        EXPECT_EQ(index.search(build_text_query(a, "CD4+", opts(false))), V{"CD4+ T cells"});
        EXPECT_EQ(index.search(build_text_query(a, "cd4-", opts(false))), V{"CD4- T cells"});
        EXPECT_EQ(index.search(build_text_query(a, "CD4+ T cells", opts(true))), V{"CD4+ T cells"});
        EXPECT_EQ(index.search(build_text_query(a, "CD4", opts(false))),
                  (V{"CD4+ T cells", "CD4- T cells", "CD4 count"}));
    }
}

// Indexes `text` with the prose analyzer into the targets; `pos` is the next position after.
Xapian::Document index_prose(const std::string& text, const std::vector<IndexTarget>& targets,
                             Xapian::termpos& pos) {
    const AnalyzerRegistry registry;
    Xapian::Document doc;
    pos = 1;
    std::vector<Token> scratch;
    index_text(doc, registry.get("prose"), text, targets, pos, scratch);
    return doc;
}

// The documented term shapes: prefix+term with positions, "Z"+prefix+stem without.
TEST(Bridge, IndexTextTermShapes) {
    Xapian::termpos pos = 0;
    const Xapian::Document doc = index_prose(
        "Lung cancers in SARS-CoV-2", {IndexTarget{"XC", 2, true}, IndexTarget{"", 1, false}}, pos);
    EXPECT_EQ(pos, 7U);
    std::map<std::string, std::pair<Xapian::termcount, std::vector<Xapian::termpos>>> terms;
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        std::vector<Xapian::termpos> positions(it.positionlist_begin(), it.positionlist_end());
        terms[*it] = {it.get_wdf(), positions};
    }
    using P = std::vector<Xapian::termpos>;
    const std::map<std::string, std::pair<Xapian::termcount, P>> expected{
        {"XClung", {2, P{1}}},   {"ZXClung", {2, P{}}},     {"XCcancers", {2, P{2}}},
        {"ZXCcancer", {2, P{}}}, {"XCsarscov2", {2, P{4}}}, {"XCsars", {2, P{4}}},
        {"XCcov", {2, P{5}}},    {"ZXCcov", {2, P{}}},      {"XC2", {2, P{6}}},
        {"lung", {1, P{}}},      {"Zlung", {1, P{}}},       {"cancers", {1, P{}}},
        {"Zcancer", {1, P{}}},   {"sarscov2", {1, P{}}},    {"sars", {1, P{}}},
        {"cov", {1, P{}}},       {"Zcov", {1, P{}}},        {"2", {1, P{}}},
    };
    EXPECT_EQ(terms, expected);
}

// A target without exact words (long narrative fields) keeps a stemmed word by its stem alone,
// counted twice (the document length stays that of exact + stem); words without a stem and a
// compound's joined form keep their exact term.
TEST(Bridge, IndexTextWithoutExactWordsKeepsStems) {
    Xapian::termpos pos = 0;
    const Xapian::Document doc =
        index_prose("Lung cancers in SARS-CoV-2", {IndexTarget{"XS", 1, false, false}}, pos);
    std::map<std::string, Xapian::termcount> terms;
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) terms[*it] = it.get_wdf();
    const std::map<std::string, Xapian::termcount> expected{
        {"XS2", 1},       {"XSsars", 1}, {"XSsarscov2", 1},
        {"ZXScancer", 2}, {"ZXScov", 2}, {"ZXSlung", 2}};
    EXPECT_EQ(terms, expected);
}

TEST(Bridge, EmptyTextGivesEmptyQuery) {
    const AnalyzerRegistry registry;
    EXPECT_TRUE(build_text_query(registry.get("prose"), "", opts(false)).empty());
    EXPECT_TRUE(build_text_query(registry.get("prose"), "the of -", opts(true)).empty());
}

TEST(Bridge, PhrasesAllowStopWordGapsButKeepOrder) {
    const AnalyzerRegistry registry;
    const Analyzer& a = registry.get("prose");
    const Index index(a,
                      {"quality of life", "quality life", "life quality", "quality of the life"});
    using V = std::vector<std::string>;
    EXPECT_EQ(index.search(build_text_query(a, "quality of life", opts(true))),
              (V{"quality of life", "quality life"}));
    EXPECT_EQ(index.search(build_text_query(a, "quality of life", opts(false))).size(), 4U);
}

TEST(Bridge, UnquotedWordsMayMatchInDifferentFields) {
    const AnalyzerRegistry registry;
    const Analyzer& a = registry.get("prose");
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (const auto& [title, condition] :
         std::vector<std::pair<std::string, std::string>>{{"COVID-19 vaccine", "healthy"},
                                                          {"vaccine trial", "COVID-19"},
                                                          {"influenza vaccine", "flu"}}) {
        Xapian::Document doc;
        Xapian::termpos pos = 1;
        std::vector<Token> scratch;
        index_text(doc, a, title, {IndexTarget{"XT", 1, true}}, pos, scratch);
        pos += 100;
        index_text(doc, a, condition, {IndexTarget{"XC", 1, true}}, pos, scratch);
        db.add_document(doc);
    }
    TextQueryOptions o;
    o.fields = {{"XT", 2.0}, {"XC", 1.0}};
    Xapian::Enquire enquire(db);
    enquire.set_query(build_text_query(a, "covid19 vaccines", o));
    EXPECT_EQ(enquire.get_mset(0, 10).size(), 2U);
    o.conjunctive = false;
    enquire.set_query(build_text_query(a, "covid19 vaccines", o));
    EXPECT_EQ(enquire.get_mset(0, 10).size(), 3U);
    o.fields = {{"XC", 1.0}};
    o.phrase = true;
    enquire.set_query(build_text_query(a, "COVID-19", o));
    EXPECT_EQ(enquire.get_mset(0, 10).size(), 1U);
}

class MapSynonyms : public SynonymSource {
  public:
    explicit MapSynonyms(std::map<std::string, std::vector<std::string>> map)
        : map_(std::move(map)) {}
    [[nodiscard]] std::vector<std::string> lookup(const std::string& key) const override {
        ++lookups;
        const auto it = map_.find(key);
        return it == map_.end() ? std::vector<std::string>{} : it->second;
    }
    mutable int lookups = 0;

  private:
    std::map<std::string, std::vector<std::string>> map_;
};

TEST(Bridge, SynonymsExpandTheLongestNgramAndScoreBelowExactMatches) {
    const AnalyzerRegistry registry;
    const Analyzer& a = registry.get("prose");
    const Index index(a, {"heart attack registry", "myocardial infarction registry", "MI registry",
                          "heart failure registry"});
    const MapSynonyms synonyms({
        {"mi", {"myocardial infarction", "heart attack"}},
        {"heart attack", {"myocardial infarction", "mi"}},
        {"heart", {"cardiac"}},
        {"ards", {"XMD:D012128"}},
    });
    TextQueryOptions o = opts(false);
    o.synonyms = &synonyms;
    using V = std::vector<std::string>;
    // Without synonyms only the exact spelling matches.
    EXPECT_EQ(index.search(build_text_query(a, "MI registry", opts(false))), V{"MI registry"});
    EXPECT_EQ(index.search(build_text_query(a, "MI registry", o)),
              (V{"heart attack registry", "myocardial infarction registry", "MI registry"}));
    // "heart attack" is expanded as one bigram, so "heart failure" is not pulled in by "heart".
    EXPECT_EQ(index.search(build_text_query(a, "heart attack", o)),
              (V{"heart attack registry", "myocardial infarction registry", "MI registry"}));
    // Exact matches rank first.
    Xapian::Enquire enquire(index.db);
    enquire.set_query(build_text_query(a, "MI", o));
    const Xapian::MSet mset = enquire.get_mset(0, 10);
    ASSERT_EQ(mset.size(), 3U);
    EXPECT_EQ(mset.begin().get_document().get_data(), "MI registry");
    // Whole X...: terms are matched as they are.
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::Document doc;
    doc.add_boolean_term("XMD:D012128");
    db.add_document(doc);
    Xapian::Enquire e2(db);
    e2.set_query(build_text_query(a, "ARDS", o));
    EXPECT_EQ(e2.get_mset(0, 10).size(), 1U);
}

TEST(Bridge, LongOrQueriesKeepTheRarestWords) {
    const AnalyzerRegistry registry;
    const Analyzer& a = registry.get("prose");
    // "trial" is in every document, "cancer" in three, "glioma" and "aphasia" in one each.
    const Index index(a, {"glioma trial cancer", "aphasia trial cancer", "trial cancer",
                          "trial of things"});
    using V = std::vector<std::string>;
    TextQueryOptions o = opts(false);
    o.conjunctive = false;
    o.stats = &index.db;
    o.max_words = 2;
    V dropped;
    o.dropped = &dropped;
    // "zebra" is in no document: never chosen. "glioma" twice: its repeats stay.
    const Xapian::Query q =
        build_text_query(a, "trial cancer zebra glioma aphasia glioma trial", o);
    EXPECT_EQ(index.search(q), (V{"glioma trial cancer", "aphasia trial cancer"}));
    EXPECT_EQ(dropped, (V{"trial", "cancer"}));  // zebra matches nothing: not "too common"
    const std::string desc = q.get_description();
    std::size_t gliomas = 0;
    for (auto at = desc.find("(XTglioma "); at != std::string::npos;
         at = desc.find("(XTglioma ", at + 1)) {
        ++gliomas;
    }
    EXPECT_EQ(gliomas, 2U) << desc;
    // Three words kept: "cancer" (in three documents) is the next rarest, "trial" still out.
    dropped.clear();
    o.max_words = 3;
    EXPECT_EQ(index.search(build_text_query(a, "trial cancer zebra glioma aphasia", o)),
              (V{"glioma trial cancer", "aphasia trial cancer", "trial cancer"}));
    EXPECT_EQ(dropped, V{"trial"});
    // As many distinct words as allowed, no statistics, or words ANDed: every word is kept.
    dropped.clear();
    o.max_words = 5;
    EXPECT_EQ(index.search(build_text_query(a, "trial cancer zebra glioma aphasia", o)).size(), 4U);
    o.max_words = 2;
    o.stats = nullptr;
    EXPECT_EQ(index.search(build_text_query(a, "trial cancer zebra glioma aphasia", o)).size(), 4U);
    o.stats = &index.db;
    o.conjunctive = true;
    EXPECT_EQ(index.search(build_text_query(a, "trial cancer glioma", o)),
              V{"glioma trial cancer"});
    EXPECT_TRUE(dropped.empty());
}

}  // namespace
}  // namespace trials::analysis
