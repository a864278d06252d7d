// Command-line tests: build/bin/trials-index and trials-search run through the shell (popen) on
// the bundled sample (data/sample, 26 studies; facts in tests/data/sample_facts.md), each test
// process in its own temporary directory. Asserts exact NCT ids, exit codes, JSON keys,
// one-line error messages, the README examples, spelling suggestions and --explain.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;
using Json = nlohmann::json;
using Ids = std::vector<std::string>;

// A directory removed at the end; one per test process, so ctest -j never shares a database.
class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() /
                ("trials-cli-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

struct Result {
    int code = -1;
    std::string out;
    std::string err;
};

std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        if (c == '\'') {
            q += "'\\''";
        } else {
            q += c;
        }
    }
    return q + "'";
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs build/bin/<program> with args; stdout and stderr captured, exit code decoded.
Result run(const fs::path& scratch, const std::string& program,
           const std::vector<std::string>& args) {
    static int calls = 0;
    const fs::path err_file = scratch / ("stderr-" + std::to_string(++calls) + ".txt");
    std::string cmd = shell_quote((fs::path(TRIALS_BIN_DIR) / program).string());
    for (const auto& a : args) cmd += " " + shell_quote(a);
    cmd += " 2>" + shell_quote(err_file.string());
    Result r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) return r;
    char buf[4096];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
    const int status = pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = slurp(err_file);
    return r;
}

std::size_t count_lines(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

fs::path sample_dir() { return fs::path(TRIALS_SAMPLE_DATA) / "sample"; }

// --- trials-search on the sample: one database per test process --------------------------

class SearchCli : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const Result r = run(dir_->path(), "trials-index",
                             {"--db", db().string(), "--threads", "2", sample_dir().string()});
        ASSERT_EQ(r.code, 0) << r.out << r.err;
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static fs::path db() { return dir_->path() / "db"; }

    static Result search(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db().string()});
        return run(dir_->path(), "trials-search", args);
    }
    static Json search_json(std::vector<std::string> args, int expect_code = 0) {
        args.push_back("--json");
        const Result r = search(args);
        EXPECT_EQ(r.code, expect_code) << r.err;
        EXPECT_EQ(r.err, "");
        Json j = Json::parse(r.out, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << r.out;
        return j;
    }
    // The NCT ids of every hit, in rank order.
    static Ids ids(const std::string& query, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{query, "--limit", "100", "--no-snippets"};
        args.insert(args.end(), extra.begin(), extra.end());
        args.push_back("--json");
        const Result r = search(args);
        EXPECT_TRUE(r.code == 0 || r.code == 1) << query << ": " << r.err;
        const Json j = Json::parse(r.out, nullptr, false);
        Ids out;
        if (j.is_discarded()) return out;
        for (const auto& h : j["hits"]) out.push_back(h["nct_id"].get<std::string>());
        EXPECT_EQ(r.code, out.empty() ? 1 : 0) << query;
        return out;
    }
    static Ids sorted_ids(const std::string& query) {
        Ids v = ids(query);
        std::sort(v.begin(), v.end());
        return v;
    }

    static TempDir* dir_;
};
TempDir* SearchCli::dir_ = nullptr;

TEST_F(SearchCli, ExitCodes) {
    EXPECT_EQ(search({"tocilizumab"}).code, 0);
    EXPECT_EQ(search({"xyzzyq"}).code, 1);
    EXPECT_EQ(search({"\"unterminated"}).code, 2);
    EXPECT_EQ(
        run(dir_->path(), "trials-search", {"--db", (dir_->path() / "nope").string(), "x"}).code,
        2);
    EXPECT_EQ(run(dir_->path(), "trials-search", {"covid"}).code, 2);  // no --db
    EXPECT_EQ(search({"--no-such-option"}).code, 2);
    EXPECT_EQ(search({"--help"}).code, 0);
}

