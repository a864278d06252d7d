// Zip and NDJSON output and the peers' text rows (see corpus_writer.hpp).
#include "corpus_writer.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <stdexcept>

namespace trials::corpus {

namespace fs = std::filesystem;

OutputFormat output_format(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".zip") return OutputFormat::Zip;
    if (ext == ".ndjson" || ext == ".jsonl") return OutputFormat::Ndjson;
    throw std::invalid_argument("output " + path.string() +
                                ": name must end in .zip, .ndjson or .jsonl");
}

struct CorpusWriter::Zip {
    archive* a = archive_write_new();
    ~Zip() { archive_write_free(a); }
    [[noreturn]] void fail(const fs::path& path, const std::string& what) const {
        const char* msg = archive_error_string(a);
        throw std::runtime_error(path.string() + ": " + what + ": " + (msg ? msg : "unknown error"));
    }
};

CorpusWriter::CorpusWriter(const fs::path& path, OutputFormat format)
    : format_(format), path_(path) {
    if (format_ == OutputFormat::Zip) {
        zip_ = std::make_unique<Zip>();
        if (archive_write_set_format_zip(zip_->a) != ARCHIVE_OK ||
            archive_write_open_filename(zip_->a, path.c_str()) != ARCHIVE_OK) {
            zip_->fail(path, "cannot create zip");
        }
    } else {
        ndjson_.open(path, std::ios::binary | std::ios::trunc);
        if (!ndjson_) throw std::runtime_error(path.string() + ": cannot create");
    }
}

CorpusWriter::~CorpusWriter() = default;

void CorpusWriter::add(const std::string& nct_id, std::string_view json) {
    json_bytes_ += json.size();
    if (format_ == OutputFormat::Ndjson) {
        ndjson_.write(json.data(), static_cast<std::streamsize>(json.size()));
        ndjson_.put('\n');
        if (!ndjson_) throw std::runtime_error(path_.string() + ": write failed");
        return;
    }
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, (nct_id + ".json").c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(json.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, 1767225600, 0);  // 2026-01-01: fixed, so a seed gives one zip
    const bool ok = archive_write_header(zip_->a, e) == ARCHIVE_OK &&
                    archive_write_data(zip_->a, json.data(), json.size()) ==
                        static_cast<la_ssize_t>(json.size());
    archive_entry_free(e);
    if (!ok) zip_->fail(path_, "writing " + nct_id + ".json");
}

void CorpusWriter::close() {
    if (zip_) {
        if (archive_write_close(zip_->a) != ARCHIVE_OK) zip_->fail(path_, "closing zip");
        zip_.reset();
    } else if (ndjson_.is_open()) {
        ndjson_.close();
        if (!ndjson_) throw std::runtime_error(path_.string() + ": write failed");
    }
}

namespace {

void append_clean(std::string& out, std::string_view text) {
    if (text.empty()) return;
    if (!out.empty() && out.back() != '\t') out += ' ';
    for (char c : text) out += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
}

}  // namespace

std::string peer_text_row(const records::Study& s) {
    std::string row;
    const auto column = [&row](auto&& fill) {
        if (!row.empty()) row += '\t';
        fill();
    };
    column([&] { append_clean(row, s.nct_id); });
    column([&] { append_clean(row, s.overall_status); });
    column([&] { append_clean(row, s.phases.empty() ? std::string("NA") : s.phases.front()); });
    column([&] { append_clean(row, s.study_type); });
    column([&] {
        append_clean(row, s.brief_title);
        append_clean(row, s.official_title);
        append_clean(row, s.acronym);
    });
    column([&] { append_clean(row, s.brief_summary); });
    column([&] { append_clean(row, s.detailed_description); });
    column([&] { append_clean(row, s.eligibility_criteria); });
    column([&] {
        for (const std::string& c : s.conditions) append_clean(row, c);
        for (const std::string& k : s.keywords) append_clean(row, k);
        for (const records::MeshTerm& m : s.condition_mesh) append_clean(row, m.term);
    });
    column([&] {
        for (const records::Intervention& i : s.interventions) {
            append_clean(row, i.name);
            for (const std::string& n : i.other_names) append_clean(row, n);
            append_clean(row, i.description);
        }
    });
    column([&] {
        for (const auto* list : {&s.primary_outcomes, &s.secondary_outcomes, &s.other_outcomes}) {
            for (const records::Outcome& o : *list) {
                append_clean(row, o.measure);
                append_clean(row, o.description);
                append_clean(row, o.time_frame);
            }
        }
    });
    return row;
}

}  // namespace trials::corpus
