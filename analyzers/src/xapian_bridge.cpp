// The Xapian bridge: analysed tokens become postings (index_text) and queries
// (build_text_query) with the same term shapes, so that any text indexed in a field is found by
// the same text queried in that field, quoted or not.
#include "trials/analysis/xapian_bridge.hpp"

#include "analyzer_impl.hpp"
#include "token_units.hpp"
#include "trials/error.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace trials::analysis {
namespace {

// Xapian's limit on term length in its disk backends.
constexpr std::size_t kMaxTermBytes = 245;

Xapian::Query scaled(const Xapian::Query& q, double weight) {
    if (weight == 1.0 || q.empty()) return q;
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, weight);
}

Xapian::Query combine(Xapian::Query::op op, const std::vector<Xapian::Query>& parts) {
    if (parts.empty()) return {};
    if (parts.size() == 1) return parts.front();
    return Xapian::Query(op, parts.begin(), parts.end());
}

Xapian::Query phrase(const std::vector<std::string>& terms, Xapian::termcount window) {
    if (terms.size() == 1) return Xapian::Query(terms.front());
    return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), window);
}

std::vector<std::string> split_key(const std::string& key) {
    std::vector<std::string> terms;
    std::size_t from = 0;
    for (std::size_t k = 0; k <= key.size(); ++k) {
        if (k == key.size() || key[k] == ' ') {
            if (k > from) terms.push_back(key.substr(from, k - from));
            from = k + 1;
        }
    }
    return terms;
}

class QueryBuilder {
  public:
    QueryBuilder(const Analyzer& analyzer, std::string_view text, const TextQueryOptions& options)
        : options_(options) {
        analyzer.analyze(text, tokens_, 1);
        if (options_.stem && analyzer.options().stem) stem_tokens(analyzer, tokens_, stems_);
        stems_.resize(tokens_.size());
        group_units(tokens_, units_);
    }

    Xapian::Query build() const {
        if (tokens_.empty() || options_.fields.empty()) return {};
        return options_.phrase ? quoted() : unquoted();
    }

  private:
    // Quoted text: one phrase over the representatives of every position, per field.
    Xapian::Query quoted() const {
        TokenUnit all;
        all.first = 0;
        all.last = tokens_.size();
        std::vector<std::size_t> reps;
        unit_representatives(tokens_, all, reps);
        const Xapian::termcount window = tokens_.back().position - tokens_.front().position + 1;
        std::vector<Xapian::Query> per_field;
        for (const auto& field : options_.fields) {
            std::vector<std::string> terms;
            for (const std::size_t r : reps) terms.push_back(field.prefix + tokens_[r].term);
            per_field.push_back(scaled(phrase(terms, window), field.weight));
        }
        return combine(Xapian::Query::OP_OR, per_field);
    }

    Xapian::Query unquoted() const {
        std::vector<std::string> keys;
        for (const TokenUnit& u : units_) keys.push_back(unit_key(tokens_, u));
        const auto op = options_.conjunctive ? Xapian::Query::OP_AND : Xapian::Query::OP_OR;
        std::vector<Xapian::Query> groups;
        std::vector<std::string> words;  // each group's words, as the analyzer read them
        for (std::size_t i = 0; i < units_.size();) {
            std::size_t taken = 0;
            if (options_.synonyms != nullptr) {
                const std::size_t longest =
                    std::min<std::size_t>(options_.max_synonym_ngram, units_.size() - i);
                for (std::size_t n = longest; n >= 1 && taken == 0; --n) {
                    std::string key = keys[i];
                    for (std::size_t k = i + 1; k < i + n; ++k) key += ' ' + keys[k];
                    std::vector<std::string> alternatives = options_.synonyms->lookup(key);
                    std::erase(alternatives, key);
                    choose_synonym_form(alternatives);
                    if (alternatives.empty()) continue;
                    std::vector<Xapian::Query> originals;
                    const bool covered = n == 1 && concept_covers_parts(units_[i], alternatives);
                    for (std::size_t k = i; k < i + n; ++k) {
                        originals.push_back(unit(units_[k], covered));
                    }
                    const Xapian::Query synonyms =
                        scaled(alternative_queries(alternatives), options_.synonym_weight);
                    groups.emplace_back(Xapian::Query::OP_OR, combine(op, originals), synonyms);
                    taken = n;
                }
            }
            if (taken == 0) {
                groups.push_back(unit(units_[i]));
                taken = 1;
            }
            std::string w = keys[i];
            for (std::size_t k = i + 1; k < i + taken; ++k) w += ' ' + keys[k];
            words.push_back(std::move(w));
            i += taken;
        }
        if (!options_.conjunctive) keep_telling(groups, words);
        return combine(op, groups);
    }