TEST_F(SearchCli, MissingDatabaseIsOneLine) {
    const Result r =
        run(dir_->path(), "trials-search", {"--db", (dir_->path() / "nope").string(), "covid"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(count_lines(r.err), 1u) << r.err;
    EXPECT_THAT(r.err, HasSubstr("no such database"));
}

// Every query error form: exit 2, nothing on stdout, one line on stderr saying what is wrong.
TEST_F(SearchCli, QueryErrorsAreOneLine) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> rows = {
        {{"\"unterminated"}, "unterminated quote at character 1"},
        {{"AREA[NoSuchArea]x"}, "unknown search area AREA[NoSuchArea]"},
        {{"AREA[Phase"}, "unterminated AREA["},
        {{"start:yesterday"}, "cannot read 'yesterday' as a date"},
        {{"enrollment:abc"}, "cannot read 'abc' as a number"},
        {{"age:old"}, "cannot read 'old' as an age"},
        {{"AREA[EnrollmentCount]RANGE[1]"}, "RANGE[lo, hi] needs a comma"},
        {{"RANGE[1, 2]"}, "RANGE[...] must follow AREA[Field] or a field name"},
        {{"(asthma"}, "missing ')'"},
        {{"asthma)"}, "unexpected ')'"},
        {{"AND covid"}, "AND needs a term before it at character 1"},
        {{"covid AND"}, "AND needs a term after it at character 10"},
        {{"covid AND AND ards"}, "AND needs a term after it at character 11"},
        {{"covid OR"}, "OR needs a term after it at character 9"},
        {{"OR covid"}, "OR needs a term before it at character 1"},
        {{"covid AND (ards OR)"}, "OR needs a term after it at character 19"},
        {{"()"}, "empty parentheses at character 2"},
        {{"EXPANSION[Sideways]asthma"}, "unknown EXPANSION[sideways]"},
        {{"title:"}, "a value must follow title:"},
        {{"covid", "--facet", "nope"}, "unknown facet 'nope'"},
        {{"covid", "--facets", "some"}, "--facets takes 'all'"},
        {{"covid", "--sort", "colour"}, "unknown sort key 'colour'"},
        {{"covid", "--sort", "start:up"}, "sort direction must be asc or desc"},
        {{"covid", "--sort", "relevance:asc"}, "--sort relevance takes no direction"},
        {{"covid", "--cursor", "garbage"}, "malformed --cursor"},
        {{"covid", "--cursor", "x-1"}, "malformed --cursor"},
        {{"covid", "--cursor", "2-bogus"}, "belongs to another query"},
    };
    for (const auto& [args, message] : rows) {
        const Result r = search(args);
        EXPECT_EQ(r.code, 2) << args[0];
        EXPECT_EQ(r.out, "") << args[0];
        EXPECT_EQ(count_lines(r.err), 1u) << args[0] << ": " << r.err;
        EXPECT_EQ(r.err.rfind("trials-search: ", 0), 0u) << r.err;
        EXPECT_THAT(r.err, HasSubstr(message)) << args[0];
    }
}

TEST_F(SearchCli, CursorOfAnotherQueryIsRefused) {
    const Json page = search_json({"covid", "--limit", "2"});
    ASSERT_TRUE(page["next_cursor"].is_string());
    const Result r = search({"ards", "--cursor", page["next_cursor"].get<std::string>()});
    EXPECT_EQ(r.code, 2);
    EXPECT_THAT(r.err, HasSubstr("belongs to another query"));
}

TEST_F(SearchCli, JsonHasTheDocumentedKeys) {
    const Json j = search_json({"tocilizumab", "--facet", "status"});
    for (const char* key :
         {"query", "total", "total_exact", "hits", "facets", "next_cursor", "suggestion"}) {
        EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["query"], "tocilizumab");
    EXPECT_EQ(j["total"], 1);
    EXPECT_TRUE(j["next_cursor"].is_null());
    EXPECT_TRUE(j["suggestion"].is_null());
    ASSERT_EQ(j["hits"].size(), 1u);
    const Json& h = j["hits"][0];
    for (const char* key : {"nct_id", "rank", "score", "title", "status", "phases", "conditions",
                            "snippet", "snippet_field"}) {
        EXPECT_TRUE(h.contains(key)) << key;
    }
    EXPECT_EQ(h["nct_id"], "NCT09900001");
    EXPECT_EQ(h["rank"], 1);
    EXPECT_GT(h["score"].get<double>(), 0.0);
    EXPECT_EQ(h["status"], "COMPLETED");
    EXPECT_EQ(h["phases"], Json::array({"PHASE3"}));
    EXPECT_THAT(h["conditions"].get<Ids>(), ::testing::Contains("COVID-19"));
    EXPECT_THAT(h["title"].get<std::string>(), HasSubstr("Tocilizumab"));
    EXPECT_THAT(h["snippet"].get<std::string>(), HasSubstr("<b>tocilizumab</b>"));
    ASSERT_TRUE(j["facets"].contains("status"));
    EXPECT_EQ(j["facets"]["status"], Json::parse(R"([{"value": "COMPLETED", "count": 1}])"));
}

TEST_F(SearchCli, TextOutput) {
    const Result r = search({"tocilizumab", "--exact-total"});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.out.rfind("1 trial (exact)\n", 0), 0u) << r.out;
    EXPECT_THAT(r.out, HasSubstr("1. NCT09900001  [COMPLETED | PHASE3]"));
    EXPECT_THAT(r.out, HasSubstr("Conditions: COVID-19"));
    EXPECT_THAT(r.out, HasSubstr("*tocilizumab*"));  // highlights; bold only on a terminal
    EXPECT_EQ(r.out.find('\033'), std::string::npos);
    const Result none = search({"xyzzyq"});
    EXPECT_EQ(none.out, "0 trials (exact)\n");
}

