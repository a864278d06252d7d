// Concepts: synonym-group phrases recognised in analysed text (see concepts.hpp).
#include "trials/analysis/concepts.hpp"

#include <algorithm>

#include "token_units.hpp"

namespace trials::analysis {
namespace {

std::size_t word_count(std::string_view key) {
    return key.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(key.begin(), key.end(), ' '));
}

std::string_view first_word(std::string_view key) { return key.substr(0, key.find(' ')); }

}  // namespace

std::string concept_id(const SynonymGroup& group) {
    std::string id = group.phrases.empty() ? std::string() : group.phrases.front();
    std::replace(id.begin(), id.end(), ' ', '_');
    return id;
}

std::string concept_term(std::string_view field_prefix, std::string_view id) {
    std::string term("XG");
    term.append(field_prefix).append(":").append(id);
    return term;
}

std::string_view concept_of_alternative(std::string_view alternative) {
    if (alternative.size() <= kConceptPrefix.size() ||
        alternative.compare(0, kConceptPrefix.size(), kConceptPrefix) != 0) {
        return {};
    }
    return alternative.substr(kConceptPrefix.size());
}

bool decode_concept_term(std::string_view term, std::string_view& field_prefix,
                         std::string_view& id) {
    if (term.size() < 4 || term.compare(0, 2, "XG") != 0) return false;
    const auto colon = term.find(':', 2);
    if (colon == std::string_view::npos || colon + 1 == term.size()) return false;
    field_prefix = term.substr(2, colon - 2);
    if (!std::all_of(field_prefix.begin(), field_prefix.end(),
                     [](char c) { return c >= 'A' && c <= 'Z'; })) {
        return false;
    }
    id = term.substr(colon + 1);
    return true;
}

ConceptMatcher::ConceptMatcher(const std::vector<SynonymGroup>& groups) {
    for (const SynonymGroup& g : groups) {
        const std::string id = concept_id(g);
        if (id.empty()) continue;
        for (const std::string& phrase : g.phrases) {
            if (phrase.empty()) continue;
            auto& ids = phrases_[phrase];
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
            first_units_.emplace(first_word(phrase));
            max_units_ = std::max(max_units_, word_count(phrase));
        }
    }
}

void ConceptMatcher::match(const std::vector<Token>& tokens, std::vector<std::string>& ids) const {
    if (phrases_.empty() || tokens.empty()) return;
    std::vector<TokenUnit> units;
    group_units(tokens, units);
    std::vector<std::string> keys;
    keys.reserve(units.size());
    for (const TokenUnit& u : units) keys.push_back(unit_key(tokens, u));
    std::string key;
    for (std::size_t i = 0; i < units.size(); ++i) {
        if (!first_units_.contains(first_word(keys[i]))) continue;
        key = keys[i];
        const std::size_t from = ids.size();
        std::size_t words = word_count(key);
        for (std::size_t n = 1; i + n <= units.size() && words <= max_units_; ++n) {
            if (n > 1) {
                // One removed stop word at most between neighbouring units, as phrase queries
                // of synonyms allow.
                if (units[i + n - 1].position > units[i + n - 2].end_position + 1) break;
                key.push_back(' ');
                key += keys[i + n - 1];
                words += word_count(keys[i + n - 1]);
                if (words > max_units_) break;
            }
            const auto it = phrases_.find(key);
            if (it == phrases_.end()) continue;
            for (const std::string& id : it->second) {
                // Two phrases of one group starting at one word are one occurrence.
                if (std::find(ids.begin() + static_cast<std::ptrdiff_t>(from), ids.end(), id) ==
                    ids.end()) {
                    ids.push_back(id);
                }
            }
        }
    }
}

}  // namespace trials::analysis
