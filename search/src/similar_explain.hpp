// Similar trials, the readable side: MeSH names <-> descriptor ids through the index's synonym
// table and stored data, and the short "why" of each similar trial from the terms it shares.
#pragma once

#include <xapian.h>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "trials/analysis/analyzer.hpp"
#include "trials/search/similar.hpp"

namespace trials::search::detail {

// Descriptor ids ("D012128") the synonym table gives for a MeSH name or entry term, as the
// indexer stored them (the phrase key of the name -> "XMD:" + UI).
[[nodiscard]] std::vector<std::string> mesh_ids_of(const Xapian::Database& db,
                                                   const analysis::Analyzer& name_analyzer,
                                                   std::string_view name);

// The descriptor id of one of a trial's MeSH names: the first of mesh_ids_of() that is among
// the trial's direct descriptors; empty when none is.
[[nodiscard]] std::string resolve_mesh_name(const Xapian::Database& db,
                                            const analysis::Analyzer& name_analyzer,
                                            const std::string& name,
                                            const std::set<std::string>& direct_uis);

// Turns the matching terms of a hit into a few reasons, strongest first:
// "same MeSH: Respiratory Distress Syndrome", "shared ancestor: Lung Diseases",
// "same intervention: Tocilizumab", "title words: mesenchymal, stromal", "PHASE2".
class Explainer {
public:
    Explainer(const Xapian::Database& db, const analysis::Analyzer& name_analyzer,
              const std::vector<SimilarTerm>& terms);
    [[nodiscard]] std::vector<std::string> why(const std::vector<std::string>& matched,
                                               std::size_t max_items);

private:
    // A readable name for a descriptor id that is no name of the source: found in the stored
    // data of a trial that has the descriptor directly (its condition MeSH names or intervention
    // names), else the id itself.
    const std::string& mesh_name(const std::string& ui);

    const Xapian::Database& db_;
    const analysis::Analyzer& name_analyzer_;
    std::map<std::string, const SimilarTerm*> by_term_;
    std::map<std::string, std::string> names_;  // cache of mesh_name()
};

}  // namespace trials::search::detail
