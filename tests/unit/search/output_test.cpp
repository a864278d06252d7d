// The terminal listing (output.hpp): what a hit's lines show.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "trials/search/output.hpp"

namespace trials::search {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string listing(const SearchResponse& r) {
    std::ostringstream out;
    print_text(out, r, TextStyle{});
    return out.str();
}

TEST(TextListing, LongConditionListsAreCut) {
    SearchResponse r;
    r.total = 1;
    r.total_exact = true;
    Hit h{1, "NCT00492089", 2.5, nlohmann::json::object(), "", "", {}};
    h.data["title"] = "Bevacizumab for brain tumors";
    h.data["conditions"] = nlohmann::json::array();
    for (int i = 1; i <= 20; ++i) h.data["conditions"].push_back("Tumor " + std::to_string(i));
    r.hits.push_back(h);
    const std::string text = listing(r);
    EXPECT_THAT(text, HasSubstr("Conditions: Tumor 1; Tumor 2; "));
    EXPECT_THAT(text, HasSubstr("; Tumor 12  (+8 more)\n"));
    EXPECT_THAT(text, Not(HasSubstr("Tumor 13")));

    r.hits[0].data["conditions"] = {"COVID-19", "ARDS"};
    EXPECT_THAT(listing(r), HasSubstr("     Conditions: COVID-19; ARDS\n"));
}

TEST(TextListing, FacetValuesAreCutAfterTwelve) {
    SearchResponse r;
    std::vector<FacetValue> values;
    for (int i = 0; i < 14; ++i) values.push_back({"v" + std::to_string(i), 14u - i});
    r.facets.emplace_back("phase", values);
    const std::string text = listing(r);
    EXPECT_THAT(text, HasSubstr("phase:  v0 14  v1 13"));
    EXPECT_THAT(text, HasSubstr("v11 3  (+2 more)\n"));
    EXPECT_THAT(text, Not(HasSubstr("v12")));
}

}  // namespace
}  // namespace trials::search
