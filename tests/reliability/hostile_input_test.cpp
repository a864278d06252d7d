// Hostile input: trials-index run as a program on the committed fixtures of tests/data/hostile
// and on inputs generated here (garbage with record names, truncated and corrupt archives, a zip
// bomb, deep nesting, a 4 MB study, 10 MB text fields, unreadable files and folders). For every
// case: one stderr line naming the file (and archive entry) and the reason, every good record of
// the same run indexed, the documented exit code, no crash, bounded memory.
#include <archive.h>
#include <archive_entry.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <random>

#include "../unit/records/records_test_util.hpp"
#include "reliability_support.hpp"

namespace trials::reliability {
namespace {

using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::UnorderedElementsAreArray;
using Ids = std::vector<std::string>;
using records::testing::ArchiveType;
using records::testing::write_archive;

// Peak RSS allowed for any hostile run (AddressSanitizer's shadow memory and quarantine triple it).
#if defined(__SANITIZE_ADDRESS__)
#define TRIALS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TRIALS_ASAN 1
#endif
#endif
#ifdef TRIALS_ASAN
constexpr long kMemoryBoundKb = 1536 * 1024;
#else
constexpr long kMemoryBoundKb = 512 * 1024;
#endif

fs::path hostile(const std::string& name) {
    return fs::path(TRIALS_TEST_DATA) / "hostile" / name;
}

std::string good_study(const std::string& nct, const std::string& title) {
    return testing::study(nct, title).dump();
}

// The stderr line about `where`, which must also contain `reason`.
::testing::AssertionResult reported(const Finished& r, const std::string& where,
                                    const std::string& reason) {
    for (const auto& line : lines_of(r.err)) {
        if (line.find(where) != std::string::npos && line.find(reason) != std::string::npos) {
            return ::testing::AssertionSuccess();
        }
    }
    return ::testing::AssertionFailure()
           << "no stderr line with '" << where << "' and '" << reason << "' in:\n" << r.err;
}

class Hostile : public ::testing::Test {
protected:
    Finished index(const std::vector<std::string>& inputs,
                   const std::vector<std::string>& options = {},
                   std::optional<uid_t> uid = std::nullopt) {
        std::vector<std::string> args{"--db", db().string(), "--threads", "2"};
        args.insert(args.end(), options.begin(), options.end());
        args.insert(args.end(), inputs.begin(), inputs.end());
        Finished r = run_program("trials-index", args, dir_.path(), uid);
        EXPECT_EQ(r.signal, 0) << "trials-index died of signal " << r.signal << "\n" << r.err;
        EXPECT_LT(r.max_rss_kb, kMemoryBoundKb) << "peak memory";
        peak_kb_ = std::max(peak_kb_, r.max_rss_kb);
        return r;
    }
    void TearDown() override {
        std::cout << "[ figures  ] peak memory of trials-index: " << peak_kb_ / 1024 << " MB\n";
    }
    fs::path db() const { return dir_.path() / "db"; }
    fs::path in(const std::string& name) const { return dir_.path() / "in" / name; }
    fs::path put(const std::string& name, const std::string& bytes) const {
        write_file(in(name), bytes);
        return in(name);
    }
    Ids ids() const { return db_ids(db()); }
    std::string title_of(const std::string& nct) const {
        Xapian::Database d(db().string());
        const std::string term = std::string(analysis::kIdPrefix) + nct;
        auto p = d.postlist_begin(term);
        if (p == d.postlist_end(term)) return "";
        return nlohmann::json::parse(d.get_document(*p).get_data()).value("title", "");
    }
    TempDir dir_;
    long peak_kb_ = 0;
};

// --- the committed fixtures, all in one run ------------------------------------------------

TEST_F(Hostile, CommittedFixturesReportEachBadRecordAndIndexEveryGoodOne) {
    const Finished r = index({(fs::path(TRIALS_TEST_DATA) / "hostile").string()});
    EXPECT_EQ(r.code, 1) << r.err;  // finished, some records rejected
    EXPECT_THAT(ids(), UnorderedElementsAreArray(Ids{
                           "NCT09800001", "NCT09800002", "NCT09800003", "NCT09800004",
                           "NCT09800005", "NCT09800006", "NCT09800010", "NCT09800011",
                           "NCT09800012", "NCT09800013", "NCT09800014", "NCT09800020",
                           "NCT09800021"}));
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"truncated.json", "JSON syntax error"},
        {"truncated.xml", "XML syntax error"},
        {"invalid_utf8.json", "invalid UTF-8 at byte"},
        {"invalid_utf8.xml", "invalid UTF-8 at byte"},
        {"missing_nct.json:study 1", "missing NCT id"},
        {"missing_nct_key.json:study 1", "missing NCT id"},
        {"malformed_nct.json:study 1", "malformed NCT id 'NCT12'"},
        {"malformed_nct.json:study 2", "malformed NCT id 'XYZ09800091'"},
        {"malformed_nct.json:study 3", "malformed NCT id 'NCT0980009A'"},
        {"empty.json", "empty document"},
        {"empty.xml", "empty document"},
        {"whitespace.json", "empty document"},
        {"duplicate_b.json", "NCT09800005: warning: duplicate NCT id"},
    };
    for (const auto& [where, reason] : expected) EXPECT_TRUE(reported(r, where, reason));
    EXPECT_EQ(lines_of(r.err).size(), 13u) << r.err;  // 12 rejected + 1 duplicate warning
    EXPECT_THAT(r.out, HasSubstr("rejected 12"));
    EXPECT_THAT(r.out, HasSubstr("duplicate ids 1"));
    EXPECT_THAT(r.out, HasSubstr("the database holds 13 studies"));
    // Duplicate ids in one run: the later record wins.
    EXPECT_EQ(title_of("NCT09800005"), "Dingocept later version");
}

