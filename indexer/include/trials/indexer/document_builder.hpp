// Study -> Xapian::Document: text fields through the analyzers (prefixed and into the weighted
// catch-all), MeSH descriptor terms, facet terms and slots, numeric slots and stored data.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "trials/analysis/concepts.hpp"
#include "trials/analysis/mesh.hpp"
#include "trials/analysis/registry.hpp"
#include "trials/records/study.hpp"

namespace trials::indexer {

class DocumentBuilder {
public:
    // mesh may be null: MeSH names are then indexed as the record gives them, without the
    // descriptor ids and ancestors the thesaurus would supply. settings: the fingerprint of the
    // indexing settings (settings_fingerprint), folded into every study's fingerprint.
    // concepts may be null: no concept terms (concepts.hpp) are indexed.
    DocumentBuilder(const analysis::AnalyzerRegistry& registry,
                    const analysis::MeshThesaurus* mesh, std::uint64_t settings = 0,
                    const analysis::ConceptMatcher* concepts = nullptr);

    // The study's fingerprint as build() stores it in the content-hash slot.
    [[nodiscard]] std::string fingerprint(const records::Study& study) const;

    // Builds the document. Not thread-safe (reuses scratch buffers): one builder per thread.
    [[nodiscard]] Xapian::Document build(const records::Study& study);
    // The same, with the fingerprint already computed by fingerprint().
    [[nodiscard]] Xapian::Document build(const records::Study& study,
                                         const std::string& fingerprint);

    // MeSH descriptor UIs met in the studies built so far (for the synonym table).
    [[nodiscard]] const std::set<std::string>& mesh_uis_seen() const { return mesh_uis_; }

private:
    const analysis::AnalyzerRegistry& registry_;
    const analysis::MeshThesaurus* mesh_;
    std::uint64_t settings_;
    const analysis::ConceptMatcher* concepts_;
    std::vector<analysis::Token> scratch_;
    std::set<std::string> mesh_uis_;
};

// A 64-bit fingerprint of every field of the study (stable across runs and platforms), stored in
// the content-hash slot so re-indexing can tell changed studies from unchanged ones.
// `settings` folds in what else shapes the document (see settings_fingerprint), so a run with
// another MeSH thesaurus or stop-word list rebuilds every study.
[[nodiscard]] std::uint64_t study_fingerprint(const records::Study& study,
                                              std::uint64_t settings = 0);
// A fingerprint of texts (the indexing settings: MeSH thesaurus identity, stop words).
[[nodiscard]] std::uint64_t settings_fingerprint(const std::vector<std::string>& texts);
[[nodiscard]] std::string fingerprint_hex(std::uint64_t fp);

// Shard of an NCT id for K shards: a stable hash (FNV-1a of the id) modulo K.
[[nodiscard]] unsigned shard_of(const std::string& nct_id, unsigned shards);

}  // namespace trials::indexer