    // The `max_words` distinct groups whose rarest term has the highest idf, in query order
    // (a repeated word keeps its repeats); a group none of whose terms is indexed matches nothing
    // and is left out without being reported.
    void keep_telling(std::vector<Xapian::Query>& groups,
                      const std::vector<std::string>& words) const {
        if (options_.max_words == 0 || options_.stats == nullptr ||
            groups.size() <= options_.max_words) {
            return;
        }
        const Xapian::Database& db = *options_.stats;
        const double docs = std::max<double>(1.0, db.get_doccount());
        std::unordered_map<std::string, double> idf;
        std::unordered_map<std::string, double> group_idf;  // by the group's description
        std::vector<std::string> keys;
        std::vector<std::string> order;  // distinct groups, first occurrence first
        for (const auto& g : groups) {
            std::string key = g.get_description();
            if (!group_idf.contains(key)) {
                double best = -1.0;  // nothing indexed: never chosen
                for (auto t = g.get_unique_terms_begin(); t != g.get_unique_terms_end(); ++t) {
                    auto [it, fresh] = idf.try_emplace(*t, -1.0);
                    if (fresh) {
                        const Xapian::doccount tf = db.get_termfreq(*t);
                        if (tf > 0) it->second = std::log(docs / tf);
                    }
                    best = std::max(best, it->second);
                }
                group_idf.emplace(key, best);
                order.push_back(key);
            }
            keys.push_back(std::move(key));
        }
        if (order.size() <= options_.max_words) return;
        std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
            return group_idf.at(a) > group_idf.at(b);
        });
        order.resize(options_.max_words);
        std::erase_if(order, [&](const auto& k) { return group_idf.at(k) < 0; });
        if (order.empty()) return;  // nothing indexed at all: leave the query as it is
        const std::unordered_set<std::string> chosen(order.begin(), order.end());
        std::vector<Xapian::Query> kept;
        std::unordered_set<std::string> reported;
        for (std::size_t i = 0; i < groups.size(); ++i) {
            if (chosen.contains(keys[i])) {
                kept.push_back(groups[i]);
            } else if (options_.dropped != nullptr && group_idf.at(keys[i]) >= 0 &&
                       reported.insert(words[i]).second) {
                options_.dropped->push_back(words[i]);
            }
        }
        groups = std::move(kept);
    }

    // One unit in every field, ORed with the field weights.
    Xapian::Query unit(const TokenUnit& u, bool joined_only = false) const {
        std::vector<Xapian::Query> per_field;
        for (const auto& field : options_.fields) {
            per_field.push_back(scaled(unit_in_field(u, field.prefix, joined_only), field.weight));
        }
        return combine(Xapian::Query::OP_OR, per_field);
    }

    // Whether a compound's parts written apart ("covid 19") are found by a concept among the
    // unit's synonym alternatives: the indexer gives the concept to that spelling too
    // (split_at_digits), so the phrase of the parts, the costliest part of the query over
    // common words, can go.
    bool concept_covers_parts(const TokenUnit& u,
                              const std::vector<std::string>& alternatives) const {
        if (u.whole_joined < 0 || u.has_signed || u.last - u.first < 2) return false;
        const std::string& joined = tokens_[static_cast<std::size_t>(u.whole_joined)].term;
        if (parts_key(tokens_, u) != split_at_digits(joined)) return false;
        return std::any_of(alternatives.begin(), alternatives.end(), [&](const std::string& a) {
            return !concept_of_alternative(a).empty();
        });
    }

    // A plain word: exact OR stem. A marker (cd4+): its sign-bearing term only. A compound:
    // joined form OR phrase of the parts (the joined form alone with `joined_only`).
    Xapian::Query unit_in_field(const TokenUnit& u, const std::string& prefix,
                                bool joined_only) const {
        if (u.last - u.first == 1) {
            const Token& t = tokens_[u.first];
            Xapian::Query exact(prefix + t.term);
            const std::string& stem = stems_[u.first];
            if (stem.empty()) return exact;
            return Xapian::Query(Xapian::Query::OP_OR, exact, Xapian::Query("Z" + prefix + stem));
        }
        if (u.whole_signed >= 0) {
            return Xapian::Query(prefix + tokens_[static_cast<std::size_t>(u.whole_signed)].term);
        }
        std::vector<std::size_t> reps;
        unit_representatives(tokens_, u, reps);
        std::vector<std::string> terms;
        for (const std::size_t r : reps) terms.push_back(prefix + tokens_[r].term);
        Xapian::Query parts = phrase(terms, u.end_position - u.position);
        if (u.whole_joined < 0 || u.has_signed) return parts;
        const Token& joined = tokens_[static_cast<std::size_t>(u.whole_joined)];
        if (joined_only) return Xapian::Query(prefix + joined.term);
        return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(prefix + joined.term), parts);
    }

    // A curated group's alternatives are its phrases and its concept ("XG:" + id): keeps the
    // concept and drops the phrases (options_.concepts), or the other way round. Alternatives of
    // a key with no concept (MeSH entry terms, older tables) are kept as they are.
    void choose_synonym_form(std::vector<std::string>& alternatives) const {
        const bool has_concept =
            std::any_of(alternatives.begin(), alternatives.end(),
                        [](const std::string& a) { return !concept_of_alternative(a).empty(); });
        if (!has_concept) return;
        std::erase_if(alternatives, [&](const std::string& a) {
            const bool is_concept = !concept_of_alternative(a).empty();
            const bool is_phrase = a.empty() || a.front() != 'X' || a.find(':') == std::string::npos;
            return options_.concepts ? is_phrase : is_concept;
        });
    }

    // Synonym alternatives: concepts as the concept term of every field, whole X...: terms as
    // they are, phrase keys in every field.
    Xapian::Query alternative_queries(const std::vector<std::string>& alternatives) const {
        std::vector<Xapian::Query> alts;
        for (const std::string& alt : alternatives) {
            if (const std::string_view id = concept_of_alternative(alt); !id.empty()) {
                for (const auto& field : options_.fields) {
                    alts.push_back(scaled(Xapian::Query(concept_term(field.prefix, id)),
                                          field.weight));
                }
                continue;
            }
            if (!alt.empty() && alt.front() == 'X' && alt.find(':') != std::string::npos) {
                alts.emplace_back(alt);
                continue;
            }
            const std::vector<std::string> terms = split_key(alt);
            if (terms.empty()) continue;
            // Allow one removed stop word between neighbouring terms ("quality of life").
            const auto window = static_cast<Xapian::termcount>(2 * terms.size() - 1);
            for (const auto& field : options_.fields) {
                std::vector<std::string> prefixed;
                for (const std::string& t : terms) prefixed.push_back(field.prefix + t);
                alts.push_back(scaled(phrase(prefixed, window), field.weight));
            }
        }
        return combine(Xapian::Query::OP_OR, alts);
    }

    const TextQueryOptions& options_;
    std::vector<Token> tokens_;
    std::vector<std::string> stems_;
    std::vector<TokenUnit> units_;
};

}  // namespace