// The examples of the README's query language table, with the trials they must find.
TEST_F(SearchCli, ReadmeQueryExamples) {
    EXPECT_EQ(sorted_ids("mesenchymal stromal ards"),
              (Ids{"NCT04447833", "NCT09900002", "NCT09900003"}));
    EXPECT_EQ(sorted_ids("\"acute respiratory distress\""),
              (Ids{"NCT04390152", "NCT04447833", "NCT04456361", "NCT09900002", "NCT09900003",
                   "NCT09900004"}));
    EXPECT_EQ(sorted_ids("(tocilizumab OR sarilumab) -placebo"), Ids{});  // it has a placebo arm
    EXPECT_EQ(sorted_ids("(tocilizumab OR sarilumab)"), Ids{"NCT09900001"});
    EXPECT_EQ(sorted_ids("intervention:vedolizumab"), Ids{"NCT09900013"});
    EXPECT_EQ(sorted_ids("vedolizumab"), (Ids{"NCT09900012", "NCT09900013", "NCT09900014"}));
    EXPECT_EQ(sorted_ids("eligibility:vedolizumab"), (Ids{"NCT09900012", "NCT09900014"}));
    EXPECT_EQ(sorted_ids("condition:(asthma OR copd)"), Ids{});
    EXPECT_EQ(sorted_ids("condition:(lupus OR pouchitis)"), (Ids{"NCT09900009", "NCT09900014"}));
    EXPECT_EQ(sorted_ids("mesh:\"respiratory tract diseases\""),
              (Ids{"NCT04346368", "NCT04390152", "NCT04445454", "NCT04447833", "NCT04456361",
                   "NCT09900001", "NCT09900002", "NCT09900003", "NCT09900004", "NCT09900005",
                   "NCT09900006", "NCT09900016", "NCT09900017", "NCT09900018", "NCT09900019"}));
    EXPECT_EQ(sorted_ids("AREA[InterventionName]vedolizumab"), Ids{"NCT09900013"});
}

TEST_F(SearchCli, ReadmeFacetFilterExamples) {
    EXPECT_EQ(sorted_ids("status:recruiting"),
              (Ids{"NCT04390152", "NCT04445454", "NCT09900006", "NCT09900009", "NCT09900011",
                   "NCT09900015", "NCT09900018"}));
    EXPECT_EQ(sorted_ids("phase:2"),
              (Ids{"NCT04390152", "NCT04445454", "NCT09900002", "NCT09900003", "NCT09900006",
                   "NCT09900008", "NCT09900014"}));
    EXPECT_EQ(ids("type:interventional").size(), 23u);
    EXPECT_EQ(sorted_ids("type:observational"), (Ids{"NCT09900004", "NCT09900009", "NCT09900019"}));
    EXPECT_EQ(sorted_ids("sex:female"), (Ids{"NCT09900007", "NCT09900011"}));
    EXPECT_EQ(sorted_ids("country:sweden"), (Ids{"NCT04447833", "NCT09900004", "NCT09900011"}));
    EXPECT_EQ(sorted_ids("country:\"united states\""),
              (Ids{"NCT09900003", "NCT09900006", "NCT09900007", "NCT09900013", "NCT09900017",
                   "NCT09900018"}));
    EXPECT_EQ(sorted_ids("intervention_type:behavioral"), (Ids{"NCT09900011", "NCT09900020"}));
    EXPECT_EQ(sorted_ids("healthy:yes"),
              (Ids{"NCT09900009", "NCT09900016", "NCT09900017", "NCT09900018"}));
    EXPECT_EQ(sorted_ids("age_group:child"), (Ids{"NCT09900009", "NCT09900016"}));
    EXPECT_EQ(sorted_ids("sponsor_class:industry"),
              (Ids{"NCT04390152", "NCT04456361", "NCT09900007", "NCT09900013", "NCT09900016",
                   "NCT09900017"}));
    EXPECT_EQ(sorted_ids("results:yes"), Ids{});
    EXPECT_EQ(sorted_ids("condition_mesh:\"covid-19\""),
              (Ids{"NCT04346368", "NCT04445454", "NCT04447833", "NCT04456361", "NCT09900001",
                   "NCT09900002", "NCT09900004", "NCT09900005", "NCT09900017"}));
    EXPECT_EQ(ids("status:recruiting,completed").size(), 15u);
    EXPECT_EQ(sorted_ids("phase:early1"), (Ids{"NCT04456361", "NCT09900018"}));
    EXPECT_EQ(sorted_ids("status:active"),
              (Ids{"NCT04447833", "NCT04456361", "NCT09900004", "NCT09900007"}));
}

