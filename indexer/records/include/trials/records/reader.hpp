// Readers: turn files, directories and archives of ClinicalTrials.gov data into Study records.
// Two stages so the indexer can parallelise: a Source enumerates raw documents (file contents or
// archive entries, streamed, never unpacked to disk); parse_document() turns one raw document
// into zero or more studies. Readers know formats, not Xapian.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "trials/records/study.hpp"

namespace trials::records {

enum class Format {
    Unknown,    // decide from the content (first non-space byte: '{' / '[' JSON, '<' XML)
    Json,       // one study, an array of studies, or an API page {"studies": [...]}; also the
                // classic v1 API shapes (FullStudiesResponse / FullStudyResponse / Study)
    Ndjson,     // one JSON study per line
    LegacyXml,  // <clinical_study>
};

// One unit of input: a whole file, an archive entry, or a chunk of NDJSON lines.
struct RawDocument {
    std::string origin;   // "path" or "archive.zip:entry/name.json"
    std::string bytes;    // the content
    Format format = Format::Unknown;
    std::size_t first_line = 1;  // NDJSON chunks: line number of the chunk's first line
};

// A problem with one input or record: where, which study (if known) and why.
struct InputError {
    std::string origin;  // file[:entry][:line N]
    std::string nct_id;  // empty when unknown
    std::string reason;
    [[nodiscard]] std::string to_string() const;  // "origin NCT... reason"
};

struct ParsedStudy {
    Study study;
    std::string origin;
};

// Result of parsing one raw document: good studies and rejected records, in input order.
struct ParseResult {
    std::vector<ParsedStudy> studies;
    std::vector<InputError> errors;
};

// Parses one raw document. Never throws for bad content: problems land in errors. Safe to call
// from several threads at once. Origins of studies and errors: the document's origin, plus
// ":line N" for NDJSON and ":study N" (1-based) for the elements of an array or API page.
[[nodiscard]] ParseResult parse_document(const RawDocument& doc);

// Callbacks for Source::for_each. Returning false from on_document stops the enumeration.
using DocumentSink = std::function<bool(RawDocument&&)>;
using ErrorSink = std::function<void(InputError&&)>;

struct SourceOptions {
    std::size_t ndjson_chunk_bytes = 4u << 20;            // NDJSON lines are grouped into chunks
    std::size_t max_entry_bytes = std::size_t{64} << 20;  // larger files/entries are rejected
};

// Enumerates raw documents under a path: a file (.json, .ndjson/.jsonl, .xml), a directory
// (recursively, sorted by name), or an archive (.zip, .tar.gz/.tgz, .tar) of any of these.
// Unreadable files, corrupt archives and oversized entries are reported to on_error and the
// enumeration continues with the next file or entry.
//
// What is read, decided by the (case-insensitive) file or entry name:
// - .json and .xml: one document each (Format::Json / LegacyXml), at most max_entry_bytes.
// - .ndjson / .jsonl: streamed in chunks of whole lines (~ndjson_chunk_bytes, first_line set),
//   never read whole; a single line above max_entry_bytes is reported and skipped.
// - .zip, .tar, .tar.gz/.tgz, .tar.bz2/.tbz2, .tar.xz/.txz, .tar.zst: read with libarchive entry
//   by entry, never unpacked to disk; origins are "archive:entry/path". Archives inside
//   archives are reported and skipped. A corrupt zip entry is reported and reading resumes at
//   the next entry; a truncated or damaged stream (tar.gz) is reported naming the archive and
//   the entry, and the documents before it stand.
// - .json.gz / .ndjson.gz / .xml.gz (and .bz2, .xz, .zst): one compressed record file.
// - Ignored silently inside directories and archives: dotfiles (and dot-folders of a directory
//   walk), __MACOSX/, README*, LICENSE*, LICENCE*, COPYING*, NOTICE*, and .md .txt .tsv .csv
//   .yaml .yml .html .htm .pdf .rds .sh .py .r .log files.
// - Any other name: the content decides; JSON or XML (first significant byte '{', '[' or '<')
//   is passed on with Format::Unknown, anything else is reported as "not a record file".
//   A file named explicitly as path is always sniffed, even when its name says "ignore".
// A path that does not exist is reported to on_error. Symbolic links to folders are not
// followed. Only the callbacks may throw; their exceptions propagate.
void for_each_document(const std::filesystem::path& path, const SourceOptions& options,
                       const DocumentSink& on_document, const ErrorSink& on_error);

}  // namespace trials::records
