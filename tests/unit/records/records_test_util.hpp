// Helpers for the records tests: fixture paths, reading a file into a RawDocument, collecting
// what for_each_document() + parse_document() yield, a temporary directory, an archive writer.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "trials/records/reader.hpp"

namespace trials::records::testing {

inline std::filesystem::path fixture(const std::string& name) {
    return std::filesystem::path(TRIALS_TEST_DATA) / "records" / name;
}

inline std::filesystem::path shared_data() { return std::filesystem::path(TRIALS_SHARED_DATA); }

inline std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline ParseResult parse_bytes(std::string bytes, Format format = Format::Unknown,
                               std::string origin = "mem") {
    return parse_document(RawDocument{std::move(origin), std::move(bytes), format, 1});
}

inline ParseResult parse_fixture(const std::string& name, Format format = Format::Unknown) {
    return parse_bytes(slurp(fixture(name)), format, name);
}

// Everything a source yields, parsed.
struct Collected {
    std::vector<RawDocument> documents;
    std::vector<ParsedStudy> studies;
    std::vector<InputError> source_errors;
    std::vector<InputError> parse_errors;
};

inline Collected collect(const std::filesystem::path& path, const SourceOptions& options = {},
                         std::size_t stop_after = 0) {
    Collected c;
    for_each_document(
        path, options,
        [&](RawDocument&& doc) {
            ParseResult r = parse_document(doc);
            for (auto& s : r.studies) c.studies.push_back(std::move(s));
            for (auto& e : r.errors) c.parse_errors.push_back(std::move(e));
            doc.bytes.clear();  // keep memory low on the real archives
            c.documents.push_back(std::move(doc));
            return stop_after == 0 || c.documents.size() < stop_after;
        },
        [&](InputError&& e) { c.source_errors.push_back(std::move(e)); });
    return c;
}

inline std::string describe(const std::vector<InputError>& errors, std::size_t max = 5) {
    std::string s;
    for (std::size_t i = 0; i < errors.size() && i < max; ++i) s += errors[i].to_string() + "\n";
    return s;
}

// A fresh directory under the system temp folder, removed at the end of the test.
class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                ("records_tests_" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    std::filesystem::path write(const std::string& name, const std::string& bytes) const {
        const std::filesystem::path p = path_ / name;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }

  private:
    std::filesystem::path path_;
};

enum class ArchiveType { Zip, TarGz, Tar, Gzip };

// Writes entries (name, bytes) with libarchive's writer; Gzip writes one raw gzip member.
inline void write_archive(const std::filesystem::path& path, ArchiveType type,
                          const std::vector<std::pair<std::string, std::string>>& entries) {
    archive* a = archive_write_new();
    switch (type) {
        case ArchiveType::Zip:
            archive_write_set_format_zip(a);
            break;
        case ArchiveType::TarGz:
            archive_write_set_format_pax_restricted(a);
            archive_write_add_filter_gzip(a);
            break;
        case ArchiveType::Tar:
            archive_write_set_format_pax_restricted(a);
            break;
        case ArchiveType::Gzip:
            archive_write_set_format_raw(a);
            archive_write_add_filter_gzip(a);
            break;
    }
    ASSERT_EQ(archive_write_open_filename(a, path.string().c_str()), ARCHIVE_OK)
        << archive_error_string(a);
    for (const auto& [name, bytes] : entries) {
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, name.c_str());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, static_cast<la_int64_t>(bytes.size()));
        ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
        ASSERT_EQ(archive_write_data(a, bytes.data(), bytes.size()),
                  static_cast<la_ssize_t>(bytes.size()));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
}

}  // namespace trials::records::testing