TEST_F(Hostile, UnknownEnumerationValuesAreKeptNotRejected) {
    const Finished r = index({hostile("unknown_enums.json").string()});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_THAT(ids(), UnorderedElementsAreArray(Ids{"NCT09800006"}));
    const Finished s = run_program("trials-search", {"--db", db().string(), "platypusin",
                                                     "--json", "--fields", "all"},
                                   dir_.path());
    ASSERT_EQ(s.code, 0) << s.err;
    const auto hit = nlohmann::json::parse(s.out)["hits"][0];
    EXPECT_EQ(hit["nct_id"], "NCT09800006");
    EXPECT_EQ(hit["status"], "PAUSED_BY_NEW_RULE");
}

// Every date form the registry uses: API v2 "YYYY", "YYYY-MM", "YYYY-MM-DD" (and a timestamp),
// legacy "Month D, YYYY", "Month YYYY", "Mon YYYY", "Sept D, YYYY"; an unparseable date is kept
// out of the ranges without rejecting the study.
TEST_F(Hostile, DatesInEveryRegistryForm) {
    const Finished r = index({hostile("dates_v2.json").string(),
                              hostile("dates_legacy_1.xml").string(),
                              hostile("dates_legacy_2.xml").string()});
    EXPECT_EQ(r.code, 0) << r.err;
    auto found = [&](const std::string& q) {
        const Finished s = run_program(
            "trials-search", {"--db", db().string(), q, "--json", "--limit", "50"}, dir_.path());
        Ids out;
        EXPECT_EQ(s.code, 0) << q << ": " << s.err;
        if (s.code != 0) return out;
        const auto response = nlohmann::json::parse(s.out);
        for (const auto& h : response["hits"]) out.push_back(h["nct_id"]);
        std::sort(out.begin(), out.end());
        return out;
    };
    EXPECT_EQ(found("start:2019-07-15..2019-07-15"),
              (Ids{"NCT09800012", "NCT09800013", "NCT09800020"}));
    EXPECT_EQ(found("start:2019-07..2019-07"),
              (Ids{"NCT09800011", "NCT09800012", "NCT09800013", "NCT09800020", "NCT09800021"}));
    EXPECT_EQ(found("start:2019..2019"),
              (Ids{"NCT09800010", "NCT09800011", "NCT09800012", "NCT09800013", "NCT09800020",
                   "NCT09800021"}));
    EXPECT_EQ(found("completion:2020-09-03..2020-09-03"), (Ids{"NCT09800021"}));
    EXPECT_EQ(found("completion:2021-12..2021-12"), (Ids{"NCT09800020"}));
    EXPECT_EQ(found("echidnol"), (Ids{"NCT09800010", "NCT09800011", "NCT09800012",
                                      "NCT09800013", "NCT09800014", "NCT09800020",
                                      "NCT09800021"}));
}

