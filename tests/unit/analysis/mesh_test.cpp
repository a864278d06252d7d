// MeSH loader tests: tiny XML and ASCII (dYYYY.bin) fixtures written here, gzip detection, the
// lookups, and a real-data test over the 2024 descriptors when ../shared/data/real is present.
#include "trials/analysis/mesh.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "trials/error.hpp"

namespace trials::analysis {
namespace {

constexpr std::string_view kXml = R"(<?xml version="1.0"?>
<!DOCTYPE DescriptorRecordSet SYSTEM "desc2024.dtd">
<DescriptorRecordSet LanguageCode = "eng">
<DescriptorRecord DescriptorClass = "1">
  <DescriptorUI>D012140</DescriptorUI>
  <DescriptorName><String>Respiratory Tract Diseases</String></DescriptorName>
  <TreeNumberList><TreeNumber>C08</TreeNumber></TreeNumberList>
  <ConceptList><Concept PreferredConceptYN="Y"><TermList>
    <Term><String>Respiratory Tract Diseases</String></Term>
    <Term><String>Respiratory Disorder</String></Term>
  </TermList></Concept></ConceptList>
</DescriptorRecord>
<DescriptorRecord DescriptorClass = "1">
  <DescriptorUI>D008171</DescriptorUI>
  <DescriptorName><String>Lung Diseases</String></DescriptorName>
  <TreeNumberList><TreeNumber>C08.381</TreeNumber></TreeNumberList>
  <AllowableQualifiersList><AllowableQualifier><QualifierReferredTo>
    <QualifierName><String>blood</String></QualifierName>
  </QualifierReferredTo></AllowableQualifier></AllowableQualifiersList>
</DescriptorRecord>
<DescriptorRecord DescriptorClass = "1">
  <DescriptorUI>D012128</DescriptorUI>
  <DescriptorName><String>Respiratory Distress Syndrome</String></DescriptorName>
  <TreeNumberList>
    <TreeNumber>C08.381.840</TreeNumber>
    <TreeNumber>C08.618.840</TreeNumber>
  </TreeNumberList>
  <ConceptList>
    <Concept PreferredConceptYN="Y"><TermList>
      <Term><String>Respiratory Distress Syndrome</String></Term>
      <Term><String>Shock Lung</String></Term>
    </TermList></Concept>
    <Concept PreferredConceptYN="N"><TermList>
      <Term><String>Respiratory Distress Syndrome, Adult</String></Term>
      <Term><String>ARDS, Human</String></Term>
    </TermList></Concept>
  </ConceptList>
</DescriptorRecord>
<DescriptorRecord DescriptorClass = "1">
  <DescriptorUI>D012120</DescriptorUI>
  <DescriptorName><String>Respiration Disorders</String></DescriptorName>
  <TreeNumberList><TreeNumber>C08.618</TreeNumber></TreeNumberList>
</DescriptorRecord>
</DescriptorRecordSet>
)";

constexpr std::string_view kAscii = R"(*NEWRECORD
RECTYPE = D
MH = Respiratory Tract Diseases
MN = C08
ENTRY = Respiratory Disorder|T000000|NON|EQV|UNK (19XX)|000000|abcdef
UI = D012140

*NEWRECORD
RECTYPE = D
MH = COVID-19
MN = C01.748.610.763.500
MN = C08.381.677.807.500
PRINT ENTRY = SARS-CoV-2 Infection|T000001|NON|EQV|NLM (2021)|200101|abcdef
ENTRY = COVID19|T000002|NON|EQV|NLM (2021)|200101|abcdef
ENTRY = 2019 Novel Coronavirus Disease
ENTRY = COVID-19
UI = D000086382
)";

