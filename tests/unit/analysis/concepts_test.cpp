// Concepts: synonym-group phrases found in analysed text become concept terms at index time, and
// a query for any phrase of the group finds them through the synonym table's "XG:" + id.
#include "trials/analysis/concepts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "trials/analysis/registry.hpp"
#include "trials/analysis/xapian_bridge.hpp"

namespace trials::analysis {
namespace {

const std::filesystem::path kData = TRIALS_SAMPLE_DATA;

SynonymGroup group(const Analyzer& a, std::initializer_list<std::string_view> phrases) {
    SynonymGroup g;
    for (const std::string_view p : phrases) g.phrases.push_back(phrase_key(a, p));
    return g;
}

// The concept ids found in the text, sorted (one per occurrence).
std::vector<std::string> found(const ConceptMatcher& m, const Analyzer& a, std::string_view text) {
    std::vector<Token> tokens;
    a.analyze(text, tokens);
    std::vector<std::string> ids;
    m.match(tokens, ids);
    std::sort(ids.begin(), ids.end());
    return ids;
}

using V = std::vector<std::string>;

// One document per text, indexed into the targets with the matcher, the text as its data.
void add_texts(Xapian::WritableDatabase& db, const Analyzer& a, const ConceptMatcher& m,
               const std::vector<IndexTarget>& targets, std::initializer_list<std::string> texts) {
    for (const std::string& text : texts) {
        Xapian::Document doc;
        Xapian::termpos pos = 1;
        std::vector<Token> scratch;
        index_text(doc, a, text, targets, pos, scratch, &m);
        doc.set_data(text);
        db.add_document(doc);
    }
}

TEST(Concepts, TermShapes) {
    const AnalyzerRegistry registry;
    const Analyzer& a = registry.get("prose");
    EXPECT_EQ(concept_id(group(a, {"quality of life", "QoL"})), "quality_life");
    EXPECT_EQ(concept_term("", "covid19"), "XG:covid19");
    EXPECT_EQ(concept_term("XT", "covid19"), "XGXT:covid19");
    EXPECT_EQ(concept_of_alternative("XG:covid19"), "covid19");
    EXPECT_EQ(concept_of_alternative("XMD:D012128"), "");
    EXPECT_EQ(concept_of_alternative("coronavirus disease 2019"), "");
    std::string_view prefix, id;
    ASSERT_TRUE(decode_concept_term("XGXC:heart_attack", prefix, id));
    EXPECT_EQ(prefix, "XC");
    EXPECT_EQ(id, "heart_attack");
    ASSERT_TRUE(decode_concept_term("XG:covid19", prefix, id));
    EXPECT_EQ(prefix, "");
    EXPECT_FALSE(decode_concept_term("XGXT", prefix, id));
    EXPECT_FALSE(decode_concept_term("xg:covid19", prefix, id));
}

TEST(Concepts, PhrasesCompoundsAndOverlaps) {
    const AnalyzerRegistry registry;
    const Analyzer& a = registry.get("prose");
    const ConceptMatcher m({group(a, {"myocardial infarction", "MI", "heart attack"}),
                            group(a, {"acute myocardial infarction", "AMI"}),
                            group(a, {"COVID-19", "coronavirus disease 2019", "SARS-CoV-2 infection"}),
                            group(a, {"SARS-CoV-2", "2019-nCoV"}),
                            group(a, {"quality of life", "QoL"})});
    EXPECT_FALSE(m.empty());
    EXPECT_EQ(found(m, a, "no match here"), V{});
    // Every spelling of the group; compounds are one unit, and a compound of letters and digits
    // also counts written apart ("COVID 19"), not other words ("sars cov 2", "covid 2019").
    EXPECT_EQ(found(m, a, "Coronavirus Disease 2019 (COVID-19)"), (V{"covid19", "covid19"}));
    EXPECT_EQ(found(m, a, "covid19 patients"), V{"covid19"});
    EXPECT_EQ(found(m, a, "COVID 19 patients"), V{"covid19"});
    EXPECT_EQ(found(m, a, "Covid 19, covid  19 and covid-19"), (V{"covid19", "covid19", "covid19"}));
    EXPECT_EQ(found(m, a, "covid of 19"), V{});
    // Inside a longer compound, as the phrase of the parts found it.
    EXPECT_EQ(found(m, a, "non-COVID-19 ARDS"), V{"covid19"});
    EXPECT_EQ(found(m, a, "post-COVID-19 condition"), V{"covid19"});
    EXPECT_EQ(found(m, a, "COVID-19-related"), V{"covid19"});
    EXPECT_EQ(found(m, a, "sars cov 2 and covid 2019"), V{});
    // A phrase inside a longer phrase of another group counts for both groups.
    EXPECT_EQ(found(m, a, "SARS-CoV-2 infection in adults"), (V{"covid19", "sarscov2"}));
    EXPECT_EQ(found(m, a, "acute myocardial infarction"), (V{"acute_myocardial_infarction",
                                                             "myocardial_infarction"}));
    EXPECT_EQ(found(m, a, "after a heart attack or an MI"),
              (V{"myocardial_infarction", "myocardial_infarction"}));
    // One removed stop word between words, as synonym phrase queries allow; not two.
    EXPECT_EQ(found(m, a, "quality of life"), V{"quality_life"});
    EXPECT_EQ(found(m, a, "quality life scores"), V{"quality_life"});
    EXPECT_EQ(found(m, a, "quality of the life"), V{});
    EXPECT_EQ(found(m, a, "heart of attack"), V{"myocardial_infarction"});
    // Order matters.
    EXPECT_EQ(found(m, a, "infarction myocardial"), V{});
}

TEST(Concepts, SplitAtDigits) {
    EXPECT_EQ(split_at_digits("covid19"), "covid 19");
    EXPECT_EQ(split_at_digits("il6"), "il 6");
    EXPECT_EQ(split_at_digits("2019ncov"), "2019 ncov");
    EXPECT_EQ(split_at_digits("hcov19"), "hcov 19");
    EXPECT_EQ(split_at_digits("h1n1"), "");  // one-letter pieces would match stray letters
    EXPECT_EQ(split_at_digits("b12"), "");
    EXPECT_EQ(split_at_digits("covid"), "");
    EXPECT_EQ(split_at_digits("2019"), "");
    EXPECT_EQ(split_at_digits("coronavirus disease 2019"), "");
    EXPECT_EQ(split_at_digits(""), "");
}

TEST(Concepts, ProjectSynonymFile) {
    const AnalyzerRegistry registry;
    const Analyzer& name = registry.get("name");
    const Analyzer& prose = registry.get("prose");
    const ConceptMatcher m(load_synonyms(kData / "synonyms.txt", name));
    EXPECT_EQ(found(m, prose, "Advanced non-small-cell lung cancer (NSCLC)"), (V{"nonsmall_cell_lung_cancer", "nonsmall_cell_lung_cancer"}));
    EXPECT_EQ(found(m, prose, "shortness of breath"), V{"shortness_breath"});
    EXPECT_EQ(found(m, prose, "Hospitalised with COVID-19"), V{"covid19"});
    // The README's examples of compounds written apart.
    EXPECT_EQ(found(m, prose, "Hospitalised with COVID 19"), V{"covid19"});
    EXPECT_EQ(found(m, prose, "serum IL 6 levels"), V{"interleukin6"});
    EXPECT_EQ(found(m, prose, "post-COVID-19 condition"), V{"covid19"});
}

// Indexing adds the concept term to every target, once per occurrence; a query for any phrase
// of the group (through a synonym table mapping phrases to "XG:" + id) finds a document that
// holds another phrase only, below a document that holds the query's own phrase.
TEST(Concepts, IndexedAndFoundThroughTheSynonymTable) {
    const AnalyzerRegistry registry;
    const Analyzer& a = registry.get("prose");
    const SynonymGroup covid =
        group(a, {"COVID-19", "coronavirus disease 2019", "SARS-CoV-2 infection"});
    const ConceptMatcher m({covid});
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    add_texts(db, a, m, {{"XT", 1, true}, {"", 5, true}},
              {"Coronavirus disease 2019 in adults", "COVID-19 vaccine trial",
               "Influenza vaccine trial"});
    const Xapian::Document first = db.get_document(1);
    std::map<std::string, Xapian::termcount> wdf;
    for (auto t = first.termlist_begin(); t != first.termlist_end(); ++t) wdf[*t] = t.get_wdf();
    EXPECT_EQ(wdf["XGXT:covid19"], 1U);
    EXPECT_EQ(wdf["XG:covid19"], 5U);
    EXPECT_EQ(db.get_termfreq("XG:covid19"), 2U);

    class Table : public SynonymSource {
      public:
        [[nodiscard]] std::vector<std::string> lookup(const std::string& key) const override {
            if (key == "covid19" || key == "coronavirus disease 2019" || key == "sarscov2 infection")
                return {"XG:covid19"};
            return {};
        }
    } table;
    TextQueryOptions o;
    o.fields = {{"XT", 1.0}};
    o.synonyms = &table;
    Xapian::Enquire enquire(db);
    enquire.set_query(build_text_query(a, "covid-19", o));
    Xapian::MSet mset = enquire.get_mset(0, 10);
    ASSERT_EQ(mset.size(), 2U);
    EXPECT_EQ(mset.begin().get_document().get_data(), "COVID-19 vaccine trial");
    EXPECT_EQ((++mset.begin()).get_document().get_data(), "Coronavirus disease 2019 in adults");
    // Without the table only the exact spelling matches.
    o.synonyms = nullptr;
    enquire.set_query(build_text_query(a, "covid-19", o));
    EXPECT_EQ(enquire.get_mset(0, 10).size(), 1U);
}

// The concept holds "COVID 19" written apart, so a query for the compound drops the phrase of
// its parts (a position check on every document with both common words) and still finds it,
// through the concept; with phrases for synonyms (patient mode) the phrase stays.
TEST(Concepts, ACompoundWrittenApartIsFoundThroughTheConceptWithoutAPhrase) {
    const AnalyzerRegistry registry;
    const Analyzer& a = registry.get("prose");
    const ConceptMatcher m({group(a, {"COVID-19", "coronavirus disease 2019"})});
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    add_texts(db, a, m, {{"", 1, true}},
              {"COVID 19 in adults", "covid-19 vaccine", "covid in 19 sites"});
    EXPECT_EQ(db.get_termfreq("XG:covid19"), 2U);
    class Table : public SynonymSource {
      public:
        [[nodiscard]] std::vector<std::string> lookup(const std::string& key) const override {
            if (key == "covid19") return {"coronavirus disease 2019", "XG:covid19"};
            if (key == "coronavirus disease 2019") return {"covid19", "XG:covid19"};
            return {};
        }
    } table;
    TextQueryOptions o;
    o.fields = {{"", 1.0}};
    o.synonyms = &table;
    const Xapian::Query q = build_text_query(a, "covid-19", o);
    EXPECT_EQ(q.get_description().find("PHRASE"), std::string::npos) << q.get_description();
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    Xapian::MSet mset = enquire.get_mset(0, 10);
    ASSERT_EQ(mset.size(), 2U);
    EXPECT_EQ(mset.begin().get_document().get_data(), "covid-19 vaccine");
    EXPECT_EQ((++mset.begin()).get_document().get_data(), "COVID 19 in adults");
    // Phrases instead of concepts: the parts' phrase is back, and finds the same two.
    o.concepts = false;
    const Xapian::Query with_phrases = build_text_query(a, "covid-19", o);
    EXPECT_NE(with_phrases.get_description().find("PHRASE"), std::string::npos);
    enquire.set_query(with_phrases);
    EXPECT_EQ(enquire.get_mset(0, 10).size(), 2U);
    // A compound that is no concept keeps its phrase.
    EXPECT_NE(build_text_query(a, "il-7", o).get_description().find("PHRASE"), std::string::npos);
}

}  // namespace
}  // namespace trials::analysis
