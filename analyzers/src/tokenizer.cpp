// Tokenizer: ICU word break plus the biomedical rules. Words joined by connectors (- / ^ _ . : '
// &) form a compound; letter/digit boundaries inside a word split it too. A compound of several
// atoms gives its joined form (sarscov2) and its atoms at consecutive positions (sars cov 2); a
// trailing + - or % gives a sign-bearing form (cd4+) at the same position as the plain one.
// Only letters, digits and marks make terms: other characters ICU keeps inside a word (16;16,
// live@home) separate atoms. Comparators (< > <= >=, also written >/= </= =< =>) are terms;
// arrows (->, >>) and markup tags (<b>, <clinical_study rank="1">) are not text.
#include "tokenizer.hpp"

#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <algorithm>

#include "trials/error.hpp"
#include "utf8.hpp"

namespace trials::analysis {
namespace {

struct Segment {
    std::uint32_t begin;
    std::uint32_t end;
    bool word;
};

// An atom: a byte span of the normalised text (the term, commas of 1,000 removed).
struct Atom {
    std::uint32_t begin;
    std::uint32_t end;
    bool number;     // digits only (with decimal point or thousands commas)
    bool has_digit;  // numbers and identifiers: never stemmed
};

bool is_digit(char32_t c) {
    if (c < 0x80) return c >= '0' && c <= '9';
    return u_charType(static_cast<UChar32>(c)) == U_DECIMAL_DIGIT_NUMBER;
}

bool ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Inside a word only letters, digits and combining marks make terms; anything else that ICU keeps
// in a word (. , ' : _ ; @, the fraction slash, modifier symbols) separates atoms.
bool is_separator(char32_t c) {
    if (c < 0x80) return !ascii_alnum(static_cast<char>(c));
    constexpr std::uint32_t kTermChars = U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK;
    return (U_GET_GC_MASK(static_cast<UChar32>(c)) & kTermChars) == 0;
}

bool is_connector(char c) {
    return c == '/' || c == '^' || c == '_' || c == '.' || c == ':' || c == '\'' || c == '&';
}

// 1,000 or 12,345,678.5: thousands separators, not a list.
bool is_grouped_number(std::string_view s) {
    const std::size_t dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    const std::size_t first = whole.find(',');
    if (first == 0 || first > 3) return false;
    for (std::size_t i = first; i < whole.size(); i += 4) {
        if (whole[i] != ',' || i + 4 > whole.size()) return false;
        for (std::size_t k = i + 1; k < i + 4; ++k) {
            if (whole[k] < '0' || whole[k] > '9') return false;
        }
    }
    return true;
}

// Splits one word (a span of normalised text) into atoms: at inner punctuation, and at
// letter/digit boundaries unless the word holds a run of 5+ digits (an identifier: NCT04447833).
// Decimal points and thousands commas stay inside numbers (2.5, 1,000).
void split_word(std::string_view text, std::uint32_t begin, std::uint32_t end,
                std::vector<Atom>& atoms) {
    if (end - begin >= 3 && text[end - 2] == '\'' && text[end - 1] == 's') end -= 2;
    int run = 0;
    int longest_run = 0;
    for (std::uint32_t i = begin; i < end; ++i) {
        run = text[i] >= '0' && text[i] <= '9' ? run + 1 : 0;
        longest_run = std::max(longest_run, run);
    }
    const bool identifier = longest_run >= 5;
    enum class Kind { none, letter, digit };
    Kind kind = Kind::none;
    bool mixed = false;  // an identifier atom holding letters and digits
    std::uint32_t start = begin;
    const auto close = [&](std::uint32_t at) {
        if (kind == Kind::none) return;
        const bool number = kind == Kind::digit;
        const std::string_view s = text.substr(start, at - start);
        if (number && s.find(',') != std::string_view::npos && !is_grouped_number(s)) {
            std::uint32_t piece = start;
            for (std::uint32_t k = start; k <= at; ++k) {
                if (k == at || text[k] == ',') {
                    if (k > piece) atoms.push_back({piece, k, true, true});
                    piece = k + 1;
                }
            }
        } else {
            atoms.push_back({start, at, number, number || mixed});
        }
        kind = Kind::none;
        mixed = false;
    };
    std::size_t i = begin;
    while (i < end) {
        const auto at = static_cast<std::uint32_t>(i);
        const char32_t c = utf8::next(text, i);
        const bool digit = is_digit(c);
        if (!digit && is_separator(c)) {
            std::size_t k = i;
            const bool digit_follows = k < end && is_digit(utf8::next(text, k));
            if ((c == '.' || c == ',') && kind == Kind::digit && digit_follows) continue;
            close(at);
            continue;
        }
        const Kind now = digit ? Kind::digit : Kind::letter;
        if (kind != Kind::none && now != kind) {
            if (identifier) {
                mixed = true;
                kind = Kind::letter;
                continue;
            }
            close(at);
        }
        if (kind == Kind::none) {
            kind = now;
            start = at;
        }
    }
    close(end);
}

// Markup: "<name attr="v" ...>", "</name>", "<name/>", "<?...?>" or "<!...>" starting at text[b]
// (a '<'). Returns one past its '>', or 0 when this '<' does not open a tag ("<LLN or >ULN",
// "< 18", "<5 mg" are text).
std::size_t markup_end(std::string_view text, std::size_t b) {
    constexpr std::size_t kMaxTag = 1024;  // bounds the look-ahead: no quadratic scans
    const std::string_view t = text.substr(0, std::min(text.size(), b + kMaxTag));
    const std::size_t n = t.size();
    std::size_t i = b + 1;
    if (i >= n) return 0;
    if (t[i] == '?' || t[i] == '!') {
        const std::size_t close = t.find('>', i);
        if (close == std::string_view::npos || t.find('<', i) < close) return 0;
        return close + 1;
    }
    if (t[i] == '/') ++i;
    const auto name = [&] {
        if (i >= n || !((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z'))) return false;
        while (i < n &&
               (ascii_alnum(t[i]) || t[i] == '_' || t[i] == ':' || t[i] == '-' || t[i] == '.')) {
            ++i;
        }
        return true;
    };
    const auto spaces = [&] {
        const std::size_t from = i;
        while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) ++i;
        return i > from;
    };
    if (!name()) return 0;
    for (;;) {
        const bool spaced = spaces();
        if (i < n && t[i] == '>') return i + 1;
        if (i + 1 < n && t[i] == '/' && t[i + 1] == '>') return i + 2;
        // An attribute: name = "value" or 'value'.
        if (!spaced || !name()) return 0;
        spaces();
        if (i >= n || t[i] != '=') return 0;
        ++i;
        spaces();
        if (i >= n || (t[i] != '"' && t[i] != '\'')) return 0;
        const std::size_t close = t.find(t[i], i + 1);
        if (close == std::string_view::npos) return 0;
        i = close + 1;
    }
}

// 2-5 letters, all upper case in the original text (SARS, ARDS, COPD): never stemmed.
bool is_acronym(std::string_view original) {
    int letters = 0;
    for (std::size_t i = 0; i < original.size();) {
        const char32_t c = utf8::next(original, i);
        if (c == utf8::kInvalid) return false;
        const auto uc = static_cast<UChar32>(c);
        if (u_islower(uc) || !u_isupper(uc)) return false;
        ++letters;
    }
    return letters >= 2 && letters <= 5;
}

class Emitter {
  public:
    Emitter(std::string_view original, const NormalizedText& normalized, const StopSet* stop,
            bool join_numbers, std::vector<Token>& out, std::uint32_t position)
        : original_(original),
          norm_(normalized),
          stop_(stop),
          join_numbers_(join_numbers),
          out_(out),
          position_(position) {}

    [[nodiscard]] std::uint32_t position() const { return position_; }

    void comparator(std::string term, std::uint32_t begin, std::uint32_t end) {
        push(std::move(term), begin, end, true, false, position_);
        ++position_;
    }

    // One compound: the atoms of its words, an optional sign, [begin, end) in normalised bytes.
    void compound(const std::vector<Atom>& atoms, char sign, std::uint32_t begin,
                  std::uint32_t end) {
        if (atoms.empty()) return;
        terms_.clear();
        for (const Atom& a : atoms) {
            std::string term(norm_.text.substr(a.begin, a.end - a.begin));
            if (a.number && term.find(',') != std::string::npos) std::erase(term, ',');
            term.resize(utf8::truncate_at(term, kMaxAtomBytes));
            terms_.push_back(std::move(term));
        }
        const auto keyword = [&](std::size_t k) {
            return atoms[k].has_digit || is_acronym(source(atoms[k].begin, atoms[k].end));
        };
        const std::uint32_t p = position_;
        // Case does not protect a stop word: "QUALITY OF LIFE" must equal "Quality of Life".
        if (atoms.size() == 1 && sign == 0 && stop_ != nullptr && !atoms[0].has_digit &&
            stop_->contains(terms_[0])) {
            ++position_;
            return;
        }
        // Numbers alone (18-65, 1:1, 16;16, 10^6) are ranges, ratios and lists: their joined
        // form would be another number ("1-2" -> 12), and their trailing minus no marker.
        const bool numbers_only =
            (atoms.size() > 1 || sign != 0) &&
            std::all_of(atoms.begin(), atoms.end(), [](const Atom& a) { return a.number; });
        if (numbers_only && sign == '-') sign = 0;
        std::string joined;
        if (atoms.size() > 1 && (join_numbers_ || !numbers_only)) {
            for (const std::string& t : terms_) joined += t;
            if (joined.size() > kMaxJoinedBytes) joined.clear();
        }
        // A range without a joined form keeps its sign on its last number: 0.5-5% -> 0.5 5%.
        const bool last_signed = sign != 0 && atoms.size() > 1 && numbers_only && !join_numbers_;
        if (sign != 0 && !last_signed && (atoms.size() == 1 || !joined.empty())) {
            std::string marked = atoms.size() == 1 ? terms_[0] : joined;
            marked.push_back(sign);
            push(std::move(marked), begin, end, true, false, p);
        }
        if (!joined.empty()) push(std::move(joined), begin, atoms.back().end, true, true, p);
        for (std::size_t k = 0; k < atoms.size(); ++k) {
            const auto at = p + static_cast<std::uint32_t>(k);
            if (last_signed && k + 1 == atoms.size()) {
                push(terms_[k] + sign, atoms[k].begin, end, true, false, at);
            }
            push(std::move(terms_[k]), atoms[k].begin, atoms[k].end, keyword(k), false, at);
        }
        position_ = p + static_cast<std::uint32_t>(atoms.size());
    }

  private:
    [[nodiscard]] std::string_view source(std::uint32_t begin, std::uint32_t end) const {
        const std::uint32_t b = norm_.begin[begin];
        return original_.substr(b, norm_.end[end - 1] - b);
    }

    void push(std::string term, std::uint32_t begin, std::uint32_t end, bool keyword, bool joined,
              std::uint32_t position) {
        if (term.empty()) return;
        Token t;
        t.term = std::move(term);
        t.position = position;
        t.start = norm_.begin[begin];
        t.end = norm_.end[end - 1];
        t.keyword = keyword;
        t.joined = joined;
        out_.push_back(std::move(t));
    }

    std::string_view original_;
    const NormalizedText& norm_;
    const StopSet* stop_;
    bool join_numbers_;
    std::vector<Token>& out_;
    std::uint32_t position_;
    std::vector<std::string> terms_;
};

}  // namespace

Tokenizer::Tokenizer() {
    UErrorCode status = U_ZERO_ERROR;
    prototype_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status) || !prototype_) {
        throw AnalysisError(std::string("ICU word break unavailable: ") + u_errorName(status));
    }
}

Tokenizer::~Tokenizer() = default;

std::uint32_t Tokenizer::tokenize(std::string_view original, const NormalizedText& normalized,
                                  const StopSet* stop, bool join_numbers, std::vector<Token>& out,
                                  std::uint32_t first_position) const {
    const std::string_view text = normalized.text;
    Emitter emit(original, normalized, stop, join_numbers, out, first_position);
    if (text.empty()) return first_position;

    std::vector<Segment> segs;
    {
        UErrorCode status = U_ZERO_ERROR;
        const std::unique_ptr<icu::BreakIterator> bi(prototype_->clone());
        icu::LocalUTextPointer ut(
            utext_openUTF8(nullptr, text.data(), static_cast<std::int64_t>(text.size()), &status));
        if (!bi || U_FAILURE(status)) return first_position;
        bi->setText(ut.getAlias(), status);
        if (U_FAILURE(status)) return first_position;
        std::int32_t begin = bi->first();
        for (std::int32_t end = bi->next(); end != icu::BreakIterator::DONE;
             begin = end, end = bi->next()) {
            segs.push_back({static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end),
                            bi->getRuleStatus() >= UBRK_WORD_NONE_LIMIT});
        }
    }

