// Facet columns (see facet_columns.hpp).
#include "trials/analysis/facet_columns.hpp"

#include <algorithm>
#include <unordered_map>

#include "trials/analysis/schema.hpp"

namespace trials::analysis {
namespace {

constexpr std::string_view kMagic = "TFC1";

void put(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Reads `bytes` little-endian bytes at `pos`; false when the input is too short.
bool get(const std::string& in, std::size_t& pos, int bytes, std::uint64_t& v) {
    if (pos > in.size() || in.size() - pos < static_cast<std::size_t>(bytes)) return false;
    v = 0;
    for (int i = 0; i < bytes; ++i) {
        v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
    }
    pos += static_cast<std::size_t>(bytes);
    return true;
}

std::string column_key(Xapian::valueno slot) {
    return kFacetColumnMetadataPrefix + std::to_string(slot);
}

}  // namespace

FacetColumn read_value_column(const Xapian::Database& db, Xapian::valueno slot) {
    FacetColumn column;
    column.codes.assign(static_cast<std::size_t>(db.get_lastdocid()) + 1, 0);
    std::unordered_map<std::string, std::uint32_t> code_of;
    for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
        std::string value = *it;
        auto [pos, fresh] =
            code_of.try_emplace(value, static_cast<std::uint32_t>(column.values.size() + 1));
        if (fresh) column.values.push_back(std::move(value));
        column.codes[it.get_docid()] = pos->second;
    }
    return column;
}

std::string encode_facet_column(const FacetColumn& column, const std::string& uuid,
                                Xapian::rev revision) {
    const std::size_t n = column.values.size();
    const int width = n < 0xff ? 1 : n < 0xffff ? 2 : 4;
    std::string out(kMagic);
    put(out, uuid.size(), 1);
    out += uuid;
    put(out, revision, 8);
    put(out, column.codes.size(), 4);
    put(out, static_cast<std::uint64_t>(width), 1);
    put(out, n, 4);
    for (const std::string& v : column.values) {
        put(out, v.size(), 4);
        out += v;
    }
    out.reserve(out.size() + column.codes.size() * static_cast<std::size_t>(width));
    for (const std::uint32_t c : column.codes) put(out, c, width);
    return out;
}

std::optional<FacetColumn> decode_facet_column(const std::string& bytes, const std::string& uuid,
                                               Xapian::rev revision) {
    if (!bytes.starts_with(kMagic)) return std::nullopt;
    std::size_t pos = kMagic.size();
    std::uint64_t uuid_size = 0, stamped = 0, count = 0, width = 0, n = 0;
    if (!get(bytes, pos, 1, uuid_size) || bytes.compare(pos, uuid_size, uuid) != 0 ||
        uuid_size != uuid.size()) {
        return std::nullopt;
    }
    pos += uuid_size;
    if (!get(bytes, pos, 8, stamped) || stamped != revision || !get(bytes, pos, 4, count) ||
        !get(bytes, pos, 1, width) || (width != 1 && width != 2 && width != 4) ||
        !get(bytes, pos, 4, n)) {
        return std::nullopt;
    }
    FacetColumn column;
    column.values.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(n, bytes.size())));
    for (std::uint64_t i = 0; i < n; ++i) {
        std::uint64_t len = 0;
        if (!get(bytes, pos, 4, len) || bytes.size() - pos < len) return std::nullopt;
        column.values.push_back(bytes.substr(pos, len));
        pos += len;
    }
    if (bytes.size() - pos != count * width) return std::nullopt;
    column.codes.resize(count);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
    for (std::uint64_t d = 0; d < count; ++d, p += width) {
        std::uint32_t c = p[0];
        if (width >= 2) c |= static_cast<std::uint32_t>(p[1]) << 8;
        if (width == 4) {
            c |= static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
        }
        if (c > n) return std::nullopt;
        column.codes[d] = c;
    }
    return column;
}

void store_facet_columns(Xapian::WritableDatabase& db) {
    const std::string uuid = db.get_uuid();
    // The stamp names the next revision, so the stored bytes always differ from the last ones:
    // the commit that follows changes the database and makes exactly that revision.
    const Xapian::rev next = db.get_revision() + 1;
    for (const FacetSpec& f : facets()) {
        db.set_metadata(column_key(f.slot),
                        encode_facet_column(read_value_column(db, f.slot), uuid, next));
    }
}

std::optional<FacetColumn> load_facet_column(const Xapian::Database& db, Xapian::valueno slot) {
    try {
        if (db.size() != 1) return std::nullopt;
        const Xapian::rev revision = db.get_revision();  // throws unless one glass database
        return decode_facet_column(db.get_metadata(column_key(slot)), db.get_uuid(), revision);
    } catch (const Xapian::Error&) {
        // Not one glass database (get_revision), or the metadata cannot be read: the counts
        // come from the value slots, which report any real failure themselves.
        return std::nullopt;
    }
}

ColumnCounter::ColumnCounter(const FacetColumn& column)
    : column_(column), counts_(column.values.size() + 1, 0) {}

void ColumnCounter::operator()(const Xapian::Document& doc, double /*wt*/) {
    const Xapian::docid did = doc.get_docid();
    if (did < column_.codes.size()) ++counts_[column_.codes[did]];
}

std::vector<std::pair<std::string, Xapian::doccount>> ColumnCounter::counts() const {
    std::vector<std::pair<std::string, Xapian::doccount>> out;
    for (std::size_t code = 1; code < counts_.size(); ++code) {
        if (counts_[code] > 0) out.emplace_back(column_.values[code - 1], counts_[code]);
    }
    return out;
}

}  // namespace trials::analysis
