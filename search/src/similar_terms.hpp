// Choosing the weighted terms of a similarity query (private to trials::search): from a trial
// of the index (similar_trial_terms.cpp) or from a free text (similar_text_terms.cpp).
#pragma once

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "trials/analysis/registry.hpp"
#include "trials/search/similar.hpp"

namespace trials::search::detail {

// Collection statistics and the model, shared by both choosers.
class TermStats {
public:
    TermStats(const Xapian::Database& db, const SimilarityModel& m)
        : db_(db), m_(m), n_(db.get_doccount() == 0 ? 1 : db.get_doccount()) {}
    [[nodiscard]] double idf(Xapian::doccount df) const {
        return df == 0 ? 0.0 : std::log(static_cast<double>(n_) / static_cast<double>(df));
    }
    // In more documents than the model's share: boilerplate, and a long posting list. A small
    // index (a few dozen trials) allows up to max_df_floor documents, at most max_df_small_share
    // of them, or every shared word of it would count as boilerplate.
    [[nodiscard]] bool too_common(Xapian::doccount df) const {
        const double n = static_cast<double>(n_);
        const double cap = std::max(m_.max_df_share * n,
                                    std::min(m_.max_df_small_share * n, m_.max_df_floor));
        return static_cast<double>(df) > cap;
    }
    [[nodiscard]] const Xapian::Database& db() const { return db_; }
    [[nodiscard]] const SimilarityModel& model() const { return m_; }

private:
    const Xapian::Database& db_;
    const SimilarityModel& m_;
    Xapian::doccount n_;
};

// The terms of a trial of the index (its termlist and stored data).
[[nodiscard]] std::vector<SimilarTerm> trial_terms(const TermStats& stats,
                                                   const analysis::AnalyzerRegistry& registry,
                                                   Xapian::docid did);

// The terms of a free text: MeSH concepts it names and its rarest words.
[[nodiscard]] std::vector<SimilarTerm> text_terms(const TermStats& stats,
                                                  const analysis::AnalyzerRegistry& registry,
                                                  std::string_view text);

}  // namespace trials::search::detail
