// Regression: a direct MeSH term that is also an ancestor of another direct term of the same
// study must still count as direct (facet value and XMDX term). Found on the real COVID records
// ("Severe Acute Respiratory Syndrome" has "Coronavirus Infections" as an ancestor).
#include <gtest/gtest.h>

#include "trials/analysis/mesh.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/indexer/document_builder.hpp"

namespace trials::indexer {
namespace {

constexpr const char* kMesh = R"(<?xml version="1.0"?>
<DescriptorRecordSet>
<DescriptorRecord><DescriptorUI>D018352</DescriptorUI>
<DescriptorName><String>Coronavirus Infections</String></DescriptorName>
<TreeNumberList><TreeNumber>C01.925.782.600</TreeNumber></TreeNumberList></DescriptorRecord>
<DescriptorRecord><DescriptorUI>D045169</DescriptorUI>
<DescriptorName><String>Severe Acute Respiratory Syndrome</String></DescriptorName>
<TreeNumberList><TreeNumber>C01.925.782.600.550</TreeNumber></TreeNumberList></DescriptorRecord>
</DescriptorRecordSet>)";

TEST(DocumentBuilderMesh, DirectTermThatIsAlsoAnAncestorStaysDirect) {
    const auto mesh = analysis::MeshThesaurus::parse(kMesh, "inline");
    analysis::AnalyzerRegistry registry;
    DocumentBuilder b(registry, &mesh);
    records::Study s;
    s.nct_id = "NCT00000042";
    s.condition_mesh = {{"", "Severe Acute Respiratory Syndrome"}, {"", "Coronavirus Infections"}};
    const auto doc = b.build(s);
    const auto& f = analysis::facet(analysis::Facet::ConditionMesh);
    EXPECT_EQ(doc.get_value(f.slot),
              std::string("Coronavirus Infections\x1fSevere Acute Respiratory Syndrome"));
    auto has = [&](const std::string& t) {
        auto it = doc.termlist_begin();
        it.skip_to(t);
        return it != doc.termlist_end() && *it == t;
    };
    EXPECT_TRUE(has("XMDX:D018352"));
    EXPECT_TRUE(has("XMDX:D045169"));
}

}  // namespace
}  // namespace trials::indexer
