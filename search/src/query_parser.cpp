// Recursive-descent parser of the query language (see query_parser.hpp) compiling straight to
// Xapian queries. Scored text, weightless filters and negations are kept apart in each AND group
// so filters never change scores and top-level facet filters can be left out for facet counts.
#include "trials/search/query_parser.hpp"

#include <array>
#include <cctype>

#include "query_lexer.hpp"
#include "ranges.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"

namespace trials::search {
namespace {

using detail::Tok;
using detail::Token;

enum class Expansion { Concept, Term, None };

// What an Essie AREA[...] name or a field: name refers to.
struct Target {
    const analysis::TextFieldSpec* text = nullptr;
    const analysis::FacetSpec* facet = nullptr;
    const analysis::NumericSpec* numeric = nullptr;
    bool age = false;
};

struct EssieArea {
    std::string_view area;
    std::string_view field;  // our field, facet or numeric name
};
constexpr std::array kEssieAreas{
    EssieArea{"condition", "condition"}, EssieArea{"conditionsearch", "condition"},
    EssieArea{"brieftitle", "title"}, EssieArea{"officialtitle", "title"},
    EssieArea{"acronym", "title"}, EssieArea{"titlesearch", "title"},
    EssieArea{"briefsummary", "summary"}, EssieArea{"detaileddescription", "description"},
    EssieArea{"eligibilitycriteria", "eligibility"}, EssieArea{"keyword", "keyword"},
    EssieArea{"interventionname", "intervention"}, EssieArea{"interventionothername", "intervention"},
    EssieArea{"interventiondescription", "intervention"},
    EssieArea{"interventionsearch", "intervention"}, EssieArea{"armgrouplabel", "arm"},
    EssieArea{"armgroupdescription", "arm"}, EssieArea{"primaryoutcomemeasure", "outcome"},
    EssieArea{"secondaryoutcomemeasure", "outcome"}, EssieArea{"outcomesearch", "outcome"},
    EssieArea{"leadsponsorname", "sponsor"}, EssieArea{"collaboratorname", "sponsor"},
    EssieArea{"sponsorsearch", "sponsor"}, EssieArea{"locationfacility", "location"},
    EssieArea{"locationcity", "location"}, EssieArea{"locationstate", "location"},
    EssieArea{"locationsearch", "location"}, EssieArea{"locationcountry", "country"},
    EssieArea{"nctid", "id"}, EssieArea{"orgstudyid", "id"}, EssieArea{"secondaryid", "id"},
    EssieArea{"idsearch", "id"}, EssieArea{"conditionmeshterm", "mesh"},
    EssieArea{"conditionancestorterm", "mesh"}, EssieArea{"interventionmeshterm", "mesh"},
    EssieArea{"interventionancestorterm", "mesh"}, EssieArea{"overallstatus", "status"},
    EssieArea{"phase", "phase"}, EssieArea{"studytype", "type"},
    EssieArea{"designallocation", "allocation"}, EssieArea{"designinterventionmodel", "model"},
    EssieArea{"designmasking", "masking"}, EssieArea{"designprimarypurpose", "purpose"},
    EssieArea{"interventiontype", "intervention_type"}, EssieArea{"sex", "sex"},
    EssieArea{"gender", "sex"}, EssieArea{"healthyvolunteers", "healthy"},
    EssieArea{"stdage", "age_group"}, EssieArea{"leadsponsorclass", "sponsor_class"},
    EssieArea{"hasresults", "results"}, EssieArea{"startdate", "start"},
    EssieArea{"primarycompletiondate", "primary_completion"},
    EssieArea{"completiondate", "completion"}, EssieArea{"studyfirstpostdate", "first_posted"},
    EssieArea{"lastupdatepostdate", "updated"}, EssieArea{"enrollmentcount", "enrollment"},
    EssieArea{"minimumage", "min_age"}, EssieArea{"maximumage", "max_age"},
};

std::string lower(std::string_view s) {
    std::string out;
    for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

Target resolve(std::string_view name) {
    Target t;
    const std::string n = lower(name);
    if (n == "age") {
        t.age = true;
        return t;
    }
    t.text = analysis::find_text_field(n);
    if (t.text == nullptr) t.facet = analysis::find_facet(n);
    if (t.text == nullptr && t.facet == nullptr) t.numeric = analysis::find_numeric(n);
    return t;
}

Target resolve_area(std::string_view area) {
    std::string a = lower(area);
    std::erase_if(a, [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
    for (const auto& e : kEssieAreas) {
        if (e.area == a) return resolve(e.field);
    }
    Target t = resolve(a);
    if (t.text == nullptr && t.facet == nullptr && t.numeric == nullptr && !t.age) {
        throw QueryError("unknown search area AREA[" + std::string(area) + "]");
    }
    return t;
}

// One parsed piece of an AND group.
struct Part {
    enum Kind { Scored, Filter, Empty } kind = Empty;
    Xapian::Query query;
    std::string facet;  // set when the part is a filter on exactly one facet
};

struct Scope {
    const analysis::TextFieldSpec* field = nullptr;  // null: every field (catch-all)
    Expansion expansion = Expansion::Concept;
};

class Parser {
public:
    Parser(const analysis::AnalyzerRegistry& registry, const QueryParserOptions& options,
           std::vector<Token> tokens)
        : registry_(registry), options_(options), toks_(std::move(tokens)) {}

    ParsedQuery parse_top() {
        ParsedQuery out;
        std::vector<Part> parts = parse_and_parts(Scope{});
        if (peek().kind == Tok::Or) {
            // A top-level OR: no separable facet filters.
            Part all = parse_or_rest(Scope{}, std::move(parts));
            out.base_ = all.query;
            out.has_text = all.kind == Part::Scored;
        } else {
            std::vector<Part> rest;
            for (auto& p : parts) {
                if (p.kind == Part::Filter && !p.facet.empty()) {
                    out.facet_filters.emplace_back(p.facet, p.query);
                } else {
                    rest.push_back(std::move(p));
                }
            }
            Part base = combine_and(std::move(rest));
            out.base_ = base.kind == Part::Empty ? detail::match_all() : base.query;
            out.has_text = base.kind == Part::Scored;
        }
        if (peek().kind != Tok::End) fail("unexpected '" + peek().text + "'");
        out.query = out.without_facet("");
        out.text_fields = std::move(text_fields_);
        out.text_spans = std::move(text_spans_);
        out.dropped_words = std::move(dropped_words_);
        return out;
    }

private:
    const Token& peek() const { return toks_[pos_]; }
    const Token& next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
    bool accept(Tok k) {
        if (peek().kind != k) return false;
        ++pos_;
        return true;
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw QueryError(what + " at character " + std::to_string(peek().offset + 1));
    }

    std::vector<Part> parse_and_parts(const Scope& scope) {
        std::vector<Part> parts;
        while (true) {
            const Tok k = peek().kind;
            if (k == Tok::End || k == Tok::RParen || k == Tok::Or) break;
            if (k == Tok::And) {
                // As in Lucene's and ClinicalTrials.gov's syntax, a dangling AND is an error.
                if (parts.empty()) fail("AND needs a term before it");
                next();
                const Tok after = peek().kind;
                if (after == Tok::End || after == Tok::RParen || after == Tok::Or ||
                    after == Tok::And) {
                    fail("AND needs a term after it");
                }
                continue;
            }
            parts.push_back(parse_unary(scope));
        }
        return parts;
    }

    // An OR chain whose first alternative is parsed already; no alternative may be empty.
    Part parse_or_rest(const Scope& scope, std::vector<Part> first) {
        if (first.empty() && peek().kind == Tok::Or) fail("OR needs a term before it");
        std::vector<Part> alts{combine_and(std::move(first))};
        while (accept(Tok::Or)) {
            std::vector<Part> parts = parse_and_parts(scope);
            if (parts.empty()) fail("OR needs a term after it");
            alts.push_back(combine_and(std::move(parts)));
        }
        return alts.size() == 1 ? alts.front() : combine_or(std::move(alts));
    }

    Part parse_or(const Scope& scope) { return parse_or_rest(scope, parse_and_parts(scope)); }

    // Nesting (parentheses, NOT chains, field scopes) is bounded, so that no query can exhaust
    // the stack of the recursive descent.
    static constexpr int kMaxDepth = 256;
    struct DepthGuard {
        DepthGuard(Parser& p) : parser(p) {
            if (++parser.depth_ > kMaxDepth) {
                parser.fail("query nested more than " + std::to_string(kMaxDepth) +
                            " levels deep");
            }
        }
        ~DepthGuard() { --parser.depth_; }
        DepthGuard(const DepthGuard&) = delete;
        DepthGuard& operator=(const DepthGuard&) = delete;
        Parser& parser;
    };

    Part parse_unary(const Scope& scope) {
        const DepthGuard guard(*this);
        if (accept(Tok::Not) || accept(Tok::Minus)) {
            ++negated_depth_;
            Part p = parse_unary(scope);
            --negated_depth_;
            if (p.kind == Part::Empty) return p;
            Part neg;
            neg.kind = Part::Filter;
            neg.query = Xapian::Query(Xapian::Query::OP_AND_NOT, detail::match_all(), p.query);
            negated_.push_back(neg.query);
            return neg;
        }
        accept(Tok::Plus);
        return parse_primary(scope);
    }

    Part parse_primary(const Scope& scope) {
        const DepthGuard guard(*this);
        const Token& t = peek();
        switch (t.kind) {
            case Tok::LParen: {
                next();
                if (peek().kind == Tok::RParen) fail("empty parentheses");
                Part p = parse_or(scope);
                if (!accept(Tok::RParen)) fail("missing ')'");
                return p;
            }
            case Tok::Phrase:
                note_text(peek(), scope);
                return text_part(next().text, scope, true);
            case Tok::Word: {
                note_text(peek(), scope);
                std::string run = next().text;
                while (peek().kind == Tok::Word) {
                    note_text(peek(), scope);
                    run += " " + next().text;
                }
                return text_part(run, scope, false);
            }
            case Tok::Field: {
                const std::string name = next().text;
                return target_value(resolve(name), name, scope);
            }
            case Tok::Area: {
                const std::string area = next().text;
                return target_value(resolve_area(area), "AREA[" + area + "]", scope);
            }
            case Tok::Expansion: {
                const std::string mode = lower(next().text);
                Scope inner = scope;
                if (mode == "none") {
                    inner.expansion = Expansion::None;
                } else if (mode == "term" || mode == "lossy") {
                    inner.expansion = Expansion::Term;
                } else if (mode == "concept" || mode == "relaxation") {
                    inner.expansion = Expansion::Concept;
                } else {
                    fail("unknown EXPANSION[" + mode + "] (use None, Term or Concept)");
                }
                return parse_primary(inner);
            }
            case Tok::Range:
                fail("RANGE[...] must follow AREA[Field] or a field name");
            case Tok::Missing:
                fail("MISSING must follow AREA[Field] or a field name");
            case Tok::RParen:
                fail("unbalanced ')'");
            case Tok::And:
            case Tok::Or:
                fail("operator '" + t.text + "' needs a term on each side");
            default:
                fail("unexpected end of query");
        }
    }

    Part text_part(const std::string& text, const Scope& scope, bool phrase) {
        analysis::TextQueryOptions o;
        const auto* field = scope.field;
        if (field != nullptr) {
            o.fields = {{std::string(field->prefix), 1.0}};
        }
        o.phrase = phrase;
        o.conjunctive = options_.conjunctive;
        o.stem = scope.expansion != Expansion::None;
        o.synonyms = scope.expansion == Expansion::Concept ? options_.synonyms : nullptr;
        o.max_words = options_.max_words;
        o.stats = options_.stats;
        o.dropped = &dropped_words_;
        const auto& analyzer =
            registry_.get(field != nullptr ? field->analyzer : std::string_view("prose"));
        Part p;
        if (field != nullptr && !field->positions && (phrase || !o.stem)) {
            // No positions and no exact form of stemmed words in this field: the phrase (or the
            // exact words) in the catch-all, every word's stem in the field.
            analysis::TextQueryOptions all = o;
            all.fields = {{"", 1.0}};
            o.phrase = false;
            o.stem = true;
            o.conjunctive = true;
            const Xapian::Query words = analysis::build_text_query(analyzer, text, o);
            const Xapian::Query in_all = analysis::build_text_query(analyzer, text, all);
            p.query = words.empty() ? words
                                    : Xapian::Query(Xapian::Query::OP_FILTER, words, in_all);
        } else {
            p.query = analysis::build_text_query(analyzer, text, o);
        }
        p.kind = p.query.empty() ? Part::Empty : Part::Scored;
        if (p.kind == Part::Scored) {
            text_fields_.push_back(field != nullptr ? std::string(field->name) : std::string());
        }
        return p;
    }

    // The value after field: or AREA[...]: text, facet values, a range or MISSING.
    Part target_value(const Target& target, const std::string& name, const Scope& scope) {
        if (target.text != nullptr) {
            Scope inner = scope;
            inner.field = target.text;
            if (accept(Tok::Missing)) fail("MISSING is supported for facets and numbers only");
            if (peek().kind == Tok::LParen || peek().kind == Tok::Phrase ||
                peek().kind == Tok::Expansion) {
                return parse_primary(inner);
            }
            if (peek().kind != Tok::Word) fail("a value must follow " + name + ":");
            note_text(peek(), inner);
            return text_part(next().text, inner, false);
        }
        if (target.facet != nullptr) return facet_value(*target.facet, name);
        return range_value(target, name);
    }

    Part facet_value(const analysis::FacetSpec& spec, const std::string& name) {
        Part p;
        p.kind = Part::Filter;
        p.facet = std::string(spec.name);
        if (accept(Tok::Missing)) {
            p.query = detail::missing_value(spec.slot);
            return p;
        }
        std::vector<std::string> values;
        auto add_values = [&](const std::string& text, bool split_commas) {
            if (!split_commas) {
                values.push_back(text);
                return;
            }
            std::size_t start = 0;
            while (start <= text.size()) {
                const std::size_t comma = text.find(',', start);
                const std::string v = text.substr(
                    start, comma == std::string::npos ? std::string::npos : comma - start);
                if (!v.empty()) values.push_back(v);
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
        };
        if (accept(Tok::LParen)) {
            while (!accept(Tok::RParen)) {
                const Token& t = next();
                if (t.kind == Tok::Word) {
                    add_values(t.text, true);
                } else if (t.kind == Tok::Phrase) {
                    add_values(t.text, false);
                } else if (t.kind != Tok::Or) {
                    fail("only values and OR may stand inside " + name + ":(...)");
                }
            }
        } else if (peek().kind == Tok::Word) {
            add_values(next().text, true);
        } else if (peek().kind == Tok::Phrase) {
            add_values(next().text, false);
        } else {
            fail("a value must follow " + name + ":");
        }
        if (values.empty()) fail("a value must follow " + name + ":");
        std::vector<Xapian::Query> terms;
        for (const auto& v : values) {
            terms.emplace_back(
                analysis::facet_term(spec, analysis::normalize_facet_value(spec, v)));
        }
        p.query = Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
        return p;
    }

    Part range_value(const Target& target, const std::string& name) {
        Part p;
        p.kind = Part::Filter;
        std::string lo, hi;
        if (accept(Tok::Missing)) {
            if (target.age) fail("MISSING needs min_age or max_age, not age");
            p.query = detail::missing_value(static_cast<Xapian::valueno>(target.numeric->slot));
            return p;
        }
        bool is_range = false;
        if (peek().kind == Tok::Range) {
            const std::string body = next().text;
            const std::size_t comma = body.find(',');
            if (comma == std::string::npos) fail("RANGE[lo, hi] needs a comma");
            lo = body.substr(0, comma);
            hi = body.substr(comma + 1);
            is_range = true;
        } else if (peek().kind == Tok::Word || peek().kind == Tok::Phrase) {
            const std::string v = next().text;
            const std::size_t dots = v.find("..");
            if (dots != std::string::npos) {
                lo = v.substr(0, dots);
                hi = v.substr(dots + 2);
                is_range = true;
            } else {
                lo = hi = v;
            }
        } else {
            fail("a value or range must follow " + name);
        }
        if (target.age) {
            p.query = detail::age_query(lo, hi);
        } else {
            if (!is_range && lo.empty()) fail("a value must follow " + name);
            p.query = detail::numeric_range(*target.numeric, lo, hi);
        }
        return p;
    }

    Part combine_and(std::vector<Part> parts) {
        std::vector<Xapian::Query> scored, filters;
        for (auto& p : parts) {
            if (p.kind == Part::Scored) scored.push_back(p.query);
            if (p.kind == Part::Filter) filters.push_back(p.query);
        }
        Part out;
        if (scored.empty() && filters.empty()) return out;
        const auto op = options_.conjunctive ? Xapian::Query::OP_AND : Xapian::Query::OP_OR;
        if (!scored.empty()) {
            out.kind = Part::Scored;
            out.query = scored.size() == 1 ? scored.front()
                                           : Xapian::Query(op, scored.begin(), scored.end());
            if (!filters.empty()) {
                out.query = Xapian::Query(
                    Xapian::Query::OP_FILTER, out.query,
                    Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
            }
        } else {
            out.kind = Part::Filter;
            out.query = filters.size() == 1
                            ? filters.front()
                            : Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
            if (parts.size() == 1) out.facet = parts.front().facet;
        }
        return out;
    }

    Part combine_or(std::vector<Part> alts) {
        std::vector<Xapian::Query> qs;
        Part out;
        for (auto& a : alts) {
            if (a.kind == Part::Empty) continue;
            qs.push_back(a.query);
            if (a.kind == Part::Scored) out.kind = Part::Scored;
            if (out.kind == Part::Empty) out.kind = Part::Filter;
        }
        if (qs.empty()) return out;
        out.query = Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
        // facet: an OR of filters on the same single facet stays that facet's filter
        std::string f = alts.front().facet;
        for (const auto& a : alts) {
            if (a.facet != f) f.clear();
        }
        if (out.kind == Part::Filter) out.facet = f;
        return out;
    }

    const analysis::AnalyzerRegistry& registry_;
    const QueryParserOptions& options_;
    std::vector<Token> toks_;
    std::size_t pos_ = 0;
    std::vector<Xapian::Query> negated_;
    std::vector<std::string> text_fields_;
    std::vector<ParsedQuery::TextSpan> text_spans_;
    std::vector<std::string> dropped_words_;
    int negated_depth_ = 0;
    int depth_ = 0;  // current nesting, see DepthGuard

    // Remembers a word or phrase analysed as text (not under NOT), for spelling suggestions.
    void note_text(const Token& t, const Scope& scope) {
        if (negated_depth_ > 0) return;
        text_spans_.push_back({t.offset, t.text,
                               scope.field != nullptr ? std::string(scope.field->name) : ""});
    }

    friend struct ParsedQuery;
};

}  // namespace

Xapian::Query ParsedQuery::without_facet(const std::string& facet) const {
    std::vector<Xapian::Query> filters;
    for (const auto& [name, q] : facet_filters) {
        if (name != facet) filters.push_back(q);
    }
    if (filters.empty()) return base_;
    Xapian::Query f(Xapian::Query::OP_AND, filters.begin(), filters.end());
    if (!has_text) {
        return base_.get_type() == Xapian::Query::LEAF_MATCH_ALL
                   ? f
                   : Xapian::Query(Xapian::Query::OP_AND, base_, f);
    }
    return Xapian::Query(Xapian::Query::OP_FILTER, base_, f);
}

QueryParser::QueryParser(const analysis::AnalyzerRegistry& registry, QueryParserOptions options)
    : registry_(registry), options_(options) {}

namespace {

// Messages quote the query: its control characters (a newline) are shown escaped (\n, \x01) so
// that every error stays one line.
std::string one_line(std::string_view message) {
    constexpr std::string_view hex = "0123456789abcdef";
    std::string line;
    for (const char c : message) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u != 0x7f) {
            line += c;
        } else if (c == '\n') {
            line += "\\n";
        } else {
            line += std::string("\\x") + hex[u >> 4] + hex[u & 15];
        }
    }
    return line;
}

}  // namespace

ParsedQuery QueryParser::parse(std::string_view text) const {
    // Bounded work for any input: Xapian's match over thousands of OR-ed word queries (each a
    // disjunction over fields and synonyms) takes minutes, and no real query comes near this.
    constexpr std::size_t kMaxTokens = 1024;
    try {
        std::vector<detail::Token> tokens = detail::lex_query(text);
        if (tokens.size() > kMaxTokens + 1) {  // the lexer adds an End token
            throw QueryError("query too long: more than " + std::to_string(kMaxTokens) +
                             " words, operators and filters");
        }
        Parser p(registry_, options_, std::move(tokens));
        return p.parse_top();
    } catch (const QueryError& e) {
        throw QueryError(one_line(e.what()));
    }
}

}  // namespace trials::search
