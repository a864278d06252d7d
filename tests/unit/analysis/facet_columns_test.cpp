// Facet columns: the stored form round-trips at every code width, and a column stamped for
// another database or revision, or damaged, is refused.
#include <gtest/gtest.h>

#include "trials/analysis/facet_columns.hpp"

namespace trials::analysis {
namespace {

FacetColumn column_of(std::size_t values, std::size_t docs) {
    FacetColumn c;
    for (std::size_t v = 0; v < values; ++v) c.values.push_back("value " + std::to_string(v));
    c.codes.push_back(0);  // document id 0 does not exist
    for (std::size_t d = 1; d < docs; ++d) {
        c.codes.push_back(d % 7 == 0 ? 0 : static_cast<std::uint32_t>(1 + (d * 31) % values));
    }
    return c;
}

TEST(FacetColumns, RoundTripAtEachCodeWidth) {
    const std::string uuid = "0ee07bf3-3409-45a1-8b1d-2c3dc42382ce";
    // 1, 2 and 4 bytes a code; the last: more values than documents (a country combination each).
    for (const auto& [values, docs] : {std::pair<std::size_t, std::size_t>{3, 50},
                                       {300, 1000},
                                       {70000, 70010}}) {
        const FacetColumn c = column_of(values, docs);
        const std::string bytes = encode_facet_column(c, uuid, 42);
        const auto back = decode_facet_column(bytes, uuid, 42);
        ASSERT_TRUE(back.has_value()) << values;
        EXPECT_EQ(back->values, c.values);
        EXPECT_EQ(back->codes, c.codes);
        const std::size_t width = values < 255 ? 1 : values < 65535 ? 2 : 4;
        EXPECT_GE(bytes.size(), docs * width);
        EXPECT_LT(bytes.size(), docs * width + values * 20 + 100);
    }
}

TEST(FacetColumns, AnotherDatabaseRevisionOrDamageIsRefused) {
    const std::string uuid = "5513ca54-7741-464a-a6ac-90ba72636c3b";
    const std::string bytes = encode_facet_column(column_of(5, 100), uuid, 7);
    ASSERT_TRUE(decode_facet_column(bytes, uuid, 7).has_value());
    EXPECT_FALSE(decode_facet_column(bytes, uuid, 8).has_value());  // a later commit
    EXPECT_FALSE(decode_facet_column(bytes, "0ee07bf3-3409-45a1-8b1d-2c3dc42382ce", 7));
    EXPECT_FALSE(decode_facet_column("", uuid, 7).has_value());
    for (std::size_t cut : {1ul, 10ul, 60ul, bytes.size() - 1}) {
        EXPECT_FALSE(decode_facet_column(bytes.substr(0, cut), uuid, 7).has_value()) << cut;
    }
    EXPECT_FALSE(decode_facet_column(bytes + "x", uuid, 7).has_value());
    std::string bad_code = bytes;
    bad_code.back() = '\x09';  // 9 > the 5 values
    EXPECT_FALSE(decode_facet_column(bad_code, uuid, 7).has_value());
}

TEST(FacetColumns, CounterCountsTheCodesOfTheDocumentsItSees) {
    FacetColumn c;
    c.values = {"COMPLETED", "RECRUITING", "PHASE1\x1fPHASE2"};
    c.codes = {0, 1, 2, 2, 0, 3};
    ColumnCounter counter(c);
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (int i = 0; i < 7; ++i) db.add_document(Xapian::Document());
    // Document 4 has no value; document 7 came after the column was written: neither counts.
    for (Xapian::docid d : {1u, 2u, 3u, 4u, 5u, 7u}) counter(db.get_document(d), 1.0);
    const auto counts = counter.counts();
    ASSERT_EQ(counts.size(), 3u);
    EXPECT_EQ(counts[0], (std::pair<std::string, Xapian::doccount>{"COMPLETED", 1}));
    EXPECT_EQ(counts[1], (std::pair<std::string, Xapian::doccount>{"RECRUITING", 2}));
    EXPECT_EQ(counts[2], (std::pair<std::string, Xapian::doccount>{"PHASE1\x1fPHASE2", 1}));
}

}  // namespace
}  // namespace trials::analysis