// --- generated: garbage, archives, bombs, nesting, size ------------------------------------

std::string garbage(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng() & 0xff);
    s[0] = '\x9c';  // never a '{', '[' or '<'
    return s;
}

TEST_F(Hostile, BinaryGarbageWithRecordNames) {
    put("a_garbage.json", garbage(4096, 1));
    put("b_garbage.xml", garbage(4096, 2));
    put("c_garbage.zip", garbage(4096, 3));
    put("d_garbage.tar.gz", garbage(4096, 4));
    put("e_garbage.json.gz", garbage(4096, 5));
    put("f_good.json", good_study("NCT09800100", "Kookaburrin after garbage"));
    const Finished r = index({(dir_.path() / "in").string()});
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_EQ(ids(), (Ids{"NCT09800100"}));
    EXPECT_TRUE(reported(r, "a_garbage.json", "invalid UTF-8 at byte 0"));
    EXPECT_TRUE(reported(r, "b_garbage.xml", "invalid UTF-8 at byte 0"));
    EXPECT_TRUE(reported(r, "c_garbage.zip", "archive"));
    EXPECT_TRUE(reported(r, "d_garbage.tar.gz", "archive"));
    EXPECT_TRUE(reported(r, "e_garbage.json.gz:e_garbage.json", "invalid UTF-8 at byte 0"));
    EXPECT_THAT(r.out, HasSubstr("rejected 5"));
}

std::vector<std::pair<std::string, std::string>> archive_entries(int first, int n) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (int i = 0; i < n; ++i) {
        const std::string id = "NCT0980" + std::to_string(1000 + first + i);
        // Incompressible padding, so that cutting the archive in half cuts entries in half.
        nlohmann::json s = testing::study(id, "Archived cassowarin " + std::to_string(i));
        std::string hex;
        for (const char c : garbage(3000, static_cast<unsigned>(first + i))) {
            hex += "0123456789abcdef"[static_cast<unsigned char>(c) % 16];
        }
        s["protocolSection"]["descriptionModule"]["detailedDescription"] = hex;
        entries.emplace_back("studies/" + id + ".json", s.dump());
    }
    return entries;
}

TEST_F(Hostile, TruncatedAndCorruptArchivesKeepTheirGoodEntries) {
    fs::create_directories(in(""));
    write_archive(in("cut.zip"), ArchiveType::Zip, archive_entries(0, 10));
    // 40 entries of about 4 KB, cut in half: about 20 are whole before the cut.
    write_archive(in("cut.tar.gz"), ArchiveType::TarGz, archive_entries(100, 40));
    write_archive(in("corrupt.zip"), ArchiveType::Zip, archive_entries(200, 10));
    auto cut = [&](const std::string& name) {
        fs::resize_file(in(name), fs::file_size(in(name)) / 2);
    };
    cut("cut.zip");
    cut("cut.tar.gz");
    {  // overwrite the middle of the corrupt zip (inside an entry's compressed data)
        std::string bytes = records::testing::slurp(in("corrupt.zip"));
        for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] ^= 0x5a;
        put("corrupt.zip", bytes);
    }
    put("z_good.json", good_study("NCT09800101", "Emu after the archives"));
    const Finished r = index({(dir_.path() / "in").string()});
    EXPECT_EQ(r.code, 1) << r.err;
    const Ids got = ids();
    EXPECT_THAT(got, ::testing::Contains("NCT09800101"));
    // The cut tar.gz keeps its first entries; the corrupt zip every entry but the damaged one.
    std::size_t from_tar = 0, from_corrupt = 0;
    for (const auto& id : got) {
        from_tar += id.compare(0, 9, "NCT098011") == 0 ? 1 : 0;
        from_corrupt += id.compare(0, 9, "NCT098012") == 0 ? 1 : 0;
    }
    EXPECT_GE(from_tar, 17u) << r.err << r.out;
    EXPECT_LT(from_tar, 40u);
    EXPECT_GE(from_corrupt, 8u);
    EXPECT_LT(from_corrupt, 10u);
    EXPECT_TRUE(reported(r, "cut.tar.gz", "truncated"));
    EXPECT_TRUE(reported(r, "corrupt.zip:studies/NCT098012", "ZIP decompression failed"));
    EXPECT_TRUE(reported(r, "cut.zip:studies/NCT09801005.json", "truncated archive"));
    EXPECT_THAT(got, IsSupersetOf(Ids{"NCT09801000", "NCT09801001", "NCT09801002",
                                      "NCT09801003", "NCT09801004"}));
}

