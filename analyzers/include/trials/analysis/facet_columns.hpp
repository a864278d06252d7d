// Facet columns: a facet slot's stored value for every document of one database, kept as codes
// in the database's metadata (as Lucene's doc values and tantivy's fast fields keep a column per
// field), so that counting a match's facet values is an array lookup per document.
//
// Xapian's ValueCountMatchSpy reads each value through Document::get_value, a lookup from the
// root of the value table: about 2,200 instructions a value (callgrind, 100k generated studies),
// two thirds of a facet-count query. Building a column from the slot's value stream at query
// time costs ~4 ms a slot at 100k, more than most queries' lookups, so trials-index writes the
// columns once, after a run's last commit (and after a merge or compaction), stamped with the
// database's UUID and the revision of the commit that stores them. A reader uses a column only
// when both still match: any later commit (a run stopped early, another program writing, a plain
// xapian-compact, which makes a new UUID) leaves it unused, and the counts come from the value
// slots as before. Shard sets and remote shards always count from the slots.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace trials::analysis {

inline constexpr const char* kFacetColumnMetadataPrefix = "trials:facet-column:";

struct FacetColumn {
    std::vector<std::string> values;   // code - 1 -> stored value
    std::vector<std::uint32_t> codes;  // document id -> code (0: no value)
};

// Reads one slot of a single database from its value stream.
[[nodiscard]] FacetColumn read_value_column(const Xapian::Database& db, Xapian::valueno slot);

// The stored form of a column, stamped with a UUID and revision, and back. decode returns
// nothing when the bytes are not a column of that UUID and revision.
[[nodiscard]] std::string encode_facet_column(const FacetColumn& column, const std::string& uuid,
                                              Xapian::rev revision);
[[nodiscard]] std::optional<FacetColumn> decode_facet_column(const std::string& bytes,
                                                             const std::string& uuid,
                                                             Xapian::rev revision);

// Writes the column of every facet slot, from what `db` holds now (pending changes included),
// stamped for the revision the next commit makes. The caller commits next, with nothing else in
// between. Throws Xapian::Error.
void store_facet_columns(Xapian::WritableDatabase& db);

// The stored column of `slot` when `db` is one glass database still at the revision the column
// was stored for; nothing otherwise (no column, stale, shard set, remote).
[[nodiscard]] std::optional<FacetColumn> load_facet_column(const Xapian::Database& db,
                                                           Xapian::valueno slot);

// Counts the stored values of a match's documents from a column: a MatchSpy for one local
// database (its document ids index the column).
class ColumnCounter : public Xapian::MatchSpy {
public:
    explicit ColumnCounter(const FacetColumn& column);
    void operator()(const Xapian::Document& doc, double wt) override;
    // (stored value, documents), values no document of the match has left out.
    [[nodiscard]] std::vector<std::pair<std::string, Xapian::doccount>> counts() const;

private:
    const FacetColumn& column_;
    std::vector<Xapian::doccount> counts_;
};

}  // namespace trials::analysis
