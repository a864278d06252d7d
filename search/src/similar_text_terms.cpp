// The terms of a free text (--like): the MeSH descriptors it names (through the index's
// synonym table: names and entry terms of the descriptors the records use) and its rarest words,
// each counted once per trial at its best field.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "similar_explain.hpp"
#include "similar_terms.hpp"
#include "trials/analysis/database.hpp"
#include "trials/analysis/schema.hpp"

namespace trials::search::detail {
namespace {

using Kind = SimilarTerm::Kind;

constexpr std::size_t kMaxLikeBytes = 20000;  // --like reads this much of a long text
constexpr unsigned kMaxConceptWords = 6;      // longest MeSH name looked for in a --like text

// MeSH concepts named in the text: the longest word runs that are a descriptor's name or entry
// term in the synonym table.
void add_concepts(const TermStats& stats, const analysis::Analyzer& name_an,
                  std::string_view text, std::vector<SimilarTerm>& out) {
    const auto& db = stats.db();
    const auto& m = stats.model();
    std::vector<analysis::Token> tokens;
    name_an.analyze(text, tokens);
    std::set<std::string> concepts;
    for (std::size_t i = 0; i < tokens.size();) {
        std::size_t used = 1;
        // Most words start no name: one look at the synonym keys skips them.
        const std::string first = analysis::kSynonymMetadataPrefix + tokens[i].term;
        if (db.metadata_keys_begin(first) == db.metadata_keys_end(first)) {
            ++i;
            continue;
        }
        for (std::size_t n = std::min<std::size_t>(kMaxConceptWords, tokens.size() - i);
             n >= 1; --n) {
            if (tokens[i + n - 1].end <= tokens[i].start) continue;
            const auto span = text.substr(tokens[i].start,
                                          tokens[i + n - 1].end - tokens[i].start);
            const auto uis = mesh_ids_of(db, name_an, span);
            if (uis.empty()) continue;
            // One everyday word of registry text ("drugs", "cells", "tumor") names a
            // descriptor too, but says nothing about this trial.
            const bool boilerplate = n == 1 && stats.too_common(db.get_termfreq(tokens[i].term));
            for (const auto& ui : uis) {
                if (boilerplate) break;
                if (!concepts.insert(ui).second) continue;
                const std::string t = std::string(analysis::kMeshIdPrefix) + ui;
                const auto f = db.get_termfreq(t);
                if (f == 0) continue;
                out.push_back({t, m.like_concept_base + m.like_concept_idf * stats.idf(f),
                               Kind::Concept, std::string(span)});
            }
            used = n;
            break;
        }
        i += used;
    }
}

// Words: the text's terms by tf-idf, below the document-frequency cap, matched anywhere and,
// with more weight, in the short fields that say what a trial is about.
void add_words(const TermStats& stats, const analysis::Analyzer& prose, std::string_view text,
               std::vector<SimilarTerm>& out) {
    const auto& db = stats.db();
    const auto& m = stats.model();
    std::vector<analysis::Token> tokens;
    prose.analyze(text, tokens);
    std::map<std::string, unsigned> tf;
    for (const auto& tok : tokens) {
        if (!tok.joined || tok.keyword) ++tf[tok.term];
    }
    std::vector<std::tuple<double, std::string, Xapian::doccount>> scored;
    for (const auto& [term, n] : tf) {
        const auto f = db.get_termfreq(term);
        if (f == 0 || stats.too_common(f)) continue;
        scored.emplace_back((1.0 + std::log(static_cast<double>(n))) * stats.idf(f), term, f);
    }
    std::sort(scored.begin(), scored.end(), std::greater<>());
    if (scored.size() > m.like_max_words) scored.resize(m.like_max_words);
    const analysis::TextField fields[] = {analysis::TextField::Title,
                                          analysis::TextField::Condition,
                                          analysis::TextField::Intervention,
                                          analysis::TextField::Mesh};
    // A word counts once per trial: in a short field (titles, conditions, interventions,
    // MeSH names) at the field weight, else anywhere at the lower weight.
    int group = 0;
    for (const auto& [s, term, f] : scored) {
        ++group;
        out.push_back({term, m.like_word_idf * s, Kind::Word, term});
        out.back().group = group;
        for (const auto field : fields) {
            const std::string t = std::string(analysis::text_field(field).prefix) + term;
            const auto ff = db.get_termfreq(t);
            if (ff == 0) continue;
            const Kind kind = field == analysis::TextField::Title       ? Kind::TitleWord
                              : field == analysis::TextField::Condition ? Kind::ConditionWord
                              : field == analysis::TextField::Intervention
                                  ? Kind::InterventionWord
                                  : Kind::Word;
            out.push_back({t, m.like_field_word_idf * s, kind, term});
            out.back().group = group;
        }
    }
}

}  // namespace

std::vector<SimilarTerm> text_terms(const TermStats& stats,
                                    const analysis::AnalyzerRegistry& registry,
                                    std::string_view text) {
    if (text.size() > kMaxLikeBytes) text = text.substr(0, kMaxLikeBytes);
    std::vector<SimilarTerm> out;
    add_concepts(stats, registry.get("name"), text, out);
    add_words(stats, registry.get("prose"), text, out);
    return out;
}

}  // namespace trials::search::detail