TEST_F(SearchCli, ReadmeRangeExamples) {
    EXPECT_EQ(sorted_ids("start:2020..2020-12"),
              (Ids{"NCT04390152", "NCT04445454", "NCT04447833", "NCT04456361", "NCT09900001",
                   "NCT09900002", "NCT09900005"}));
    EXPECT_EQ(sorted_ids("enrollment:1000.."), (Ids{"NCT09900007", "NCT09900010", "NCT09900016"}));
    EXPECT_EQ(sorted_ids("enrollment:..20"),
              (Ids{"NCT04346368", "NCT04445454", "NCT04447833", "NCT04456361", "NCT09900002"}));
    // age:X = minimum age <= X <= maximum age; a trial giving no ages does not exclude anyone.
    EXPECT_EQ(sorted_ids("age:16"), (Ids{"NCT04390152", "NCT09900009", "NCT09900016"}));
    EXPECT_EQ(sorted_ids("age:6m"), (Ids{"NCT04390152", "NCT09900016"}));
    EXPECT_EQ(sorted_ids("AREA[MinimumAge]RANGE[MIN, 16 years]"),
              (Ids{"NCT09900009", "NCT09900016"}));
    EXPECT_EQ(ids("AREA[StartDate]RANGE[2020-01-01, MAX]").size(), 18u);
    EXPECT_EQ(sorted_ids("AREA[Phase]MISSING"), (Ids{"NCT09900004", "NCT09900009", "NCT09900019"}));
    EXPECT_EQ(sorted_ids("AREA[EnrollmentCount]MISSING"), Ids{"NCT04390152"});
    EXPECT_EQ(sorted_ids("start:2015-01-12"), Ids{"NCT09900020"});
    EXPECT_EQ(ids("AREA[MaximumAge]MISSING").size(), 12u);
}

// Regression: an operator right after "field:" was read as a word (phase:MISSING found nothing,
// enrollment:RANGE[10, 20] was an error) while the same with a space worked.
TEST_F(SearchCli, OperatorsRightAfterFieldColon) {
    EXPECT_EQ(sorted_ids("phase:MISSING"), sorted_ids("AREA[Phase]MISSING"));
    EXPECT_EQ(sorted_ids("phase:MISSING"), (Ids{"NCT09900004", "NCT09900009", "NCT09900019"}));
    EXPECT_EQ(sorted_ids("enrollment:RANGE[10, 20]"),
              (Ids{"NCT04346368", "NCT04445454", "NCT09900002"}));
    EXPECT_EQ(sorted_ids("max_age:MISSING").size(), 12u);
}

TEST_F(SearchCli, ReadmeAnalysisExamples) {
    EXPECT_EQ(sorted_ids("COVID-19"), sorted_ids("covid19"));
    EXPECT_EQ(sorted_ids("COVID-19"), sorted_ids("covid 19"));
    EXPECT_EQ(sorted_ids("SARS-CoV-2"), sorted_ids("sarscov2"));
    EXPECT_EQ(sorted_ids("liège"), (Ids{"NCT04445454", "NCT09900015"}));
    EXPECT_EQ(sorted_ids("liege"), (Ids{"NCT04445454", "NCT09900015"}));
    EXPECT_EQ(sorted_ids("CD4+"), (Ids{"NCT04346368", "NCT09900008"}));
    EXPECT_EQ(sorted_ids("CD4-"), Ids{"NCT09900009"});
    EXPECT_EQ(sorted_ids("CD4"), (Ids{"NCT04346368", "NCT09900008", "NCT09900009"}));
    EXPECT_EQ(sorted_ids("tocilizumab"), Ids{"NCT09900001"});
}

TEST_F(SearchCli, SortingPutsMissingValuesLast) {
    const Ids start_asc = ids("", {"--sort", "start:asc"});
    ASSERT_EQ(start_asc.size(), 26u);
    EXPECT_EQ(start_asc.front(), "NCT09900020");  // 2015-01-12, the earliest
    EXPECT_EQ(start_asc.back(), "NCT04346368");   // no start date
    const Ids start_desc = ids("", {"--sort", "start:desc"});
    EXPECT_EQ(start_desc.front(), "NCT09900012");  // 2025-09-01, the latest
    EXPECT_EQ(start_desc.back(), "NCT04346368");
    const Ids enrollment = ids("", {"--sort", "enrollment"});
    EXPECT_THAT(Ids(enrollment.begin(), enrollment.begin() + 3),
                ElementsAre("NCT09900010", "NCT09900016", "NCT09900007"));  // 5000, 2400, 1200
    EXPECT_EQ(enrollment.back(), "NCT04390152");                            // no enrollment
    const Ids enrollment_asc = ids("", {"--sort", "enrollment:asc"});
    EXPECT_EQ(enrollment_asc.front(), "NCT04447833");  // 7
    EXPECT_EQ(enrollment_asc.back(), "NCT04390152");
}

TEST_F(SearchCli, LimitOffsetAndCursorWalk) {
    const Ids all = ids("", {"--sort", "start:asc"});
    ASSERT_EQ(all.size(), 26u);
    const Json page = search_json({"", "--sort", "start:asc", "--limit", "5", "--offset", "5"});
    Ids got;
    for (const auto& h : page["hits"]) got.push_back(h["nct_id"]);
    EXPECT_THAT(got, ElementsAreArray(all.begin() + 5, all.begin() + 10));
    EXPECT_EQ(page["hits"][0]["rank"], 6);

    Ids walked;
    std::vector<std::string> args{"", "--sort", "start:asc", "--limit", "7"};
    for (int pages = 0; pages < 10; ++pages) {
        const Json j = search_json(args);
        for (const auto& h : j["hits"]) walked.push_back(h["nct_id"]);
        if (j["next_cursor"].is_null()) break;
        args = {"", "--sort", "start:asc", "--limit", "7", "--cursor", j["next_cursor"]};
    }
    EXPECT_EQ(walked, all);
}