std::filesystem::path temp_file(const std::string& name) {
    return std::filesystem::temp_directory_path() /
           (name + "." + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "." +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
}

std::vector<std::string> uis(const std::vector<const MeshDescriptor*>& ds) {
    std::vector<std::string> out;
    for (const MeshDescriptor* d : ds) out.push_back(d->ui);
    return out;
}

TEST(Mesh, ParsesDescriptorXml) {
    const MeshThesaurus mesh = MeshThesaurus::parse(kXml, "fixture.xml");
    ASSERT_EQ(mesh.size(), 4U);
    const MeshDescriptor* ards = mesh.by_ui("D012128");
    ASSERT_NE(ards, nullptr);
    EXPECT_EQ(ards->name, "Respiratory Distress Syndrome");
    EXPECT_EQ(ards->tree_numbers, (std::vector<std::string>{"C08.381.840", "C08.618.840"}));
    // Entry terms exclude the name; qualifier names are not terms.
    EXPECT_EQ(ards->entry_terms,
              (std::vector<std::string>{"Shock Lung", "Respiratory Distress Syndrome, Adult",
                                        "ARDS, Human"}));
    EXPECT_TRUE(mesh.by_ui("D008171")->entry_terms.empty());
    EXPECT_EQ(mesh.descriptors().front().ui, "D012140");
}

TEST(Mesh, FindsByNormalisedTerm) {
    const MeshThesaurus mesh = MeshThesaurus::parse(kXml, "fixture.xml");
    for (const char* term :
         {"Shock Lung", "shock lung", "SHOCK-LUNG", "  Shock   Lung ",
          "Respiratory Distress Syndrome, Adult", "respiratory distress syndrome adult",
          "ards human", "Respiratory Distress Syndrome"}) {
        const MeshDescriptor* d = mesh.by_term(term);
        ASSERT_NE(d, nullptr) << term;
        EXPECT_EQ(d->ui, "D012128") << term;
    }
    // An inverted heading that is not an entry term is tried the other way round.
    ASSERT_NE(mesh.by_term("Diseases, Lung"), nullptr);
    EXPECT_EQ(mesh.by_term("Diseases, Lung")->ui, "D008171");
    EXPECT_EQ(mesh.by_term("blood"), nullptr);
    EXPECT_EQ(mesh.by_term("Lung"), nullptr);
    EXPECT_EQ(mesh.by_term(""), nullptr);
    EXPECT_EQ(mesh.by_ui("D999999"), nullptr);
}

TEST(Mesh, AncestorsNearestFirstWithoutDuplicates) {
    const MeshThesaurus mesh = MeshThesaurus::parse(kXml, "fixture.xml");
    EXPECT_EQ(uis(mesh.ancestors(*mesh.by_ui("D012128"))),
              (std::vector<std::string>{"D008171", "D012120", "D012140"}));
    EXPECT_EQ(uis(mesh.ancestors(*mesh.by_ui("D008171"))), std::vector<std::string>{"D012140"});
    EXPECT_TRUE(mesh.ancestors(*mesh.by_ui("D012140")).empty());
}

TEST(Mesh, ParsesAsciiBin) {
    const MeshThesaurus mesh = MeshThesaurus::parse(kAscii, "d2024.bin");
    ASSERT_EQ(mesh.size(), 2U);
    const MeshDescriptor* covid = mesh.by_ui("D000086382");
    ASSERT_NE(covid, nullptr);
    EXPECT_EQ(covid->name, "COVID-19");
    EXPECT_EQ(covid->tree_numbers,
              (std::vector<std::string>{"C01.748.610.763.500", "C08.381.677.807.500"}));
    EXPECT_EQ(covid->entry_terms, (std::vector<std::string>{"SARS-CoV-2 Infection", "COVID19",
                                                            "2019 Novel Coronavirus Disease"}));
    EXPECT_EQ(mesh.by_term("covid19"), covid);
    EXPECT_EQ(mesh.by_term("sars-cov-2 infection"), covid);
    EXPECT_EQ(mesh.by_term("respiratory disorder")->ui, "D012140");
}

TEST(Mesh, LoadsPlainAndGzipFilesByContent) {
    const std::filesystem::path plain = temp_file("mesh-plain.bin");
    const std::filesystem::path gz = temp_file("mesh.xml.gz");
    {
        std::ofstream(plain, std::ios::binary) << kAscii;
        gzFile f = gzopen(gz.c_str(), "wb");
        ASSERT_NE(f, nullptr);
        ASSERT_EQ(gzwrite(f, kXml.data(), static_cast<unsigned>(kXml.size())),
                  static_cast<int>(kXml.size()));
        gzclose(f);
    }
    EXPECT_EQ(MeshThesaurus::load(plain).size(), 2U);
    EXPECT_EQ(MeshThesaurus::load(gz).by_term("Shock Lung")->ui, "D012128");
    std::ifstream in(gz, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(MeshThesaurus::parse(bytes, "in-memory gzip").size(), 4U);
    std::filesystem::remove(plain);
    std::filesystem::remove(gz);
}

TEST(Mesh, BadInputThrowsAnalysisErrorNamingTheOrigin) {
    const auto message = [](std::string_view content) {
        try {
            (void)MeshThesaurus::parse(content, "bad-origin");
        } catch (const AnalysisError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message("hello world").find("bad-origin"), std::string::npos);
    EXPECT_NE(message("<DescriptorRecordSet><DescriptorRecord>").find("bad-origin"),
              std::string::npos);
    EXPECT_NE(message("<Other/>").find("DescriptorRecordSet"), std::string::npos);
    EXPECT_NE(message("*NEWRECORD\nMH = Orphan\n").find("bad-origin:1"), std::string::npos);
    EXPECT_NE(message(std::string_view("\x1f\x8b\x08\x00garbage", 11)).find("gzip"),
              std::string::npos);
    EXPECT_THROW((void)MeshThesaurus::load("/nonexistent/desc.xml"), AnalysisError);
}

// Files derived from the tree table give the category roots (C08) no tree number; the roots are
// restored from their names so that ancestor chains reach the category.
TEST(Mesh, MissingRootTreeNumbersAreRestoredByName) {
    std::string xml(kXml);
    const std::string root_tree = "<TreeNumberList><TreeNumber>C08</TreeNumber></TreeNumberList>";
    xml.erase(xml.find(root_tree), root_tree.size());
    const MeshThesaurus mesh = MeshThesaurus::parse(xml, "derived.xml");
    EXPECT_EQ(mesh.by_ui("D012140")->tree_numbers, std::vector<std::string>{"C08"});
    EXPECT_EQ(uis(mesh.ancestors(*mesh.by_ui("D008171"))), std::vector<std::string>{"D012140"});
}

// An excerpt cut off inside a record (no closing </DescriptorRecordSet>) is read up to the cut;
// a complete document with an XML error is rejected.
TEST(Mesh, TruncatedExcerptIsReadUpToTheCut) {
    const std::string_view xml = kXml;
    const std::string cut(xml.substr(0, xml.find("<DescriptorRecord", xml.find("D012128")) + 60));
    const MeshThesaurus mesh = MeshThesaurus::parse(cut, "excerpt.xml");
    EXPECT_EQ(mesh.size(), 3U);  // the record cut before its name is dropped
    EXPECT_EQ(mesh.by_term("shock lung")->ui, "D012128");
    std::string broken(xml);
    broken.replace(broken.find("</DescriptorName>"), 17, "</Descriptor>");
    EXPECT_THROW((void)MeshThesaurus::parse(broken, "broken.xml"), AnalysisError);
}

TEST(MeshRealData, Desc2024) {
    const std::filesystem::path path = std::filesystem::path(TRIALS_SHARED_DATA) /
                                       "mesh-2024-jaytimm" / "desc2024_from_tsv.xml.gz";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "real MeSH data absent: " << path;
    const auto t0 = std::chrono::steady_clock::now();
    const MeshThesaurus mesh = MeshThesaurus::load(path);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    RecordProperty("load_seconds", std::to_string(seconds));
    EXPECT_LT(seconds, 10.0);
    EXPECT_EQ(mesh.size(), 30764U);
    for (const char* term : {"Shock Lung", "Respiratory Distress Syndrome, Adult",
                             "respiratory distress syndrome, adult", "ARDS, Human"}) {
        const MeshDescriptor* d = mesh.by_term(term);
        ASSERT_NE(d, nullptr) << term;
        EXPECT_EQ(d->ui, "D012128") << term;
    }
    const MeshDescriptor* ards = mesh.by_ui("D012128");
    ASSERT_NE(ards, nullptr);
    bool found_c08 = false;
    for (const MeshDescriptor* a : mesh.ancestors(*ards)) {
        found_c08 = found_c08 || a->name == "Respiratory Tract Diseases";
        EXPECT_NE(a->ui, "D012128");
    }
    EXPECT_TRUE(found_c08);
    const MeshDescriptor* covid = mesh.by_ui("D000086382");
    ASSERT_NE(covid, nullptr);
    EXPECT_EQ(covid->name, "COVID-19");
    EXPECT_NE(std::find(covid->entry_terms.begin(), covid->entry_terms.end(), "COVID19"),
              covid->entry_terms.end());
    EXPECT_EQ(mesh.by_term("covid19"), covid);
    EXPECT_EQ(mesh.by_term("COVID-19"), covid);
}

TEST(MeshRealData, Desc2015Excerpt) {
    const std::filesystem::path path = std::filesystem::path(TRIALS_SHARED_DATA) /
                                       "mesh-2024-jaytimm" / "desc2015_subset.dhimmel.xml";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "real MeSH data absent: " << path;
    // The excerpt stops inside its third record, before </DescriptorRecordSet>: the records
    // up to the cut are read.
    const MeshThesaurus mesh = MeshThesaurus::load(path);
    ASSERT_EQ(mesh.size(), 3U);
    EXPECT_EQ(mesh.descriptors().back().ui, "D000003");
    const MeshDescriptor* calcimycin = mesh.by_ui("D000001");
    ASSERT_NE(calcimycin, nullptr);
    EXPECT_EQ(calcimycin->name, "Calcimycin");
    EXPECT_EQ(mesh.by_term("A23187"), calcimycin);
    // Qualifier and pharmacological-action names elsewhere in the record are not entry terms.
    EXPECT_EQ(mesh.by_term("therapeutic use"), nullptr);
}

}  // namespace
}  // namespace trials::analysis