    const auto single = [&](std::size_t k, char c) {
        return k < segs.size() && !segs[k].word && segs[k].end - segs[k].begin == 1 &&
               text[segs[k].begin] == c;
    };
    const auto is_word = [&](std::size_t k) { return k < segs.size() && segs[k].word; };
    // The segment after k, past one run of spaces, is a word starting with a digit (=< 7).
    const auto number_follows = [&](std::size_t k) {
        if (k + 1 < segs.size() && !segs[k + 1].word && text[segs[k + 1].begin] == ' ') ++k;
        return is_word(k + 1) && is_digit(static_cast<unsigned char>(text[segs[k + 1].begin]));
    };
    // The byte before / after a segment is part of an arrow or a run (->, <-, >>, =>).
    const auto arrow_before = [&](const Segment& g) {
        return g.begin > 0 &&
               std::string_view("-<>=").find(text[g.begin - 1]) != std::string_view::npos;
    };
    const auto arrow_after = [&](const Segment& g) {
        return g.end < text.size() &&
               std::string_view("-<>").find(text[g.end]) != std::string_view::npos;
    };

    std::vector<Atom> atoms;
    for (std::size_t i = 0; i < segs.size();) {
        const Segment& s = segs[i];
        if (!s.word) {
            const char c = text[s.begin];
            if (s.end - s.begin != 1 || (c != '<' && c != '>' && c != '=')) {
                ++i;  // spaces and punctuation that never make a term
                continue;
            }
            if (c == '<') {
                if (const std::size_t tag = markup_end(text, s.begin); tag != 0) {
                    while (i < segs.size() && segs[i].begin < tag) ++i;
                    continue;
                }
            }
            if (c == '>' || c == '<') {
                // <= and >=, also written </= and >/=.
                std::size_t last = i;  // the comparator's last segment
                if (single(i + 1, '=')) {
                    last = i + 1;
                } else if (single(i + 1, '/') && single(i + 2, '=')) {
                    last = i + 2;
                }
                if (last == i && (arrow_before(s) || arrow_after(s))) {
                    ++i;
                    continue;
                }
                std::string term(1, c);
                if (last != i) term.push_back('=');
                emit.comparator(std::move(term), s.begin, segs[last].end);
                i = last + 1;
            } else if (c == '=' && (single(i + 1, '<') || single(i + 1, '>')) &&
                       !single(i + 2, '=') && number_follows(i + 1)) {
                // =< and => before a number: <= and >= (NCI writes =< 2.5 x ULN).
                emit.comparator(std::string(1, text[segs[i + 1].begin]) + '=', s.begin,
                                segs[i + 1].end);
                i += 2;
            } else {
                ++i;
            }
            continue;
        }
        atoms.clear();
        split_word(text, s.begin, s.end, atoms);
        char sign = 0;
        std::uint32_t end = s.end;
        std::size_t j = i;
        while (j + 1 < segs.size()) {
            const Segment& next = segs[j + 1];
            if (next.word || next.end - next.begin != 1) break;
            const char c = text[next.begin];
            const bool word_after = is_word(j + 2);
            if (c == '+' || c == '%' || (c == '-' && !word_after)) {
                sign = c;
                end = next.end;
                ++j;
                break;
            }
            if ((c != '-' && !is_connector(c)) || !word_after) break;
            j += 2;
            split_word(text, segs[j].begin, segs[j].end, atoms);
            end = segs[j].end;
        }
        emit.compound(atoms, sign, s.begin, end);
        i = j + 1;
    }
    return emit.position();
}

}  // namespace trials::analysis
