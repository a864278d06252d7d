// Spelling words of a document's short fields (see spelling.hpp).
#include "trials/indexer/spelling.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "trials/analysis/schema.hpp"

namespace trials::indexer {
namespace {

using analysis::TextField;

// Short fields: few words each, the words people type and misspell (drug and disease names).
constexpr std::array kSpellingFields{TextField::Title, TextField::Condition, TextField::Keyword,
                                     TextField::Intervention, TextField::Mesh};

constexpr std::size_t kMinWordBytes = 3;
constexpr std::size_t kMaxWordBytes = 40;

bool is_spelling_word(std::string_view w) {
    if (w.size() < kMinWordBytes || w.size() > kMaxWordBytes) return false;
    // The term after a prefix starts lower case; an upper-case letter means another prefix
    // ("XMD:" descriptor ids under "XM").
    if (std::isupper(static_cast<unsigned char>(w.front())) != 0) return false;
    bool letter = false;
    for (const char c : w) {
        if (c == ':') return false;
        const auto u = static_cast<unsigned char>(c);
        if (std::isalpha(u) != 0 || u >= 0x80) letter = true;
    }
    return letter;
}

}  // namespace

std::vector<std::string> spelling_words(const Xapian::Document& doc) {
    std::vector<std::string> words;
    for (const TextField f : kSpellingFields) {
        const std::string prefix(analysis::text_field(f).prefix);
        auto it = doc.termlist_begin();
        it.skip_to(prefix);
        for (; it != doc.termlist_end(); ++it) {
            const std::string term = *it;
            if (term.compare(0, prefix.size(), prefix) != 0) break;
            const std::string_view word = std::string_view(term).substr(prefix.size());
            if (is_spelling_word(word)) words.emplace_back(word);
        }
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
}

void add_spelling_words(Xapian::WritableDatabase& db, const std::vector<std::string>& words) {
    for (const auto& w : words) db.add_spelling(w);
}

void remove_spelling_words(Xapian::WritableDatabase& db, const std::vector<std::string>& words) {
    for (const auto& w : words) db.remove_spelling(w);
}

}  // namespace trials::indexer
