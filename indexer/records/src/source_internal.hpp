// Private pieces of for_each_document(): file classification, the sink wrapper that remembers a
// stop request, NDJSON chunking, and the libarchive reader (archive_source.cpp).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "trials/records/reader.hpp"

namespace trials::records::detail {

enum class FileKind {
    Record,      // .json / .xml: one document
    Ndjson,      // .ndjson / .jsonl: streamed in chunks of lines
    Archive,     // .zip, .tar, .tar.gz, .tgz, .tar.bz2, .tar.xz ...
    Compressed,  // a single compressed record file: .json.gz, .ndjson.gz, .xml.bz2 ...
    Ignored,     // documentation and data we do not read: README, *.md, *.txt, *.csv, dotfiles
    Unknown,     // anything else: the content decides
};

struct Classified {
    FileKind kind = FileKind::Unknown;
    Format format = Format::Unknown;  // for Record, Ndjson and Compressed
};

// Classifies by the file name (the last path component of name), case-insensitively.
[[nodiscard]] Classified classify_name(std::string_view name);

// JSON or XML judging by the first significant byte (after a BOM and white space), else Unknown.
[[nodiscard]] Format sniff_start(std::string_view head);

// The two user callbacks plus the options; remembers when on_document asked to stop.
class Emitter {
  public:
    Emitter(const SourceOptions& options, const DocumentSink& on_document,
            const ErrorSink& on_error)
        : options_(options), on_document_(on_document), on_error_(on_error) {}

    // Returns false once the consumer has asked to stop.
    bool document(RawDocument&& doc);
    void error(std::string origin, std::string reason);
    [[nodiscard]] bool stopped() const { return stopped_; }
    [[nodiscard]] const SourceOptions& options() const { return options_; }

  private:
    const SourceOptions& options_;
    const DocumentSink& on_document_;
    const ErrorSink& on_error_;
    bool stopped_ = false;
};

// Groups NDJSON lines into documents of about ndjson_chunk_bytes, cut at line boundaries, with
// first_line set. A line longer than max_entry_bytes is reported and replaced by an empty line
// (so later line numbers stay right); memory stays bounded by chunk size + one line.
class NdjsonChunker {
  public:
    NdjsonChunker(std::string origin, Emitter& emitter)
        : origin_(std::move(origin)), emitter_(emitter) {}

    // Returns false when the consumer asked to stop.
    bool feed(std::string_view data);
    bool finish();

  private:
    bool flush();

    std::string origin_;
    Emitter& emitter_;
    std::string chunk_;
    std::size_t line_start_ = 0;  // offset in chunk_ of the line being read
    std::size_t line_no_ = 1;     // number of that line
    std::size_t chunk_first_line_ = 1;
    bool skipping_ = false;  // discarding the rest of an overlong line
};

// Streams the entries of an archive (or the one member of a compressed file) entry by entry.
void read_archive(const std::filesystem::path& path, const Classified& kind, Emitter& emitter);

}  // namespace trials::records::detail
