// Spelling data for Xapian's spelling table (Database::get_spelling_suggestion): the words of a
// study's SHORT fields only (titles, conditions, keywords, interventions, MeSH names), read back
// from the built document's own prefixed terms, so the analysis is exactly the index's and the
// long narrative fields (which would make the table large and indexing slow) are left out.
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

namespace trials::indexer {

// The distinct unstemmed words of doc's short fields, sorted. Leaves out numbers, words shorter
// than 3 bytes or longer than 40, and identifiers (terms with ':'). Safe on any thread.
[[nodiscard]] std::vector<std::string> spelling_words(const Xapian::Document& doc);

// Adds one occurrence of each word to (remove: takes one away from) db's spelling table.
// Throws Xapian::Error like any other write.
void add_spelling_words(Xapian::WritableDatabase& db, const std::vector<std::string>& words);
void remove_spelling_words(Xapian::WritableDatabase& db, const std::vector<std::string>& words);

}  // namespace trials::indexer
