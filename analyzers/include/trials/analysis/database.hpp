// Opening Xapian databases the same way on both sides: schema check, Xapian errors translated
// into trials::Error, stored analysis settings, and the synonym source over the database.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <string>
#include <vector>

#include "trials/analysis/registry.hpp"
#include "trials/analysis/xapian_bridge.hpp"

namespace trials::analysis {

// Translates a Xapian exception into the matching trials::Error subclass (lock -> LockedError,
// others -> IndexError) with `context` and Xapian's own description, and throws it.
[[noreturn]] void rethrow_xapian(const Xapian::Error& e, const std::string& context);

// Opens a database for searching: a directory (one database, or a shard set written by
// trials-index --shards), or a stub file (auto/remote lines). Throws IndexError when missing or
// unreadable, SchemaMismatchError when written by another schema version.
[[nodiscard]] Xapian::Database open_for_search(const std::filesystem::path& path);

// Opens (creating when absent) a single database for writing and stamps the schema version.
// Throws LockedError when another writer holds it.
[[nodiscard]] Xapian::WritableDatabase open_for_writing(const std::filesystem::path& path);

// Checks the schema version stamp of an open database (empty databases pass).
void check_schema(const Xapian::Database& db, const std::string& where);

// Analysis settings stored in database metadata so queries are analysed exactly as the records
// were: the stop word list.
inline constexpr const char* kStopwordsMetadataKey = "trials:stopwords";
void store_analysis_resources(Xapian::WritableDatabase& db, const AnalysisResources& resources);
[[nodiscard]] AnalysisResources load_analysis_resources(const Xapian::Database& db);

// Synonyms are kept in database metadata ("trials:syn:" + phrase key -> alternatives, one per
// line) as well as in Xapian's synonym table: Xapian's remote backend does not serve the synonym
// table, but it does serve metadata, so expansion is the same on one database and remote shards.
inline constexpr const char* kSynonymMetadataPrefix = "trials:syn:";
void store_synonyms(Xapian::WritableDatabase& db,
                    const std::vector<std::pair<std::string, std::string>>& pairs);

// SynonymSource over the database's synonym metadata.
class DatabaseSynonyms final : public SynonymSource {
public:
    explicit DatabaseSynonyms(const Xapian::Database& db) : db_(db) {}
    [[nodiscard]] std::vector<std::string> lookup(const std::string& key) const override;

private:
    Xapian::Database db_;
};

}  // namespace trials::analysis
