// for_each_document(): files, sorted directory walks, NDJSON chunking, zip / tar / tar.gz /
// .json.gz archives written by the test with libarchive, corrupt archives, size limits, stop.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "records_test_util.hpp"

namespace trials::records {
namespace {

using testing::collect;
using testing::TempDir;

std::string v2(const std::string& id, const std::string& title = "t") {
    return R"({"protocolSection":{"identificationModule":{"nctId":")" + id + R"(","briefTitle":")" +
           title + R"("}}})";
}

std::string xml(const std::string& id) {
    return "<clinical_study><id_info><nct_id>" + id + "</nct_id></id_info></clinical_study>";
}

std::vector<std::string> ids(const testing::Collected& c) {
    std::vector<std::string> out;
    for (const auto& s : c.studies) out.push_back(s.study.nct_id);
    return out;
}

TEST(Source, SingleFilesByExtension) {
    auto c = collect(testing::fixture("v2_study.json"));
    ASSERT_EQ(c.documents.size(), 1u);
    EXPECT_EQ(c.documents[0].format, Format::Json);
    EXPECT_EQ(c.documents[0].origin, testing::fixture("v2_study.json").string());
    EXPECT_EQ(ids(c), (std::vector<std::string>{"NCT90000001"}));

    c = collect(testing::fixture("legacy_study.xml"));
    ASSERT_EQ(c.documents.size(), 1u);
    EXPECT_EQ(c.documents[0].format, Format::LegacyXml);

    c = collect(testing::fixture("studies.ndjson"));
    EXPECT_EQ(c.documents[0].format, Format::Ndjson);
    EXPECT_EQ(ids(c), (std::vector<std::string>{"NCT90000031", "NCT90000035"}));
    EXPECT_EQ(c.parse_errors.size(), 2u);
    EXPECT_TRUE(c.source_errors.empty());
}

TEST(Source, MissingPathIsAnError) {
    const auto c = collect("/nonexistent/records/here.json");
    EXPECT_TRUE(c.documents.empty());
    ASSERT_EQ(c.source_errors.size(), 1u);
    EXPECT_NE(c.source_errors[0].reason.find("no such file"), std::string::npos);
}

TEST(Source, DirectoryIsWalkedRecursivelyInSortedOrder) {
    TempDir dir;
    dir.write("b/NCT90000102.json", v2("NCT90000102"));
    dir.write("a/z.xml", xml("NCT90000101"));
    dir.write("a/NCT90000100.json", v2("NCT90000100"));
    dir.write("c.ndjson", v2("NCT90000103") + "\n" + v2("NCT90000104") + "\n");
    dir.write("README.md", "# notes");
    dir.write("ids.txt", "NCT90000101\n");
    dir.write(".hidden/NCT90000199.json", v2("NCT90000199"));
    dir.write("noext_json", v2("NCT90000105"));
    dir.write("noext_binary", std::string("\x00\x01\x02", 3));
    const auto c = collect(dir.path());
    EXPECT_EQ(ids(c), (std::vector<std::string>{"NCT90000100", "NCT90000101", "NCT90000102",
                                                "NCT90000103", "NCT90000104", "NCT90000105"}));
    ASSERT_EQ(c.source_errors.size(), 1u) << testing::describe(c.source_errors);
    EXPECT_EQ(c.source_errors[0].origin, (dir.path() / "noext_binary").string());
    EXPECT_NE(c.source_errors[0].reason.find("not a record file"), std::string::npos);
    EXPECT_TRUE(c.parse_errors.empty());
}

TEST(Source, NdjsonIsChunkedAtLineBoundaries) {
    TempDir dir;
    std::string text;
    for (int i = 0; i < 50; ++i) text += v2("NCT9000" + std::to_string(1000 + i)) + "\n";
    text += v2("NCT90009999");  // last line without a newline
    const auto path = dir.write("many.ndjson", text);
    SourceOptions options;
    options.ndjson_chunk_bytes = 500;
    const auto c = collect(path, options);
    EXPECT_GT(c.documents.size(), 5u);
    ASSERT_EQ(c.studies.size(), 51u);
    EXPECT_TRUE(c.parse_errors.empty()) << testing::describe(c.parse_errors);
    EXPECT_EQ(c.documents.front().first_line, 1u);
    for (std::size_t i = 1; i < c.documents.size(); ++i) {
        EXPECT_GT(c.documents[i].first_line, c.documents[i - 1].first_line);
        EXPECT_EQ(c.documents[i].format, Format::Ndjson);
    }
    EXPECT_EQ(c.studies[0].origin, path.string() + ":line 1");
    EXPECT_EQ(c.studies[37].origin, path.string() + ":line 38");
    EXPECT_EQ(c.studies[37].study.nct_id, "NCT90001037");
    EXPECT_EQ(c.studies[50].study.nct_id, "NCT90009999");
    EXPECT_EQ(c.studies[50].origin, path.string() + ":line 51");
}

