// The corpus generator's output: same seed same bytes, API v2 JSON that the readers and the
// indexer take without a rejection, ctg-studies.json.zip's layout, NDJSON lines, peer text rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "corpus_support.hpp"
#include "trials/indexer/index_run.hpp"

namespace trials::corpus::test {
namespace {

TEST(CorpusGenerator, SameSeedSameBytesOtherSeedOtherStudies) {
    const fs::path dir = temp_dir("determinism");
    write_corpus(sample_model(), dir / "a.zip", 5, 120);
    write_corpus(sample_model(), dir / "b.zip", 5, 120);
    write_corpus(sample_model(), dir / "c.zip", 6, 120);
    const std::string a = slurp(dir / "a.zip");
    ASSERT_GT(a.size(), 10000u);
    EXPECT_EQ(a, slurp(dir / "b.zip"));
    EXPECT_NE(a, slurp(dir / "c.zip"));

    // study i does not depend on how many others are generated, nor on their order
    GenerateOptions o;
    o.seed = 5;
    const std::string s77 = to_api_v2_json(generate_study(sample_model(), o, 77), 2);
    EXPECT_EQ(s77, to_api_v2_json(generate_study(sample_model(), o, 77), 2));
    EXPECT_NE(s77, to_api_v2_json(generate_study(sample_model(), o, 78), 2));
    fs::remove_all(dir);
}

TEST(CorpusGenerator, ZipLaidOutLikeTheBulkDownload) {
    const fs::path dir = temp_dir("zip");
    write_corpus(sample_model(), dir / "ctg-studies.json.zip", 1, 50);
    const ReadBack r = read_back(dir / "ctg-studies.json.zip");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    ASSERT_EQ(r.origins.size(), 50u);  // one entry per study
    const std::regex entry(R"(.*ctg-studies\.json\.zip:NCT8\d{7}\.json)");
    for (std::size_t i = 0; i < r.origins.size(); ++i) {
        EXPECT_TRUE(std::regex_match(r.origins[i], entry)) << r.origins[i];
    }
    EXPECT_NE(r.origins.front().find(":NCT80000001.json"), std::string::npos);
    EXPECT_NE(r.origins.back().find(":NCT80000050.json"), std::string::npos);
    // pretty-printed, as the bulk files are
    GenerateOptions o;
    const std::string json = to_api_v2_json(generate_study(sample_model(), o, 0), 2);
    EXPECT_EQ(json.rfind("{\n  \"protocolSection\": {\n    \"identificationModule\": {", 0), 0u);
    fs::remove_all(dir);
}

TEST(CorpusGenerator, ReadersGetBackWhatWasGenerated) {
    const fs::path dir = temp_dir("roundtrip");
    write_corpus(sample_model(), dir / "c.ndjson", 9, 200);
    const ReadBack r = read_back(dir / "c.ndjson");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    ASSERT_EQ(r.studies.size(), 200u);
    GenerateOptions o;
    o.seed = 9;
    for (std::uint64_t i = 0; i < 200; ++i) {
        const records::Study want = generate_study(sample_model(), o, i);
        const records::Study& got = r.studies[i];
        ASSERT_EQ(got.nct_id, want.nct_id);
        EXPECT_EQ(got.overall_status, want.overall_status) << want.nct_id;
        EXPECT_EQ(got.phases, want.phases) << want.nct_id;
        EXPECT_EQ(got.study_type, want.study_type) << want.nct_id;
        EXPECT_EQ(got.conditions, want.conditions) << want.nct_id;
        EXPECT_EQ(got.condition_mesh, want.condition_mesh) << want.nct_id;
        EXPECT_EQ(got.start_date, want.start_date) << want.nct_id;
        EXPECT_EQ(got.enrollment, want.enrollment) << want.nct_id;
        EXPECT_EQ(got.interventions.size(), want.interventions.size()) << want.nct_id;
        EXPECT_EQ(got.locations.size(), want.locations.size()) << want.nct_id;
        EXPECT_EQ(got.minimum_age_years, want.minimum_age_years) << want.nct_id;
        EXPECT_FALSE(got.brief_title.empty());
    }
    fs::remove_all(dir);
}

TEST(CorpusGenerator, IndexerTakesEveryStudy) {
    const fs::path dir = temp_dir("index");
    write_corpus(sample_model(), dir / "ctg-studies.json.zip", 3, 40);
    indexer::IndexOptions o;
    o.db_path = dir / "db";
    o.inputs = {dir / "ctg-studies.json.zip"};
    o.threads = 2;
    std::vector<std::string> errors;
    o.on_error = [&](const records::InputError& e) { errors.push_back(e.to_string()); };
    const indexer::IndexStats stats = indexer::run_index(o);
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(stats.read, 40u);
    EXPECT_EQ(stats.added, 40u);
    EXPECT_EQ(stats.rejected, 0u);
    EXPECT_EQ(stats.doc_count, 40u);
    fs::remove_all(dir);
}

TEST(CorpusGenerator, PeerTextRowHasElevenColumnsWithoutLineBreaks) {
    GenerateOptions o;
    const records::Study s = generate_study(sample_model(), o, 4);
    const std::string row = peer_text_row(s);
    EXPECT_EQ(row.find('\n'), std::string::npos);
    EXPECT_EQ(std::count(row.begin(), row.end(), '\t'), 10);
    EXPECT_EQ(row.rfind("NCT80000005\t" + s.overall_status + "\t", 0), 0u);
    EXPECT_NE(row.find(s.conditions.empty() ? s.nct_id : s.conditions.front()), std::string::npos);
}

TEST(CorpusGenerator, RejectsUnknownOutputName) {
    EXPECT_THROW((void)output_format("corpus.tar"), std::invalid_argument);
    EXPECT_EQ(output_format("x.JSONL"), OutputFormat::Ndjson);
}

}  // namespace
}  // namespace trials::corpus::test
