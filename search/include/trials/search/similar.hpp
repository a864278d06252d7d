// Similar trials ("more like this"): the trials most like one trial of the index (--similar) or
// like a free text (--like), with the few shared features that made each one similar.
//
// Unlike a generic relevance-feedback query (Xapian RSet/ESet, Omega MORELIKE, Elasticsearch
// more_like_this: the top-k terms of the whole record by a tf-idf score), the query is built from
// what makes trials alike, in that order: the same condition MeSH descriptor, then a shared
// ancestor descriptor (weighted by rarity, so "Diseases" counts for nothing), the same
// intervention (its MeSH descriptor and the words of its name), condition and title words below
// a document-frequency cap (registry boilerplate never gets in), and small boosts for the same
// phase, study type and design. Every chosen term has an explicit weight, a trial's score is the
// sum of the weights of the terms it shares (Xapian TfIdfWeight "bnn" + OP_SCALE_WEIGHT), and the
// shared terms are the explanation ("why").
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "trials/search/searcher.hpp"

namespace trials::search {

struct SimilarRequest {
    std::string nct_id;     // the source trial (--similar); never returned
    std::string like_text;  // or a free text (--like): a draft protocol, an abstract
    std::string query;      // extra conditions in the query language: filters, facets, words
                            // (words must match but do not change the order)
    std::size_t offset = 0;
    std::size_t limit = 10;
    std::size_t max_why = 4;  // reasons given per hit
    std::vector<std::string> facets;  // facet counts over the similar trials (as in search)
};

// The weights of the similarity model. Defaults are the tuned values (tests/integration/
// similar_real_test.cpp measures them); a feature's weight is base + per_idf * idf, where
// idf = ln(N / df) over the index.
struct SimilarityModel {
    double condition_base = 10.0, condition_idf = 1.0;      // same direct condition descriptor
    double narrower_base = 1.0, narrower_idf = 0.3;        // the candidate is under it
    double ancestor_idf = 1.0, ancestor_idf_floor = 2.0;   // shared ancestor: above the floor
    double intervention_class_idf = 0.5;                    // shared intervention ancestor
    double intervention_base = 3.0, intervention_idf = 0.5;  // same intervention descriptor
    double intervention_word_idf = 0.6;
    double group_norm = 0.5;  // ancestors, drugs, drug classes, drug words: / (count)^group_norm
    double condition_word_idf = 0.5;
    double title_word_idf = 0.3;
    double keyword_idf = 0.3;
    double cross_field = 0.6;     // a source word found in another short field or MeSH name
                                  // (trials without condition MeSH only)
    double max_df_share = 0.07;   // words in more documents than this share are left out
    double max_df_floor = 10, max_df_small_share = 0.5;  // a small index: see TermStats
    std::size_t max_title_words = 15;
    double phase = 1.0, study_type = 0.5, allocation = 0.4, purpose = 0.4, model = 0.2,
           intervention_type = 0.3;
    // --like: words of the text matched in titles, conditions, interventions, MeSH names and
    // anywhere, and MeSH concepts named in the text (through the index's synonym table).
    double like_concept_base = 4.0, like_concept_idf = 0.5;
    double like_word_idf = 0.4, like_field_word_idf = 0.6;  // x tf-idf of the word in the text
    std::size_t like_max_words = 40;
};

// One weighted term of a similarity query and the reason it stands for.
struct SimilarTerm {
    std::string term;
    double weight = 0;
    enum class Kind {
        Condition, Narrower, Ancestor, Intervention, InterventionClass, InterventionWord, ConditionWord,
        TitleWord, Keyword, Design, Concept, Word,
    } kind = Kind::Word;
    std::string label;  // readable: a MeSH name, a word, PHASE2 ...
    bool boost_only = false;  // only raises trials that match some other term
    int group = -1;           // terms of one group (>= 0) count once, the best of them
};

class SimilarFinder {
public:
    explicit SimilarFinder(Searcher& searcher, SimilarityModel model = {});

    // Ranked similar trials (SearchResponse::hits with `why` filled); total counts the trials
    // sharing at least one chosen feature with the source (an estimate unless small).
    // Throws trials::QueryError for an unknown NCT id, an empty text or a bad extra query.
    [[nodiscard]] SearchResponse find(const SimilarRequest& request) const;

    // The weighted terms chosen for a source trial or a text (evaluation, --explain, tests).
    [[nodiscard]] std::vector<SimilarTerm> terms_for_trial(const std::string& nct_id) const;
    [[nodiscard]] std::vector<SimilarTerm> terms_for_text(const std::string& text) const;

    // The docid of an NCT id, or 0.
    [[nodiscard]] Xapian::docid docid_of(const std::string& nct_id) const;

private:
    Searcher& searcher_;
    SimilarityModel model_;
};

}  // namespace trials::search