// A small .tar.gz cut in half: the entries before the cut are indexed. libarchive's gzip filter
// dropped its last decompressed block (up to 64 KB) at a truncation, so every entry of a small
// archive was lost; the archive reader now decodes gzip itself with zlib.
TEST_F(Hostile, SmallTruncatedTarGzKeepsTheEntriesBeforeTheCut) {
    fs::create_directories(in(""));
    write_archive(in("small.tar.gz"), ArchiveType::TarGz, archive_entries(300, 8));
    fs::resize_file(in("small.tar.gz"), fs::file_size(in("small.tar.gz")) / 2);
    const Finished r = index({in("small.tar.gz").string()});
    EXPECT_EQ(r.code, 1) << r.err;
    const Ids got = ids();
    EXPECT_GE(got.size(), 2u) << r.err << r.out;
    EXPECT_LT(got.size(), 8u);
    EXPECT_THAT(got, ::testing::Contains("NCT09801300"));
    EXPECT_TRUE(reported(r, "small.tar.gz", "truncated"));
}

// A .tar.gz whose compressed data is damaged in the middle: zlib's error is reported naming the
// archive, and the entries before the damage are indexed.
TEST_F(Hostile, CorruptTarGzReportsTheGzipErrorAndKeepsTheEntriesBeforeIt) {
    fs::create_directories(in(""));
    write_archive(in("bad.tar.gz"), ArchiveType::TarGz, archive_entries(400, 8));
    std::string bytes = records::testing::slurp(in("bad.tar.gz"));
    for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] ^= 0x5a;
    put("bad.tar.gz", bytes);
    const Finished r = index({in("bad.tar.gz").string()});
    EXPECT_EQ(r.code, 1) << r.err;
    const Ids got = ids();
    EXPECT_THAT(got, ::testing::Contains("NCT09801400")) << r.err;
    EXPECT_LT(got.size(), 8u);
    EXPECT_TRUE(reported(r, "bad.tar.gz", "corrupt gzip data")) << r.err;
}

// A zip whose one entry expands 1000:1 to 256 MB (above the 64 MB entry limit), and a .json.gz
// that does the same without declaring its size: both refused, memory stays bounded, and the
// good entry after the bomb is indexed.
void write_bomb(const fs::path& path, bool zip, std::size_t expanded) {
    archive* a = archive_write_new();
    if (zip) {
        archive_write_set_format_zip(a);
    } else {
        archive_write_set_format_raw(a);
        archive_write_add_filter_gzip(a);
    }
    ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
    auto add = [&](const std::string& name, std::size_t size, const std::string& content) {
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, name.c_str());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        if (zip) archive_entry_set_size(e, static_cast<la_int64_t>(size));
        ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
        if (!content.empty()) {
            archive_write_data(a, content.data(), content.size());
        } else {
            const std::string block(1 << 20, ' ');
            std::string head = "[";
            archive_write_data(a, head.data(), head.size());
            for (std::size_t done = 1; done < size; done += block.size()) {
                archive_write_data(a, block.data(), std::min(block.size(), size - done));
            }
        }
        archive_entry_free(e);
    };
    add("bomb.json", expanded, "");
    if (zip) {
        const std::string good = good_study("NCT09800102", "Lyrebirdine after a zip bomb");
        add("after.json", good.size(), good);
    }
    archive_write_close(a);
    archive_write_free(a);
}