TEST_F(SearchCli, FacetCountsAreExactAndDisjunctive) {
    const Json j =
        search_json({"status:recruiting", "--facet", "status,phase", "--facet", "country"});
    EXPECT_EQ(j["total"], 7);
    auto counts = [&](const char* facet) {
        std::map<std::string, int> m;
        for (const auto& v : j["facets"][facet]) m[v["value"]] = v["count"];
        return m;
    };
    // status ignores its own filter: the whole sample.
    EXPECT_EQ(counts("status"), (std::map<std::string, int>{{"ACTIVE_NOT_RECRUITING", 4},
                                                            {"COMPLETED", 8},
                                                            {"NOT_YET_RECRUITING", 3},
                                                            {"RECRUITING", 7},
                                                            {"TERMINATED", 2},
                                                            {"UNKNOWN", 1},
                                                            {"WITHDRAWN", 1}}));
    // phases of the 7 recruiting trials, each value of a multi-phase trial counted.
    EXPECT_EQ(counts("phase"),
              (std::map<std::string, int>{
                  {"EARLY_PHASE1", 1}, {"NA", 1}, {"PHASE1", 2}, {"PHASE2", 3}, {"PHASE3", 1}}));
    EXPECT_EQ(counts("country"),
              (std::map<std::string, int>{
                  {"Belgium", 2}, {"Germany", 1}, {"Sweden", 1}, {"United States", 2}}));
    const Json all = search_json({"covid", "--facets", "all"});
    EXPECT_EQ(all["facets"].size(), 15u);
    EXPECT_TRUE(all["total_exact"].get<bool>());
}

TEST_F(SearchCli, FieldsAndSnippetsOptions) {
    const Json j = search_json({"tocilizumab", "--fields", "sponsor,enrollment", "--no-snippets"});
    ASSERT_EQ(j["hits"].size(), 1u);
    EXPECT_EQ(j["hits"][0]["enrollment"], 450);
    EXPECT_TRUE(j["hits"][0]["sponsor"].is_string());
    EXPECT_EQ(j["hits"][0]["snippet"], "");
    EXPECT_FALSE(j["hits"][0].contains("summary"));
    const Json all = search_json({"tocilizumab", "--fields", "all"});
    EXPECT_TRUE(all["hits"][0].contains("summary"));
}

// --ids prints the same hits, in the same order, as the JSON output, one NCT id per line, and
// reads no stored record (the ids come from the value slot).
TEST_F(SearchCli, IdsOutputListsTheSameHits) {
    for (const std::string q : {"covid", "covid status:recruiting", "tocilizumab OR sarilumab"}) {
        const Result r = search({q, "--ids", "--limit", "100"});
        EXPECT_EQ(r.code, 0) << q << ": " << r.err;
        std::string expected;
        for (const std::string& id : ids(q)) expected += id + "\n";
        EXPECT_EQ(r.out, expected) << q;
    }
    EXPECT_EQ(search({"xyzzyq", "--ids"}).out, "");
    EXPECT_EQ(search({"xyzzyq", "--ids"}).code, 1);
    const Result both = search({"covid", "--ids", "--json"});
    EXPECT_EQ(both.code, 2);
    EXPECT_THAT(both.err, HasSubstr("--ids and --json"));
}

// --- spelling ------------------------------------------------------------------------------

TEST_F(SearchCli, SpellingSuggestionWithItsCount) {
    const Json j = search_json({"tocilizumb"}, 1);
    EXPECT_EQ(j["total"], 0);
    ASSERT_TRUE(j["suggestion"].is_object()) << j.dump();
    EXPECT_EQ(j["suggestion"]["query"], "tocilizumab");
    EXPECT_EQ(j["suggestion"]["total"], 1);
    EXPECT_EQ(j["suggestion"]["corrections"],
              Json::parse(R"([{"word": "tocilizumb", "suggestion": "tocilizumab"}])"));

    const Result text = search({"tocilizumb"});
    EXPECT_EQ(text.code, 1);
    EXPECT_EQ(text.out, "0 trials (exact)\nDid you mean: tocilizumab (1 trial)\n");

    const Json two = search_json({"Tocilizumb covd"}, 1);
    EXPECT_EQ(two["suggestion"]["query"], "tocilizumab covid");
    EXPECT_EQ(two["suggestion"]["total"], 1);
    // Scoped words, phrases and filters stay as written around the corrected word.
    EXPECT_EQ(search_json({"title:nivolumb"}, 1)["suggestion"]["query"], "title:nivolumab");
    const Json phrase = search_json({"\"acute respiratry distress\" status:recruiting"}, 1);
    EXPECT_EQ(phrase["suggestion"]["query"], "\"acute respiratory distress\" status:recruiting");
    EXPECT_EQ(phrase["suggestion"]["total"], 1);
}

