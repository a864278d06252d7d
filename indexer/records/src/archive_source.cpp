// Archives through libarchive, streamed entry by entry and never unpacked to disk: .zip (the
// ClinicalTrials.gov bulk dumps), .tar, .tar.gz/.tgz/.tar.bz2/.tar.xz, and single compressed
// record files (.json.gz ...). Entry origins are "archive:entry/name". A corrupt or truncated
// archive is reported naming the archive and the entry; documents read before it stand.
// Gzip data (.tar.gz, .json.gz, ...) is decoded here with zlib and handed to libarchive as plain
// bytes: libarchive's own gzip filter drops its last decompressed block (up to 64 KB) when the
// file is cut short, and with it every entry in that block.
#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include "source_internal.hpp"
#include "text_util.hpp"

namespace trials::records::detail {

namespace {

constexpr std::size_t kBlock = std::size_t{1} << 16;
constexpr std::size_t kMaxRetries = std::size_t{1} << 24;
constexpr int kMaxResumes = 64;  // corrupt zip entries skipped before giving up

struct ArchiveFree {
    void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

std::string archive_message(archive* a, std::string_view fallback) {
    const char* msg = archive_error_string(a);
    std::string_view text = msg != nullptr ? trim(msg) : std::string_view();
    return std::string(text.empty() ? fallback : text);
}

enum class ReadStatus { Ok, TooLarge, Failed, Fatal, Stopped };

// A gzip file (one or more members) decoded as a stream: every byte zlib can decode before a
// truncation or corruption is delivered, then the end of data; truncated()/error() say why.
class GzipStream {
  public:
    explicit GzipStream(const std::string& path) : in_(kBlock), out_(kBlock) {
        file_ = std::fopen(path.c_str(), "rb");
        if (file_ != nullptr && inflateInit2(&zs_, 16 + MAX_WBITS) == Z_OK) ready_ = true;
    }
    ~GzipStream() {
        if (ready_) inflateEnd(&zs_);
        if (file_ != nullptr) std::fclose(file_);
    }
    GzipStream(const GzipStream&) = delete;
    GzipStream& operator=(const GzipStream&) = delete;

    // True when the file starts with the gzip magic bytes.
    static bool is_gzip(const std::string& path) {
        unsigned char magic[2] = {0, 0};
        std::FILE* f = std::fopen(path.c_str(), "rb");
        if (f == nullptr) return false;
        const std::size_t n = std::fread(magic, 1, 2, f);
        std::fclose(f);
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    [[nodiscard]] bool ready() const { return ready_; }
    [[nodiscard]] bool truncated() const { return truncated_; }
    [[nodiscard]] const std::string& error() const { return error_; }

    // The next decoded bytes; 0 at the end of the data (or of what could be decoded).
    std::size_t read(const void** buffer) {
        *buffer = out_.data();
        if (done_) return 0;
        zs_.next_out = out_.data();
        zs_.avail_out = static_cast<uInt>(out_.size());
        while (zs_.avail_out == out_.size()) {
            if (zs_.avail_in == 0 && !fill()) {
                if (!member_ended_) truncated_ = true;  // the file ends inside a member
                done_ = true;
                break;
            }
            member_ended_ = false;
            const int r = inflate(&zs_, Z_NO_FLUSH);
            if (r == Z_STREAM_END) {
                member_ended_ = true;
                // Another member may follow (concatenated gzip); anything else ends the data.
                if ((zs_.avail_in == 0 && !fill()) || zs_.next_in[0] != 0x1f) {
                    done_ = true;
                    break;
                }
                inflateReset(&zs_);
            } else if (r != Z_OK && r != Z_BUF_ERROR) {
                error_ = zs_.msg != nullptr ? zs_.msg : "corrupt gzip data";
                done_ = true;
                break;
            }
        }
        return out_.size() - zs_.avail_out;
    }

  private:
    bool fill() {
        if (file_ == nullptr || std::feof(file_) != 0) return false;
        const std::size_t n = std::fread(in_.data(), 1, in_.size(), file_);
        if (n == 0) return false;
        zs_.next_in = in_.data();
        zs_.avail_in = static_cast<uInt>(n);
        return true;
    }

    std::FILE* file_ = nullptr;
    z_stream zs_{};
    std::vector<unsigned char> in_, out_;
    bool ready_ = false, done_ = false, member_ended_ = false, truncated_ = false;
    std::string error_;
};

la_ssize_t gzip_read(archive* /*a*/, void* client, const void** buffer) {
    return static_cast<la_ssize_t>(static_cast<GzipStream*>(client)->read(buffer));
}

class ArchiveReader {
  public:
    ArchiveReader(const std::filesystem::path& path, Emitter& emitter)
        : name_(path.string()), emitter_(emitter), buffer_(kBlock) {}

    void run(const Classified& kind);

  private:
    enum class Next { Continue, Stop, Resume };

