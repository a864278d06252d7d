// for_each_document(): walks a file or a directory tree (sorted, deterministic), classifies
// files by name, reads record files whole (bounded by max_entry_bytes), streams NDJSON in chunks
// of lines, and hands archives to archive_source.cpp. Problems go to on_error; nothing throws
// except the callbacks themselves.
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>
#include <vector>

#include "source_internal.hpp"
#include "text_util.hpp"

namespace trials::records {

namespace fs = std::filesystem;

namespace detail {

namespace {

constexpr std::size_t kReadBlock = std::size_t{1} << 20;

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

bool has_suffix(std::string_view name, std::string_view suffix) {
    return ends_with_icase(name, suffix);
}

}  // namespace

Classified classify_name(std::string_view name) {
    if (const auto slash = name.find_last_of('/'); slash != std::string_view::npos) {
        name.remove_prefix(slash + 1);
    }
    if (name.empty() || name.front() == '.') return {FileKind::Ignored, Format::Unknown};
    for (const std::string_view ext : {".json", ".xml", ".ndjson", ".jsonl"}) {
        for (const std::string_view z : {".gz", ".bz2", ".xz", ".zst"}) {
            if (has_suffix(name, std::string(ext) + std::string(z))) {
                return {FileKind::Compressed,
                        classify_name(name.substr(0, name.size() - z.size())).format};
            }
        }
    }
    if (has_suffix(name, ".json")) return {FileKind::Record, Format::Json};
    if (has_suffix(name, ".xml")) return {FileKind::Record, Format::LegacyXml};
    if (has_suffix(name, ".ndjson") || has_suffix(name, ".jsonl")) {
        return {FileKind::Ndjson, Format::Ndjson};
    }
    for (const std::string_view ext :
         {".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"}) {
        if (has_suffix(name, ext)) return {FileKind::Archive, Format::Unknown};
    }
    for (const std::string_view ext : {".md", ".txt", ".tsv", ".csv", ".yaml", ".yml", ".html",
                                       ".htm", ".pdf", ".rds", ".sh", ".py", ".r", ".log"}) {
        if (has_suffix(name, ext)) return {FileKind::Ignored, Format::Unknown};
    }
    const std::string low = lower(name);
    for (const std::string_view stem : {"readme", "license", "licence", "copying", "notice"}) {
        if (low.rfind(stem, 0) == 0) return {FileKind::Ignored, Format::Unknown};
    }
    return {FileKind::Unknown, Format::Unknown};
}

Format sniff_start(std::string_view head) {
    if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
    head = trim(head);
    if (head.empty()) return Format::Unknown;
    if (head.front() == '<') return Format::LegacyXml;
    if (head.front() == '{' || head.front() == '[') return Format::Json;
    return Format::Unknown;
}

bool Emitter::document(RawDocument&& doc) {
    if (stopped_) return false;
    if (!on_document_(std::move(doc))) stopped_ = true;
    return !stopped_;
}

void Emitter::error(std::string origin, std::string reason) {
    on_error_(InputError{std::move(origin), {}, std::move(reason)});
}

bool NdjsonChunker::feed(std::string_view data) {
    const std::size_t max_line = emitter_.options().max_entry_bytes;
    while (!data.empty()) {
        if (skipping_) {
            const std::size_t nl = data.find('\n');
            if (nl == std::string_view::npos) return true;
            data.remove_prefix(nl + 1);
            chunk_.push_back('\n');  // the skipped line stays as an empty line
            line_start_ = chunk_.size();
            ++line_no_;
            skipping_ = false;
            continue;
        }
        const std::size_t nl = data.find('\n');
        const std::size_t take = nl == std::string_view::npos ? data.size() : nl + 1;
        chunk_.append(data.substr(0, take));
        data.remove_prefix(take);
        const std::size_t line_bytes =
            chunk_.size() - line_start_ - (nl == std::string_view::npos ? 0 : 1);
        if (line_bytes > max_line) {
            emitter_.error(origin_ + ":line " + std::to_string(line_no_),
                           "line longer than the limit of " + std::to_string(max_line) +
                               " bytes (max_entry_bytes); skipped");
            chunk_.resize(line_start_);
            skipping_ = nl == std::string_view::npos;
            if (skipping_) continue;
            chunk_.push_back('\n');
        }
        if (nl == std::string_view::npos) continue;
        line_start_ = chunk_.size();
        ++line_no_;
        if (chunk_.size() >= emitter_.options().ndjson_chunk_bytes && !flush()) return false;
    }
    return !emitter_.stopped();
}

bool NdjsonChunker::flush() {
    if (trim(chunk_).empty()) {
        chunk_first_line_ = line_no_;
        chunk_.clear();
        line_start_ = 0;
        return !emitter_.stopped();
    }
    // Only complete lines are ever flushed, except by finish() for a last line without '\n'.
    RawDocument doc{origin_, std::move(chunk_), Format::Ndjson, chunk_first_line_};
    chunk_ = std::string();
    line_start_ = 0;
    chunk_first_line_ = line_no_;
    return emitter_.document(std::move(doc));
}

bool NdjsonChunker::finish() {
    if (skipping_) {
        skipping_ = false;
        chunk_.resize(line_start_);
    }
    return flush();
}

namespace {

// Reads a whole file into bytes; false (reported) when it cannot be read or is too large.
bool read_whole_file(const fs::path& path, Emitter& emitter, std::string& bytes) {
    const std::string origin = path.string();
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec) {
        emitter.error(origin, "cannot read file: " + ec.message());
        return false;
    }
    if (size > emitter.options().max_entry_bytes) {
        emitter.error(origin, "file is " + std::to_string(size) + " bytes, above the limit of " +
                                  std::to_string(emitter.options().max_entry_bytes) +
                                  " bytes (max_entry_bytes)");
        return false;
    }
    const FilePtr file(std::fopen(origin.c_str(), "rb"));
    if (!file) {
        emitter.error(origin, "cannot open file: " + std::generic_category().message(errno));
        return false;
    }
    bytes.resize(static_cast<std::size_t>(size));
    const std::size_t got = std::fread(bytes.data(), 1, bytes.size(), file.get());
    if (got != bytes.size() || std::ferror(file.get())) {
        emitter.error(origin, "read error (file shorter than expected or I/O error)");
        return false;
    }
    return true;
}

void read_ndjson_file(const fs::path& path, Emitter& emitter) {
    const std::string origin = path.string();
    const FilePtr file(std::fopen(origin.c_str(), "rb"));
    if (!file) {
        emitter.error(origin, "cannot open file: " + std::generic_category().message(errno));
        return;
    }
    NdjsonChunker chunker(origin, emitter);
    std::vector<char> buffer(kReadBlock);
    for (;;) {
        const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
        if (got > 0 && !chunker.feed(std::string_view(buffer.data(), got))) return;
        if (got < buffer.size()) break;
    }
    if (std::ferror(file.get()))
        emitter.error(origin, "read error; the lines read so far were kept");
    chunker.finish();
}

void read_file(const fs::path& path, Emitter& emitter, bool named_by_user) {
    const std::string origin = path.string();
    Classified kind = classify_name(origin);
    if (kind.kind == FileKind::Ignored && !named_by_user) return;
    if (kind.kind == FileKind::Ignored || kind.kind == FileKind::Unknown) {
        std::string head(512, '\0');
        const FilePtr file(std::fopen(origin.c_str(), "rb"));
        head.resize(file ? std::fread(head.data(), 1, head.size(), file.get()) : 0);
        kind = {FileKind::Record, sniff_start(head)};
        if (kind.format == Format::Unknown) {
            emitter.error(origin,
                          "skipped: not a record file (expected .json, .ndjson, .jsonl, "
                          ".xml, a .zip/.tar/.tar.gz archive, or JSON/XML content)");
            return;
        }
    }
    switch (kind.kind) {
        case FileKind::Ndjson:
            read_ndjson_file(path, emitter);
            return;
        case FileKind::Archive:
        case FileKind::Compressed:
            read_archive(path, kind, emitter);
            return;
        default: {
            std::string bytes;
            if (read_whole_file(path, emitter, bytes)) {
                emitter.document(RawDocument{origin, std::move(bytes), kind.format, 1});
            }
            return;
        }
    }
}

// Lists one folder: its regular files and sub-folders (hidden ones left out). Anything else
// with a name the reader would read (a dangling link, a FIFO) is reported, never opened.
void list_directory(const fs::path& dir, std::vector<fs::path>& files,
                    std::vector<fs::path>& folders, Emitter& emitter) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const fs::path& p = it->path();
        const std::string name = p.filename().string();
        if (name.empty() || name.front() == '.') continue;  // .git, .DS_Store
        std::error_code type_ec;
        const fs::file_status st = it->status(type_ec);
        if (fs::is_directory(st)) {
            if (!it->is_symlink(type_ec)) folders.push_back(p);
        } else if (fs::is_regular_file(st)) {
            files.push_back(p);
        } else if (classify_name(name).kind != FileKind::Ignored) {
            emitter.error(p.string(), fs::exists(st) || !it->is_symlink(type_ec)
                                          ? "skipped: not a regular file"
                                          : "skipped: not a regular file (dangling link)");
        }
    }
    if (ec) emitter.error(dir.string(), "cannot list directory: " + ec.message());
}

// Walks a tree in name order (files and folders sorted together, as paths); an unreadable
// folder is reported and the walk goes on.
void walk_directory(const fs::path& dir, Emitter& emitter) {
    std::vector<fs::path> files;
    std::vector<fs::path> pending{dir};
    while (!pending.empty()) {
        const fs::path d = pending.back();
        pending.pop_back();
        std::vector<fs::path> folders;
        list_directory(d, files, folders, emitter);
        pending.insert(pending.end(), folders.begin(), folders.end());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
        if (emitter.stopped()) return;
        read_file(f, emitter, false);
    }
}

}  // namespace

}  // namespace detail

void for_each_document(const std::filesystem::path& path, const SourceOptions& options,
                       const DocumentSink& on_document, const ErrorSink& on_error) {
    detail::Emitter emitter(options, on_document, on_error);
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st)) {
        emitter.error(path.string(), "no such file or directory");
        return;
    }
    if (ec) {
        emitter.error(path.string(), "cannot read: " + ec.message());
        return;
    }
    if (fs::is_directory(st)) {
        detail::walk_directory(path, emitter);
    } else {
        detail::read_file(path, emitter, true);
    }
}

}  // namespace trials::records