TEST_F(SearchCli, NoSuggestionThatFindsNothingOrForKnownWords) {
    // tocilizumab is in a COMPLETED trial only: the correction would find nothing.
    EXPECT_TRUE(search_json({"tocilizumb status:withdrawn"}, 1)["suggestion"].is_null());
    EXPECT_TRUE(search_json({"tocilizumab"})["suggestion"].is_null());
    EXPECT_TRUE(search_json({"xyzzyq"}, 1)["suggestion"].is_null());
    // Filter values and negated words are not spelling-checked.
    EXPECT_TRUE(search_json({"status:recruting"}, 1)["suggestion"].is_null());
    EXPECT_TRUE(search_json({"covid -placebp"})["suggestion"].is_null());
    const Result text = search({"xyzzyq"});
    EXPECT_THAT(text.out, ::testing::Not(HasSubstr("Did you mean")));
}

TEST_F(SearchCli, SpellingSuggestionOnShards) {
    const fs::path shards = dir_->path() / "shards";
    const Result idx = run(dir_->path(), "trials-index",
                           {"--db", shards.string(), "--shards", "2", "-q", sample_dir().string()});
    ASSERT_EQ(idx.code, 0) << idx.err;
    const Result r =
        run(dir_->path(), "trials-search", {"--db", shards.string(), "tocilizumb", "--json"});
    EXPECT_EQ(r.code, 1);
    const Json j = Json::parse(r.out);
    EXPECT_EQ(j["suggestion"]["query"], "tocilizumab");
    EXPECT_EQ(j["suggestion"]["total"], 1);
}

