// The Xapian bridge used by BOTH the indexer and the search: analysed tokens become Xapian terms
// and postings on one side, and Xapian queries on the other, with the same term shapes.
//
// Term shapes for a token with term t in a field with prefix P:
//   P + t             with positions (raw, unstemmed; exact matching, phrases)
//   "Z" + P + stem(t) without positions (only when the analyzer gives a stem)
// A target without exact words leaves out P + t where the stem stands for it (a stemmed word that
// is not a compound's joined form); the stem then counts twice, so the document length is the same.
// An empty prefix is the unprefixed catch-all field.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "trials/analysis/analyzer.hpp"
#include "trials/analysis/concepts.hpp"

namespace trials::analysis {

// Where the tokens of one field go in the document: one or more prefixes, each with its own
// within-document frequency increment (index-time boost: a BM25F-style field weight).
struct IndexTarget {
    std::string prefix;
    Xapian::termcount wdf_inc = 1;
    bool positions = true;
    // false: a word with a stem is indexed by its stem alone (queries in such a field match
    // stems; see TextFieldSpec::positions for exact words and phrases there).
    bool exact_words = true;
};

// Analyses text and adds its terms to doc for every target. pos is the running term position of
// the document: tokens are placed from pos on and pos is advanced past them (callers add a gap
// between fields so phrases never cross a field boundary). Reuses `scratch` to avoid allocation.
// With `concepts`, every synonym-group phrase found in the text also adds its concept term
// (concepts.hpp) to every target, with the target's wdf increment per occurrence.
void index_text(Xapian::Document& doc, const Analyzer& analyzer, std::string_view text,
                const std::vector<IndexTarget>& targets, Xapian::termpos& pos,
                std::vector<Token>& scratch, const ConceptMatcher* concepts = nullptr);

// Looks up synonyms of an analysed phrase key (terms joined by spaces). The search side
// implements this over the database's synonym table; tests can use a map.
class SynonymSource {
public:
    virtual ~SynonymSource() = default;
    // Alternatives for the key: each either a phrase key (terms joined by spaces, matched as a
    // phrase in the same fields), a concept "XG:" + id (matched as the concept term of each
    // field searched, see concepts.hpp) or a whole prefixed term starting with 'X' and
    // containing ':' (e.g. "XMD:D012128", matched as that exact term).
    [[nodiscard]] virtual std::vector<std::string> lookup(const std::string& key) const = 0;
};

struct TextQueryOptions {
    // The fields to search, each with a query-time weight (OP_SCALE_WEIGHT); results ORed.
    struct Field {
        std::string prefix;
        double weight = 1.0;
    };
    std::vector<Field> fields{{"", 1.0}};
    bool stem = true;           // match stems ("Z" terms) as well as the exact form
    bool phrase = false;        // the text was quoted: all tokens as one phrase
    bool conjunctive = true;    // unquoted words: AND (true) or OR (false)
    const SynonymSource* synonyms = nullptr;  // null: no synonym expansion
    double synonym_weight = 0.5;              // synonym matches score below exact matches
    // A curated synonym group (whose alternatives include a concept "XG:" + id) is matched by
    // its concept term in each field (true: one term, fast) or by a phrase per alternative
    // (false: the other spellings only, each with its own rarity; patient mode ranks better so).
    bool concepts = true;
    unsigned max_synonym_ngram = 6;
    // Unquoted words ORed (conjunctive false): keep only the `max_words` words (or synonym
    // groups) whose rarest term is rarest in `stats`, so that a long note is matched on its
    // telling words; 0 or no `stats` keeps them all. Like Xapian's OP_ELITE_SET, but by each
    // word's rarest form rather than its maximum weight (which ranked worse on TREC), and on the
    // statistics of the whole database rather than per shard: one database, a shard set and
    // remote shards keep the same words.
    unsigned max_words = 0;
    const Xapian::Database* stats = nullptr;
    std::vector<std::string>* dropped = nullptr;  // receives the words left out, if not null
};

// Builds the query for a piece of query text as one field's analyzer sees it:
// - ORed words beyond `max_words` are dropped, the most frequent first (see TextQueryOptions);
// - tokens at one position (joined form + parts) become OR(joined, PHRASE(parts));
// - a non-keyword token matches its exact term OR its stem (when stem is on);
// - the longest word n-grams found in `synonyms` are ORed with their alternatives, scaled by
//   synonym_weight (a curated group's alternatives as its concept term or as phrases, see
//   `concepts`);
// - stop words removed by the analyzer leave gaps that phrases allow for.
// Returns an empty Xapian::Query when the text has no tokens.
[[nodiscard]] Xapian::Query build_text_query(const Analyzer& analyzer, std::string_view text,
                                             const TextQueryOptions& options);

}  // namespace trials::analysis
