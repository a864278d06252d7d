// Unit tests of the query lexer and range parsing: table-driven, exact tokens and bounds.
#include <gtest/gtest.h>

#include "query_lexer.hpp"
#include "ranges.hpp"
#include "trials/error.hpp"

namespace trials::search::detail {
namespace {

std::string show(std::string_view q) {
    static const char* names[] = {"W", "P", "(", ")", "AND", "OR", "NOT", "-", "+", "F",
                                  "AREA", "RANGE", "MISSING", "EXP", "END"};
    std::string out;
    for (const auto& t : lex_query(q)) {
        if (t.kind == Tok::End) break;
        if (!out.empty()) out += ' ';
        out += names[static_cast<int>(t.kind)];
        if (!t.text.empty() && t.kind != Tok::LParen && t.kind != Tok::RParen &&
            t.kind != Tok::Minus && t.kind != Tok::Plus && t.kind != Tok::And &&
            t.kind != Tok::Or && t.kind != Tok::Not && t.kind != Tok::Missing) {
            out += "{" + t.text + "}";
        }
    }
    return out;
}

TEST(QueryLexer, Tokens) {
    const std::vector<std::pair<std::string, std::string>> rows = {
        {"covid19 vaccine", "W{covid19} W{vaccine}"},
        {"\"acute lung injury\"", "P{acute lung injury}"},
        {"\xE2\x80\x9C" "shock lung" "\xE2\x80\x9D", "P{shock lung}"},
        {"CD4+ -placebo", "W{CD4+} - W{placebo}"},
        {"5-FU AND IL-6", "W{5-FU} AND W{IL-6}"},
        {"title:covid", "F{title} W{covid}"},
        {"condition:\"breast cancer\"", "F{condition} P{breast cancer}"},
        {"status:(recruiting OR completed)", "F{status} ( W{recruiting} OR W{completed} )"},
        {"start:2020..2021-06", "F{start} W{2020..2021-06}"},
        {"AREA[MinimumAge]RANGE[MIN, 16 years]", "AREA{MinimumAge} RANGE{MIN, 16 years}"},
        {"AREA[Phase]MISSING", "AREA{Phase} MISSING"},
        {"EXPANSION[None]covid", "EXP{None} W{covid}"},
        {"http://x.org NOT a", "W{http://x.org} NOT W{a}"},
        {"PaO2/FiO2 \xE2\x89\xA5" "18", "W{PaO2/FiO2} W{\xE2\x89\xA5" "18}"},
    };
    for (const auto& [q, want] : rows) EXPECT_EQ(show(q), want) << q;
}

// Regression: MISSING, RANGE[...] and EXPANSION[...] written right after "field:" were lexed as
// a word, so phase:MISSING silently found nothing and enrollment:RANGE[10, 20] failed, while the
// same with a space after the colon worked.
TEST(QueryLexer, OperatorsRightAfterFieldColon) {
    const std::vector<std::pair<std::string, std::string>> rows = {
        {"phase:MISSING", "F{phase} MISSING"},
        {"enrollment:RANGE[10, 20]", "F{enrollment} RANGE{10, 20}"},
        {"title:EXPANSION[None]covid", "F{title} EXP{None} W{covid}"},
        {"title:missing", "F{title} W{missing}"},
        {"phase: MISSING", "F{phase} MISSING"},
    };
    for (const auto& [q, want] : rows) EXPECT_EQ(show(q), want) << q;
}

TEST(QueryLexer, Errors) {
    EXPECT_THROW((void)lex_query("\"open"), QueryError);
    EXPECT_THROW((void)lex_query("AREA[Condition"), QueryError);
    EXPECT_THROW((void)lex_query("RANGE[1, 2"), QueryError);
}

TEST(Ranges, DateBounds) {
    EXPECT_EQ(parse_date_bound("2020", false), 20200000);
    EXPECT_EQ(parse_date_bound("2020", true), 20201299);
    EXPECT_EQ(parse_date_bound("2021-06", true), 20210699);
    EXPECT_EQ(parse_date_bound("2021-06-17", false), 20210617);
    EXPECT_EQ(parse_date_bound("06/17/2021", false), 20210617);
    EXPECT_FALSE(parse_date_bound("yesterday", false));
    EXPECT_FALSE(parse_date_bound("2021-13", false));
}

TEST(Ranges, Ages) {
    EXPECT_DOUBLE_EQ(*parse_age("16"), 16);
    EXPECT_DOUBLE_EQ(*parse_age("16 years"), 16);
    EXPECT_DOUBLE_EQ(*parse_age("6m"), 0.5);
    EXPECT_DOUBLE_EQ(*parse_age("6 Months"), 0.5);
    EXPECT_NEAR(*parse_age("2w"), 14 / 365.25, 1e-9);
    EXPECT_NEAR(*parse_age("30 days"), 30 / 365.25, 1e-9);
    EXPECT_FALSE(parse_age("old"));
}

}  // namespace
}  // namespace trials::search::detail