    bool open();
    // Reads the archive, skipping the first `skip` entries; returns the entry to resume at when
    // a zip entry's data is corrupt (the central directory still lists the entries after it).
    std::optional<std::size_t> pass(std::size_t skip);
    Next handle_entry(archive_entry* entry);
    std::string where() const {
        return last_entry_.empty() ? name_ : name_ + " (after entry " + last_entry_ + ")";
    }
    ReadStatus read_entry(archive_entry* entry, std::string& bytes);
    ReadStatus stream_ndjson(const std::string& origin);
    // Reports a data error for origin; true when the archive cannot go on.
    bool report(ReadStatus status, const std::string& origin);

    std::string name_;
    Emitter& emitter_;
    Classified kind_;
    ArchivePtr archive_;
    std::vector<char> buffer_;
    std::string reason_;
    std::string last_entry_;
    std::unique_ptr<GzipStream> gzip_;  // set when the file is gzip data
    bool fatal_reported_ = false;       // a truncation or corruption was already reported
};

void ArchiveReader::run(const Classified& kind) {
    kind_ = kind;
    std::size_t skip = 0;
    for (int resumes = 0; resumes <= kMaxResumes; ++resumes) {
        const std::optional<std::size_t> resume_at = pass(skip);
        if (!resume_at) {
            // The archive format may end cleanly at a cut between entries: say it was cut.
            if (gzip_ && !emitter_.stopped()) {
                if (!gzip_->error().empty()) {
                    emitter_.error(where(), "corrupt gzip data: " + gzip_->error() +
                                                "; the entries before it were read");
                } else if (gzip_->truncated() && !fatal_reported_) {
                    emitter_.error(where(), "truncated gzip data: the file ends inside a "
                                            "compressed stream; the entries before the cut "
                                            "were read");
                }
            }
            return;
        }
        skip = *resume_at;
    }
    emitter_.error(name_, "too many corrupt entries; the rest of the archive was not read");
}

bool ArchiveReader::open() {
    archive_.reset(archive_read_new());
    if (!archive_) {
        emitter_.error(name_, "cannot open archive: out of memory");
        return false;
    }
    archive_read_support_filter_all(archive_.get());
    if (kind_.kind == FileKind::Compressed) {
        archive_read_support_format_raw(archive_.get());
    } else {
        archive_read_support_format_all(archive_.get());
    }
    int opened = ARCHIVE_OK;
    if (GzipStream::is_gzip(name_)) {
        gzip_ = std::make_unique<GzipStream>(name_);
        if (!gzip_->ready()) {
            emitter_.error(name_, "cannot open archive: cannot read the file");
            return false;
        }
        opened = archive_read_open(archive_.get(), gzip_.get(), nullptr, gzip_read, nullptr);
    } else {
        gzip_.reset();
        opened = archive_read_open_filename(archive_.get(), name_.c_str(), kBlock);
    }
    if (opened != ARCHIVE_OK) {
        emitter_.error(name_,
                       "cannot open archive: " + archive_message(archive_.get(), "unknown error"));
        return false;
    }
    return true;
}

std::optional<std::size_t> ArchiveReader::pass(std::size_t skip) {
    if (!open()) return std::nullopt;
    std::size_t index = 0;    // headers read so far
    std::size_t retries = 0;  // consecutive ARCHIVE_RETRY: the reader is resynchronising
    while (!emitter_.stopped()) {
        archive_entry* entry = nullptr;
        const int r = archive_read_next_header(archive_.get(), &entry);
        if (r == ARCHIVE_EOF) return std::nullopt;
        if (r == ARCHIVE_RETRY) {
            if (retries++ == 0) {
                emitter_.error(where(),
                               "damaged archive: " + archive_message(archive_.get(), "bad header") +
                                   "; skipping to the next readable entry");
            }
            if (retries > kMaxRetries) {
                emitter_.error(where(), "damaged archive: giving up");
                return std::nullopt;
            }
            continue;
        }
        retries = 0;
        if (r < ARCHIVE_WARN) {  // FAILED: this entry is unreadable; FATAL: the archive is
            emitter_.error(where(),
                           std::string(r == ARCHIVE_FATAL ? "corrupt or truncated archive: "
                                                          : "unreadable entry: ") +
                               archive_message(archive_.get(), "unknown error"));
            if (r == ARCHIVE_FATAL) {
                fatal_reported_ = true;
                return std::nullopt;
            }
            continue;
        }
        if (index++ < skip) continue;  // resuming: these were handled by the previous pass
        switch (handle_entry(entry)) {
            case Next::Continue:
                break;
            case Next::Stop:
                return std::nullopt;
            case Next::Resume:
                if (archive_format(archive_.get()) == ARCHIVE_FORMAT_ZIP) return index;
                return std::nullopt;
        }
    }
    return std::nullopt;
}

ArchiveReader::Next ArchiveReader::handle_entry(archive_entry* entry) {
    const bool raw = kind_.kind == FileKind::Compressed;
    if (!raw && archive_entry_filetype(entry) != AE_IFREG) return Next::Continue;  // folders
    const char* path = archive_entry_pathname_utf8(entry);
    if (path == nullptr) path = archive_entry_pathname(entry);
    // The raw format names its one member "data": name it after the compressed file.
    const std::string entry_name = raw ? std::filesystem::path(name_).stem().string()
                                       : std::string(path != nullptr ? path : "");
    last_entry_ = entry_name;
    if (entry_name.find("__MACOSX/") != std::string::npos) return Next::Continue;
    const std::string origin = name_ + ":" + entry_name;
    Classified entry_kind = classify_name(entry_name);
    if (raw) {
        entry_kind = {kind_.format == Format::Ndjson ? FileKind::Ndjson : FileKind::Record,
                      kind_.format};
    }
    auto after_error = [&](ReadStatus status) {
        if (!report(status, origin)) return Next::Continue;
        return status == ReadStatus::Fatal ? Next::Resume : Next::Stop;
    };
    switch (entry_kind.kind) {
        case FileKind::Ignored:
            return Next::Continue;
        case FileKind::Archive:
        case FileKind::Compressed:
            emitter_.error(origin, "skipped: archives inside archives are not read");
            return Next::Continue;
        case FileKind::Ndjson:
            return after_error(stream_ndjson(origin));
        default:
            break;
    }
    std::string bytes;
    if (const ReadStatus status = read_entry(entry, bytes); status != ReadStatus::Ok) {
        return after_error(status);
    }
    if (entry_kind.kind == FileKind::Unknown) {
        entry_kind.format = sniff_start(std::string_view(bytes).substr(0, 512));
        if (entry_kind.format == Format::Unknown) {
            emitter_.error(origin,
                           "skipped: not a record file (expected .json, .ndjson, "
                           ".jsonl or .xml, or JSON/XML content)");
            return Next::Continue;
        }
    }
    emitter_.document(RawDocument{origin, std::move(bytes), entry_kind.format, 1});
    return emitter_.stopped() ? Next::Stop : Next::Continue;
}

ReadStatus ArchiveReader::read_entry(archive_entry* entry, std::string& bytes) {
    const std::size_t limit = emitter_.options().max_entry_bytes;
    if (archive_entry_size_is_set(entry) != 0) {
        const la_int64_t size = archive_entry_size(entry);
        if (size > 0 && static_cast<std::uint64_t>(size) > limit) {
            reason_ = "entry is " + std::to_string(size) + " bytes";
            return ReadStatus::TooLarge;
        }
        if (size > 0) bytes.reserve(static_cast<std::size_t>(size));
    }
    for (;;) {
        const la_ssize_t n = archive_read_data(archive_.get(), buffer_.data(), buffer_.size());
        if (n == 0) return ReadStatus::Ok;
        if (n < 0) {
            reason_ = archive_message(archive_.get(), "read error");
            return n == ARCHIVE_FATAL ? ReadStatus::Fatal : ReadStatus::Failed;
        }
        if (bytes.size() + static_cast<std::size_t>(n) > limit) {
            reason_ = "entry is larger than that";
            return ReadStatus::TooLarge;
        }
        bytes.append(buffer_.data(), static_cast<std::size_t>(n));
    }
}

ReadStatus ArchiveReader::stream_ndjson(const std::string& origin) {
    NdjsonChunker chunker(origin, emitter_);
    for (;;) {
        const la_ssize_t n = archive_read_data(archive_.get(), buffer_.data(), buffer_.size());
        if (n == 0) break;
        if (n < 0) {
            reason_ = archive_message(archive_.get(), "read error");
            chunker.finish();  // keep the complete lines read so far
            return n == ARCHIVE_FATAL ? ReadStatus::Fatal : ReadStatus::Failed;
        }
        if (!chunker.feed(std::string_view(buffer_.data(), static_cast<std::size_t>(n)))) {
            return ReadStatus::Stopped;
        }
    }
    return chunker.finish() ? ReadStatus::Ok : ReadStatus::Stopped;
}

bool ArchiveReader::report(ReadStatus status, const std::string& origin) {
    switch (status) {
        case ReadStatus::Ok:
            return false;
        case ReadStatus::Stopped:
            return true;
        case ReadStatus::TooLarge:
            emitter_.error(origin, reason_ + ", above the limit of " +
                                       std::to_string(emitter_.options().max_entry_bytes) +
                                       " bytes (max_entry_bytes); skipped");
            return false;
        case ReadStatus::Failed:
            emitter_.error(origin, "cannot read entry: " + reason_);
            return false;
        case ReadStatus::Fatal:
            emitter_.error(origin, "corrupt or truncated archive: " + reason_);
            fatal_reported_ = true;
            return true;
    }
    return true;
}

}  // namespace

void read_archive(const std::filesystem::path& path, const Classified& kind, Emitter& emitter) {
    ArchiveReader(path, emitter).run(kind);
}

}  // namespace trials::records::detail