// Remote shards serve no spelling data: the output says so instead of failing.
TEST_F(SearchCli, SpellingOverRemoteShardsIsReportedNotFatal) {
    const char* tcpsrv = "/usr/bin/xapian-tcpsrv";
    if (access(tcpsrv, X_OK) != 0) GTEST_SKIP() << "xapian-tcpsrv is not installed (xapian-tools)";
    int port = 0;
    pid_t pid = -1;
    for (int attempt = 0; attempt < 5 && port == 0; ++attempt) {
        const int candidate = 30000 + static_cast<int>((getpid() * 7 + attempt * 131) % 9000);
        pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            const std::string p = std::to_string(candidate);
            const std::string d = db().string();
            execl(tcpsrv, tcpsrv, "--port", p.c_str(), "--interface", "127.0.0.1", "--quiet",
                  d.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        for (int i = 0; i < 60 && port == 0; ++i) {
            try {
                Xapian::Database probe = Xapian::Remote::open("127.0.0.1", candidate, 2000);
                if (probe.get_doccount() == 26) port = candidate;
            } catch (const Xapian::Error&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
        if (port == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
    }
    ASSERT_NE(port, 0) << "xapian-tcpsrv did not start";
    const fs::path stub = dir_->path() / "remote.stub";
    std::ofstream(stub) << "remote 127.0.0.1:" << port << "\n";

    const Result r = run(dir_->path(), "trials-search", {"--db", stub.string(), "tocilizumb"});
    const Result j =
        run(dir_->path(), "trials-search", {"--db", stub.string(), "tocilizumb", "--json"});
    const Result ok = run(dir_->path(), "trials-search", {"--db", stub.string(), "tocilizumab"});
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);

    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_THAT(r.out, HasSubstr("Note: spelling suggestions are not available"));
    const Json parsed = Json::parse(j.out);
    EXPECT_TRUE(parsed["suggestion"].is_null());
    ASSERT_EQ(parsed["notes"].size(), 1u);
    EXPECT_THAT(parsed["notes"][0].get<std::string>(), HasSubstr("remote shards"));
    EXPECT_EQ(ok.code, 0) << ok.err;  // everything else works remotely
    EXPECT_THAT(ok.out, ::testing::Not(HasSubstr("Note:")));
}

// --- explain -------------------------------------------------------------------------------

// A curated synonym group is indexed as one concept term per field: "coronavirus disease 2019"
// finds NCT09900001, which says only "COVID-19" and "SARS-CoV-2 infection", through the concept
// covid19; --explain names it, and the snippet marks the group's words.
TEST_F(SearchCli, SynonymGroupsMatchThroughTheirConcept) {
    const Json exact = search_json({"EXPANSION[None]coronavirus disease 2019", "--limit", "50"});
    for (const auto& h : exact["hits"]) EXPECT_NE(h["nct_id"], "NCT09900001");
    const Json j = search_json({"coronavirus disease 2019", "--limit", "50"});
    const Json* hit = nullptr;
    for (const auto& h : j["hits"]) {
        if (h["nct_id"] == "NCT09900001") hit = &h;
    }
    ASSERT_NE(hit, nullptr) << j.dump();
    EXPECT_GT(j["hits"].size(), exact["hits"].size());
    EXPECT_NE((*hit)["snippet"].get<std::string>().find("<b>SARS-CoV-2</b> <b>infection</b>"),
              std::string::npos)
        << (*hit)["snippet"];
    const Json e = search_json({"coronavirus disease 2019", "--explain", "NCT09900001"})["explain"];
    ASSERT_EQ(e["parts"].size(), 1u);
    const Json& t = e["parts"][0]["terms"][0];
    EXPECT_EQ(t["term"], "covid19");
    EXPECT_EQ(t["kind"], "concept");
    EXPECT_EQ(t["field"], "all");
}

TEST_F(SearchCli, ExplainShowsFieldsAndTerms) {
    const Json hit = search_json({"tocilizumab covid"})["hits"][0];
    ASSERT_EQ(hit["nct_id"], "NCT09900001");
    const Json j = search_json({"tocilizumab covid", "--explain", "NCT09900001"});
    EXPECT_EQ(j["query"], "tocilizumab covid");
    const Json& e = j["explain"];
    for (const char* key : {"nct_id", "title", "in_database", "matches", "score", "parts", "fields",
                            "matching_terms"}) {
        EXPECT_TRUE(e.contains(key)) << key;
    }
    EXPECT_EQ(e["nct_id"], "NCT09900001");
    EXPECT_TRUE(e["matches"].get<bool>());
    EXPECT_NEAR(e["score"].get<double>(), hit["score"].get<double>(), 1e-9);
    ASSERT_EQ(e["parts"].size(), 2u);
    EXPECT_EQ(e["parts"][0]["query"], "tocilizumab");
    EXPECT_EQ(e["parts"][1]["query"], "covid");
    double sum = 0;
    for (const auto& p : e["parts"]) sum += p["weight"].get<double>();
    EXPECT_NEAR(sum, e["score"].get<double>(), 1e-6);
    // tocilizumab is in the title and the interventions of NCT09900001.
    EXPECT_GT(e["fields"].value("title", 0.0), 0.0);
    EXPECT_GT(e["fields"].value("intervention", 0.0), 0.0);
    const Json& t = e["parts"][0]["terms"][0];
    EXPECT_EQ(t["field"], "all");
    EXPECT_EQ(t["term"], "tocilizumab");
    EXPECT_TRUE(t["in_fields"].contains("title"));

    const Result text = search({"tocilizumab covid", "--explain", "nct09900001"});
    EXPECT_EQ(text.code, 0);
    EXPECT_THAT(text.out, HasSubstr("NCT09900001 matches the query with score"));
    EXPECT_THAT(text.out, HasSubstr("by field:"));
}

TEST_F(SearchCli, LongAnyQuerySearchesItsRarestWordsAndSaysWhichItLeftOut) {
    // 43 words, 42 groups ("health care" is one synonym group): over 40, so the two whose rarest
    // term is most common in the 26 sample studies are left out ("years" is in 25 of them).
    const std::string q =
        "tocilizumab study patients trial treatment covid vaccine children adults placebo "
        "randomized dose safety efficacy disease infection participants years weeks months group "
        "clinical outcome primary secondary hospital severe blood cancer therapy health care day "
        "days age women men control phase oral daily mild";
    const Json j = search_json({q, "--any", "--limit", "26", "--no-snippets"});
    ASSERT_EQ(j["notes"].size(), 1u) << j.dump();
    EXPECT_EQ(j["notes"][0], "--any searched the 40 rarest words of a long query; left out as too "
                             "common: years therapy");
    double score = -1;
    for (const auto& h : j["hits"]) {
        if (h["nct_id"] == "NCT09900001") score = h["score"].get<double>();
    }
    ASSERT_GT(score, 0) << "tocilizumab's trial is found";
    // --explain scores the same 40 words.
    const Json e = search_json({q, "--any", "--explain", "NCT09900001"})["explain"];
    EXPECT_NEAR(e["score"].get<double>(), score, 1e-9);
    for (const auto& part : e["parts"]) {
        EXPECT_NE(part["query"], "years");
        EXPECT_NE(part["query"], "therapy");
    }
    // A short ORed query keeps every word and says nothing.
    EXPECT_FALSE(search_json({"tocilizumab years", "--any"}).contains("notes"));
}

TEST_F(SearchCli, ExplainScopedFieldsAndFilters) {
    const Json e = search_json(
        {"intervention:vedolizumab status:completed", "--explain", "NCT09900013"})["explain"];
    EXPECT_TRUE(e["matches"].get<bool>());
    ASSERT_EQ(e["fields"].size(), 1u);
    EXPECT_GT(e["fields"]["intervention"].get<double>(), 0.0);
    bool filter_seen = false;
    for (const auto& m : e["matching_terms"]) {
        if (m["kind"] == "filter" && m["field"] == "status" && m["term"] == "completed") {
            filter_seen = true;
        }
    }
    EXPECT_TRUE(filter_seen) << e.dump();
    const Result text =
        search({"intervention:vedolizumab status:completed", "--explain", "NCT09900013"});
    EXPECT_THAT(text.out, HasSubstr("filters passed: status:completed"));
}

TEST_F(SearchCli, ExplainATrialThatDoesNotMatch) {
    const Result r = search({"tocilizumab", "--explain", "NCT09900002"});
    EXPECT_EQ(r.code, 1);
    EXPECT_THAT(r.out, HasSubstr("NCT09900002 does not match the query"));
    EXPECT_THAT(r.out, HasSubstr("no match for: tocilizumab"));
    const Json e = search_json({"tocilizumab", "--explain", "NCT09900002"}, 1)["explain"];
    EXPECT_FALSE(e["matches"].get<bool>());
    EXPECT_TRUE(e["in_database"].get<bool>());
    EXPECT_FALSE(e["parts"][0]["matched"].get<bool>());

    const Result filtered = search({"tocilizumab status:recruiting", "--explain", "NCT09900001"});
    EXPECT_EQ(filtered.code, 1);
    EXPECT_THAT(filtered.out, HasSubstr("a filter (facet, range or NOT) leaves it out"));

    const Result absent = search({"tocilizumab", "--explain", "NCT00000000"});
    EXPECT_EQ(absent.code, 1);
    EXPECT_EQ(absent.out, "NCT00000000 is not in this database\n");
    EXPECT_EQ(search({"(tocilizumab", "--explain", "NCT09900001"}).code, 2);
}

// --- trials-index --------------------------------------------------------------------------

class IndexCli : public ::testing::Test {
  protected:
    Result index(const std::vector<std::string>& args) {
        return run(dir_.path(), "trials-index", args);
    }
    fs::path db() const { return dir_.path() / "db"; }
    fs::path inputs(const std::vector<fs::path>& files) {
        const fs::path in = dir_.path() / ("in" + std::to_string(++inputs_));
        fs::create_directories(in);
        for (const auto& f : files) fs::copy_file(f, in / f.filename());
        return in;
    }
    TempDir dir_;
    int inputs_ = 0;
};

TEST_F(IndexCli, IndexesTheSampleThenFindsItUnchanged) {
    const Result first = index({"--db", db().string(), sample_dir().string()});
    EXPECT_EQ(first.code, 0) << first.err;
    EXPECT_THAT(first.out, HasSubstr("read 26 studies"));
    EXPECT_THAT(first.out, HasSubstr("added 26"));
    EXPECT_THAT(first.out, HasSubstr("the database holds 26 studies"));
    const Result again = index({"--db", db().string(), sample_dir().string()});
    EXPECT_EQ(again.code, 0) << again.err;
    EXPECT_THAT(again.out, HasSubstr("added 0, updated 0, unchanged 26"));
    EXPECT_EQ(index({"--db", db().string(), "-q", sample_dir().string()}).out, "");
}

TEST_F(IndexCli, UsageErrorsAreFatal) {
    EXPECT_EQ(index({sample_dir().string()}).code, 2);  // no --db
    EXPECT_EQ(index({"--db", db().string()}).code, 2);  // no inputs
    EXPECT_EQ(index({"--db", db().string(), "--no-such-option", "x"}).code, 2);
}

TEST_F(IndexCli, LockedDatabaseIsFatal) {
    ASSERT_EQ(index({"--db", db().string(), "-q", sample_dir().string()}).code, 0);
    Xapian::WritableDatabase holder(db().string(), Xapian::DB_OPEN);  // holds the write lock
    const Result r = index({"--db", db().string(), sample_dir().string()});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(count_lines(r.err), 1u) << r.err;
    EXPECT_THAT(r.err, HasSubstr("locked"));
}

TEST_F(IndexCli, RejectedRecordsAreReportedAndTheRestIndexed) {
    const fs::path records = fs::path(TRIALS_TEST_DATA) / "records";
    const fs::path in = inputs({sample_dir() / "NCT09900001.json", records / "malformed.json",
                                records / "missing_nct.json"});
    const Result r = index({"--db", db().string(), in.string()});
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_THAT(r.out, HasSubstr("rejected 2"));
    EXPECT_EQ(count_lines(r.err), 2u) << r.err;
    EXPECT_THAT(r.err, HasSubstr("malformed.json"));
    EXPECT_THAT(r.err, HasSubstr("missing_nct.json"));
    const Result s = run(dir_.path(), "trials-search", {"--db", db().string(), "tocilizumab"});
    EXPECT_EQ(s.code, 0);
    EXPECT_THAT(s.out, HasSubstr("NCT09900001"));
}

TEST_F(IndexCli, StrictAndMaxErrorsStopEarly) {
    const fs::path records = fs::path(TRIALS_TEST_DATA) / "records";
    const fs::path in = inputs({records / "malformed.json", records / "missing_nct.json",
                                sample_dir() / "NCT09900001.json"});
    const Result strict = index({"--db", db().string(), "--strict", in.string()});
    EXPECT_EQ(strict.code, 3) << strict.out << strict.err;
    EXPECT_THAT(strict.err, HasSubstr("stopped early"));
    const Result max =
        index({"--db", (dir_.path() / "db2").string(), "--max-errors", "2", in.string()});
    EXPECT_EQ(max.code, 3) << max.out << max.err;
    EXPECT_THAT(max.err, HasSubstr("--max-errors 2"));
}

}  // namespace