TEST(Source, OverlongNdjsonLineIsRejectedAndNumberingKept) {
    TempDir dir;
    const std::string text = v2("NCT90000201") + "\n" + v2("NCT90000202", std::string(5000, 'x')) +
                             "\n" + v2("NCT90000203") + "\n";
    const auto path = dir.write("long.ndjson", text);
    SourceOptions options;
    options.max_entry_bytes = 1000;
    options.ndjson_chunk_bytes = 10;
    const auto c = collect(path, options);
    EXPECT_EQ(ids(c), (std::vector<std::string>{"NCT90000201", "NCT90000203"}));
    EXPECT_EQ(c.studies[1].origin, path.string() + ":line 3");
    ASSERT_EQ(c.source_errors.size(), 1u);
    EXPECT_EQ(c.source_errors[0].origin, path.string() + ":line 2");
    EXPECT_NE(c.source_errors[0].reason.find("max_entry_bytes"), std::string::npos);
}

TEST(Source, OversizedFileIsRejected) {
    SourceOptions options;
    options.max_entry_bytes = 100;
    const auto c = collect(testing::fixture("v2_study.json"), options);
    EXPECT_TRUE(c.documents.empty());
    ASSERT_EQ(c.source_errors.size(), 1u);
    EXPECT_NE(c.source_errors[0].reason.find("above the limit of 100 bytes"), std::string::npos);
}

class ArchiveTest : public ::testing::TestWithParam<testing::ArchiveType> {};

TEST_P(ArchiveTest, EntriesAreStreamedWithArchiveOrigins) {
    TempDir dir;
    const std::string name = GetParam() == testing::ArchiveType::Zip   ? "dump.zip"
                             : GetParam() == testing::ArchiveType::Tar ? "dump.tar"
                                                                       : "dump.tar.gz";
    const auto path = dir.path() / name;
    testing::write_archive(
        path, GetParam(),
        {{"NCT0000xxxx/NCT90000301.json", v2("NCT90000301")},
         {"NCT0000xxxx/NCT90000302.xml", xml("NCT90000302")},
         {"README.txt", "not records"},
         {"more/set.ndjson", v2("NCT90000303") + "\n{oops\n" + v2("NCT90000304")},
         {"NCT0000xxxx/bad.json", v2("NCT123")}});
    const auto c = collect(path);
    EXPECT_TRUE(c.source_errors.empty()) << testing::describe(c.source_errors);
    EXPECT_EQ(ids(c), (std::vector<std::string>{"NCT90000301", "NCT90000302", "NCT90000303",
                                                "NCT90000304"}));
    EXPECT_EQ(c.studies[0].origin, path.string() + ":NCT0000xxxx/NCT90000301.json");
    EXPECT_EQ(c.studies[2].origin, path.string() + ":more/set.ndjson:line 1");
    ASSERT_EQ(c.parse_errors.size(), 2u);
    EXPECT_EQ(c.parse_errors[0].origin, path.string() + ":more/set.ndjson:line 2");
    EXPECT_EQ(c.parse_errors[1].origin, path.string() + ":NCT0000xxxx/bad.json");
    EXPECT_EQ(c.parse_errors[1].reason, "malformed NCT id 'NCT123'");
}