TEST_F(Hostile, ZipBombIsRefusedWithBoundedMemory) {
    fs::create_directories(in(""));
    write_bomb(in("bomb.zip"), true, std::size_t{256} << 20);
    write_bomb(in("bomb.json.gz"), false, std::size_t{256} << 20);
    EXPECT_LT(fs::file_size(in("bomb.zip")), std::uintmax_t{1} << 20);  // ratio above 256:1
    const Finished r = index({(dir_.path() / "in").string()});
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_EQ(ids(), (Ids{"NCT09800102"}));
    EXPECT_TRUE(reported(r, "bomb.zip:bomb.json", "above the limit of 67108864 bytes"));
    EXPECT_TRUE(reported(r, "bomb.json.gz", "above the limit of 67108864 bytes"));
}

TEST_F(Hostile, DeeplyNestedJsonAndXml) {
    const std::size_t depth = 200000;
    put("a_deep_array.json", std::string(depth, '[') + std::string(depth, ']'));
    put("b_deep_object.json", [&] {
        std::string s;
        for (std::size_t i = 0; i < depth; ++i) s += "{\"a\":";
        return s + "1" + std::string(depth, '}');
    }());
    {  // a real study whose one extra field nests deeply
        nlohmann::json s = testing::study("NCT09800103", "Deep field");
        std::string text = s.dump();
        text.insert(text.size() - 1,
                    ",\"x\":" + std::string(depth, '[') + std::string(depth, ']'));
        put("c_deep_field.json", text);
    }
    put("d_deep.xml", "<clinical_study><id_info><nct_id>NCT09800104</nct_id></id_info>" +
                          [&] {
                              std::string s;
                              for (std::size_t i = 0; i < depth; ++i) s += "<a>";
                              for (std::size_t i = 0; i < depth; ++i) s += "</a>";
                              return s;
                          }() +
                          "<brief_title>Deep XML</brief_title></clinical_study>");
    put("e_deep_ndjson.ndjson", std::string(depth, '[') + "\n" +
                                    good_study("NCT09800105", "Magpiemab after a deep line") +
                                    "\n");
    put("f_good.json", good_study("NCT09800106", "Galahin after deep nesting"));
    const Finished r = index({(dir_.path() / "in").string()});
    EXPECT_EQ(r.code, 1) << r.err;
    const Ids got = ids();
    EXPECT_THAT(got, IsSupersetOf(Ids{"NCT09800105", "NCT09800106"}));
    EXPECT_TRUE(reported(r, "a_deep_array.json", "JSON"));
    EXPECT_TRUE(reported(r, "b_deep_object.json", "JSON"));
    EXPECT_TRUE(reported(r, "e_deep_ndjson.ndjson:line 1", "JSON"));
}

// The registry's largest study is 3.6 MB: a 4 MB one (5000 locations) is indexed whole.
TEST_F(Hostile, FourMegabyteStudy) {
    nlohmann::json s = testing::study("NCT09800107", "Quollimab in a very large study");
    auto& locs = s["protocolSection"]["contactsLocationsModule"]["locations"];
    for (std::size_t i = 0, bytes = 0; bytes < (std::size_t{4} << 20); ++i) {
        nlohmann::json loc = {{"facility", "Site " + std::to_string(i) + " Hospital of Somewhere"},
                              {"city", "Town" + std::to_string(i)},
                              {"country", i == 4321 ? "Iceland" : "Sweden"},
                              {"status", "RECRUITING"},
                              {"contacts", {{{"name", "Investigator " + std::to_string(i)},
                                             {"role", "PRINCIPAL_INVESTIGATOR"}}}}};
        bytes += loc.dump().size() + 1;
        locs.push_back(std::move(loc));
    }
    put("big.json", s.dump());
    ASSERT_GT(fs::file_size(in("big.json")), std::uintmax_t{4} << 20);
    const Finished r = index({in("big.json").string()});
    EXPECT_EQ(r.code, 0) << r.err;
    const Finished q = run_program("trials-search",
                                   {"--db", db().string(), "quollimab", "country:iceland"},
                                   dir_.path());
    EXPECT_EQ(q.code, 0) << q.err;
    EXPECT_THAT(q.out, HasSubstr("NCT09800107"));
}