void index_text(Xapian::Document& doc, const Analyzer& analyzer, std::string_view text,
                const std::vector<IndexTarget>& targets, Xapian::termpos& pos,
                std::vector<Token>& scratch, const ConceptMatcher* concepts) {
    scratch.clear();
    const std::uint32_t next = analyzer.analyze(text, scratch, pos);
    std::vector<std::string> stems;
    stem_tokens(analyzer, scratch, stems);
    try {
        std::string name;
        for (const IndexTarget& target : targets) {
            for (std::size_t i = 0; i < scratch.size(); ++i) {
                const Token& t = scratch[i];
                // Without exact words, a stemmed word (not a compound's joined form, which
                // queries match exactly) is kept by its stem alone, which carries the exact
                // form's count too: document lengths (BM25's normalisation) stay as they were.
                const bool exact = target.exact_words || stems[i].empty() || t.joined;
                if (exact) {
                    name.assign(target.prefix).append(t.term);
                    if (name.size() > kMaxTermBytes) continue;
                    if (target.positions) {
                        doc.add_posting(name, t.position, target.wdf_inc);
                    } else {
                        doc.add_term(name, target.wdf_inc);
                    }
                }
                if (stems[i].empty()) continue;
                name.assign("Z").append(target.prefix).append(stems[i]);
                if (name.size() <= kMaxTermBytes) {
                    doc.add_term(name, exact ? target.wdf_inc : 2 * target.wdf_inc);
                }
            }
        }
        if (concepts != nullptr && !concepts->empty()) {
            std::vector<std::string> ids;
            concepts->match(scratch, ids);
            for (const std::string& id : ids) {
                for (const IndexTarget& target : targets) {
                    name = concept_term(target.prefix, id);
                    if (name.size() <= kMaxTermBytes) doc.add_term(name, target.wdf_inc);
                }
            }
        }
    } catch (const Xapian::Error& e) {
        throw IndexError("indexing text: " + e.get_description());
    }
    pos = next;
}

Xapian::Query build_text_query(const Analyzer& analyzer, std::string_view text,
                               const TextQueryOptions& options) {
    try {
        return QueryBuilder(analyzer, text, options).build();
    } catch (const Xapian::Error& e) {
        throw QueryError("building query for '" + std::string(text) + "': " + e.get_description());
    }
}

}  // namespace trials::analysis