TEST_P(ArchiveTest, OversizedEntryIsRejectedOthersKept) {
    TempDir dir;
    const auto path = dir.path() / (GetParam() == testing::ArchiveType::Zip ? "a.zip" : "a.tgz");
    testing::write_archive(path, GetParam(),
                           {{"big.json", v2("NCT90000401", std::string(4000, 'y'))},
                            {"small.json", v2("NCT90000402")}});
    SourceOptions options;
    options.max_entry_bytes = 1000;
    const auto c = collect(path, options);
    EXPECT_EQ(ids(c), (std::vector<std::string>{"NCT90000402"}));
    ASSERT_EQ(c.source_errors.size(), 1u);
    EXPECT_EQ(c.source_errors[0].origin, path.string() + ":big.json");
    EXPECT_NE(c.source_errors[0].reason.find("max_entry_bytes"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Formats, ArchiveTest,
                         ::testing::Values(testing::ArchiveType::Zip, testing::ArchiveType::TarGz,
                                           testing::ArchiveType::Tar));

// 60 entries of random hex, so that compression cannot make the archive small.
std::filesystem::path write_big_archive(const TempDir& dir, const std::string& name,
                                        testing::ArchiveType type) {
    std::vector<std::pair<std::string, std::string>> entries;
    std::mt19937 rng(42);
    for (int i = 0; i < 60; ++i) {
        std::string title;
        for (int k = 0; k < 8000; ++k) title.push_back("0123456789abcdef"[rng() % 16]);
        entries.emplace_back("s/NCT9000" + std::to_string(5000 + i) + ".json",
                             v2("NCT9000" + std::to_string(5000 + i), title));
    }
    const auto path = dir.path() / name;
    testing::write_archive(path, type, entries);
    return path;
}

TEST(Source, TruncatedArchiveReportsArchiveAndEntryAndKeepsEarlierEntries) {
    TempDir dir;
    const std::string bytes =
        testing::slurp(write_big_archive(dir, "full.tar.gz", testing::ArchiveType::TarGz));
    const auto cut = dir.write("cut.tar.gz", bytes.substr(0, bytes.size() / 2));
    const auto c = collect(cut);
    EXPECT_GT(c.studies.size(), 5u);
    EXPECT_LT(c.studies.size(), 60u);
    ASSERT_FALSE(c.source_errors.empty());
    const InputError& e = c.source_errors.back();
    EXPECT_EQ(e.origin.rfind(cut.string(), 0), 0u) << e.to_string();
    EXPECT_NE(e.to_string().find("NCT9000"), std::string::npos) << e.to_string();  // the entry
    EXPECT_NE(e.reason.find("truncated"), std::string::npos) << e.to_string();
}

TEST(Source, CorruptedArchivesReportAndKeepGoing) {
    for (const auto type : {testing::ArchiveType::TarGz, testing::ArchiveType::Zip}) {
        TempDir dir;
        const bool zip = type == testing::ArchiveType::Zip;
        std::string bytes = testing::slurp(write_big_archive(dir, zip ? "a.zip" : "a.tgz", type));
        for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] ^= 0x55;
        const auto bad = dir.write(zip ? "bad.zip" : "bad.tgz", bytes);
        const auto c = collect(bad);
        EXPECT_FALSE(c.source_errors.empty() && c.parse_errors.empty()) << bad;
        EXPECT_GT(c.studies.size(), 5u);
        if (zip) {  // the central directory is intact: only the damaged entry is lost
            EXPECT_EQ(c.studies.size(), 59u);
            ASSERT_EQ(c.source_errors.size(), 1u);
            EXPECT_EQ(c.source_errors[0].origin.rfind(bad.string() + ":s/NCT9000", 0), 0u)
                << c.source_errors[0].to_string();
        } else {
            EXPECT_LT(c.studies.size(), 60u);
        }
    }
}

TEST(Source, GarbageArchiveIsReported) {
    TempDir dir;
    const auto path = dir.write("broken.zip", "this is not a zip file at all");
    const auto c = collect(path);
    EXPECT_TRUE(c.documents.empty());
    ASSERT_EQ(c.source_errors.size(), 1u);
    EXPECT_EQ(c.source_errors[0].origin, path.string());
}

TEST(Source, CompressedSingleFile) {
    TempDir dir;
    const auto path = dir.path() / "page.ndjson.gz";
    testing::write_archive(path, testing::ArchiveType::Gzip,
                           {{"data", v2("NCT90000601") + "\n" + v2("NCT90000602") + "\n"}});
    const auto c = collect(path);
    EXPECT_TRUE(c.source_errors.empty()) << testing::describe(c.source_errors);
    EXPECT_EQ(ids(c), (std::vector<std::string>{"NCT90000601", "NCT90000602"}));
    EXPECT_EQ(c.studies[1].origin, path.string() + ":page.ndjson:line 2");
}

TEST(Source, ConsumerCanStop) {
    TempDir dir;
    for (int i = 0; i < 5; ++i) {
        dir.write("NCT9000070" + std::to_string(i) + ".json", v2("NCT9000070" + std::to_string(i)));
    }
    const auto c = collect(dir.path(), {}, 2);
    EXPECT_EQ(c.documents.size(), 2u);
    EXPECT_EQ(ids(c), (std::vector<std::string>{"NCT90000700", "NCT90000701"}));
}

}  // namespace
}  // namespace trials::records