// A 10 MB description of words, and a 10 MB "word" without a single space (longer than any
// Xapian term may be): both studies indexed and searchable by their other fields.
TEST_F(Hostile, TenMegabyteTextFields) {
    const std::size_t ten_mb = std::size_t{10} << 20;
    nlohmann::json words = testing::study("NCT09800108", "Bettongia words study");
    std::string text;
    for (std::size_t i = 0; text.size() < ten_mb; ++i) {
        text += "word" + std::to_string(i % 50000) + " ";
    }
    text += "needleword";
    words["protocolSection"]["descriptionModule"]["detailedDescription"] = text;
    nlohmann::json blob = testing::study("NCT09800109", "Bettongia blob study");
    blob["protocolSection"]["descriptionModule"]["detailedDescription"] = std::string(ten_mb, 'x');
    blob["protocolSection"]["descriptionModule"]["briefSummary"] =
        "a" + std::string(100000, 'b') + " ordinary words after it";
    put("words.json", words.dump());
    put("blob.json", blob.dump());
    const Finished r = index({(dir_.path() / "in").string()});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(ids(), (Ids{"NCT09800108", "NCT09800109"}));
    auto search = [&](const std::string& q) {
        return run_program("trials-search", {"--db", db().string(), q, "--no-snippets"},
                           dir_.path());
    };
    EXPECT_THAT(search("needleword").out, HasSubstr("NCT09800108"));
    EXPECT_THAT(search("bettongia").out, HasSubstr("NCT09800109"));
    EXPECT_THAT(search("ordinary words").out, HasSubstr("NCT09800109"));
}

// Unreadable files and folders, a dangling symbolic link and a FIFO with a record name: each
// reported by name and reason, the readable records indexed. Permissions do not bind root, so
// as root the program runs as nobody (uid 65534).
TEST_F(Hostile, UnreadableFilesAndFolders) {
    put("a_good.json", good_study("NCT09800110", "Pademelon in a readable file"));
    put("b_locked.json", good_study("NCT09800111", "Unreadable file"));
    put("c_locked_dir/inside.json", good_study("NCT09800112", "Inside an unreadable folder"));
    put("d_after/ok.json", good_study("NCT09800113", "Potoroo after the unreadable folder"));
    fs::create_symlink(in("no-such-target.json"), in("e_dangling.json"));
    ASSERT_EQ(mkfifo(in("f_fifo.json").c_str(), 0666), 0);
    fs::permissions(in("b_locked.json"), fs::perms::none);
    fs::permissions(in("c_locked_dir"), fs::perms::none);
    std::optional<uid_t> uid;
    if (geteuid() == 0) {
        uid = 65534;
        for (const auto& p : {dir_.path(), dir_.path() / "in"}) {
            fs::permissions(p, fs::perms::all);
        }
    }
    const Finished r = index({(dir_.path() / "in").string()}, {}, uid);
    fs::permissions(in("c_locked_dir"), fs::perms::owner_all);  // so TempDir can remove it
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_EQ(ids(), (Ids{"NCT09800110", "NCT09800113"}));
    EXPECT_TRUE(reported(r, "b_locked.json", "Permission denied"));
    EXPECT_TRUE(reported(r, "c_locked_dir", "Permission denied"));
    EXPECT_TRUE(reported(r, "e_dangling.json", "not a regular file"));
    EXPECT_TRUE(reported(r, "f_fifo.json", "not a regular file"));
    EXPECT_THAT(r.out, HasSubstr("rejected 4"));
}

// --max-errors N stops after exactly N rejected records; what came before is committed and
// nothing after the stopping point is written.
TEST_F(Hostile, MaxErrorsStopsAfterExactlyNRejections) {
    put("a_bad.json", "{");
    put("b_good.json", good_study("NCT09800120", "Before the limit"));
    put("c_bad.json", "[");
    put("d_good.json", good_study("NCT09800121", "Still before the limit"));
    put("e_bad.xml", "<");
    for (int i = 0; i < 20; ++i) {
        put("f_after_" + std::to_string(10 + i) + ".json",
            good_study("NCT098002" + std::to_string(10 + i), "After the limit"));
    }
    const Finished r = index({(dir_.path() / "in").string()}, {"--max-errors", "3"});
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_THAT(r.err, HasSubstr("stopped early (--max-errors 3 reached)"));
    EXPECT_EQ(count_substr(r.err, "syntax error"), 3u) << r.err;
    EXPECT_EQ(ids(), (Ids{"NCT09800120", "NCT09800121"}));
}

}  // namespace
}  // namespace trials::reliability
