// Opening databases for search and for writing, schema stamps, stored analysis settings and the
// database-backed synonym source. The one place Xapian errors are translated for both sides.
#include "trials/analysis/database.hpp"

#include <map>
#include <set>
#include <sstream>

#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"

namespace trials::analysis {

void rethrow_xapian(const Xapian::Error& e, const std::string& context) {
    const std::string msg = context + ": " + e.get_description();
    if (std::string(e.get_type()) == "DatabaseLockError") {
        throw LockedError(context + ": the database is locked by another writer (" +
                          e.get_msg() + ")");
    }
    throw IndexError(msg);
}

void check_schema(const Xapian::Database& db, const std::string& where) {
    try {
        if (db.get_doccount() == 0) return;
        const std::string stamp = db.get_metadata(std::string(kSchemaMetadataKey));
        if (stamp != kSchemaVersion) {
            throw SchemaMismatchError(
                where + ": written by " +
                (stamp.empty() ? std::string("another program") : "schema version " + stamp) +
                ", this program reads schema version " + std::string(kSchemaVersion) +
                "; re-index the data into a new database");
        }
    } catch (const Xapian::Error& e) {
        rethrow_xapian(e, where);
    }
}

Xapian::Database open_for_search(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw IndexError(path.string() + ": no such database");
    }
    try {
        Xapian::Database db(path.string());
        check_schema(db, path.string());
        return db;
    } catch (const Xapian::Error& e) {
        rethrow_xapian(e, path.string());
    }
}

Xapian::WritableDatabase open_for_writing(const std::filesystem::path& path) {
    try {
        Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE_OR_OPEN);
        check_schema(db, path.string());
        if (db.get_metadata(std::string(kSchemaMetadataKey)).empty()) {
            // Committed at once: a shard set reads its metadata from its first shard, which must
            // say what it is even before that shard's first study (found by
            // Crash.MergeBuildSurvivesKillsAndTheCompletingRunMerges: a kill before shard-000's
            // first commit made the set "written by another program").
            db.set_metadata(std::string(kSchemaMetadataKey), std::string(kSchemaVersion));
            db.commit();
        }
        return db;
    } catch (const Xapian::Error& e) {
        rethrow_xapian(e, path.string());
    }
}

void store_analysis_resources(Xapian::WritableDatabase& db, const AnalysisResources& resources) {
    std::string joined;
    for (const auto& w : resources.stopwords) {
        joined += w;
        joined += '\n';
    }
    try {
        db.set_metadata(kStopwordsMetadataKey, joined);
    } catch (const Xapian::Error& e) {
        rethrow_xapian(e, "storing analysis settings");
    }
}

AnalysisResources load_analysis_resources(const Xapian::Database& db) {
    AnalysisResources r;
    try {
        std::istringstream in(db.get_metadata(kStopwordsMetadataKey));
        for (std::string line; std::getline(in, line);) {
            if (!line.empty()) r.stopwords.push_back(line);
        }
    } catch (const Xapian::Error& e) {
        rethrow_xapian(e, "reading analysis settings");
    }
    return r;
}

void store_synonyms(Xapian::WritableDatabase& db,
                    const std::vector<std::pair<std::string, std::string>>& pairs) {
    std::map<std::string, std::set<std::string>> by_key;
    for (const auto& [key, value] : pairs) {
        if (!key.empty() && key.size() <= 200) by_key[key].insert(value);  // Xapian key limit
    }
    try {
        for (auto& [key, values] : by_key) {
            const std::string meta_key = kSynonymMetadataPrefix + key;
            // Keep what earlier runs stored for the key (incremental updates).
            std::istringstream old(db.get_metadata(meta_key));
            for (std::string line; std::getline(old, line);) {
                if (!line.empty()) values.insert(line);
            }
            std::string joined;
            for (const auto& v : values) {
                db.add_synonym(key, v);
                joined += v;
                joined += '\n';
            }
            db.set_metadata(meta_key, joined);
        }
    } catch (const Xapian::Error& e) {
        rethrow_xapian(e, "storing synonyms");
    }
}

std::vector<std::string> DatabaseSynonyms::lookup(const std::string& key) const {
    std::vector<std::string> out;
    // Metadata keys are limited in length; longer phrases are never synonym keys.
    if (key.empty() || key.size() > 200) return out;
    try {
        std::istringstream in(db_.get_metadata(kSynonymMetadataPrefix + key));
        for (std::string line; std::getline(in, line);) {
            if (!line.empty()) out.push_back(line);
        }
    } catch (const Xapian::Error&) {
        // A backend that cannot read metadata: no expansion rather than no search.
    }
    return out;
}

}  // namespace trials::analysis
