// Synthetic studies from the seed model (see generate.hpp).
#include "generate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace trials::corpus {
namespace {

// Moves a date by `months` (year-only dates by whole years); days past 28 become 28.
records::PartialDate shift(records::PartialDate d, long months) {
    if (d.empty()) return d;
    if (d.month == 0) {
        d.year += static_cast<int>(months / 12);
        return d;
    }
    const long total = d.year * 12L + (d.month - 1) + months;
    d.year = static_cast<int>(total / 12);
    d.month = static_cast<int>(total % 12) + 1;
    d.day = std::min(d.day, 28);
    return d;
}

std::size_t word_count(const std::string& s) {
    return s.empty() ? 0 : static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + 1;
}

// A text of the field, less `reserved` words that the caller adds (mentions), so lengths stay
// the seed's. With the topic donor's text (`source`, when the donor kept its texts): that text
// retold at 0.8-1.25 times its length, absent where it is absent. Without: a walk along the
// field's chain with a length drawn from the field's lengths (0: absent).
std::string text(const SeedModel& m, TextKind kind, Rng& rng, double novel_rate,
                 const std::string* source, std::size_t reserved = 0) {
    const WordChain& chain = m.chain(kind);
    std::size_t n = 0;
    if (source != nullptr) {
        n = static_cast<std::size_t>(
            std::llround(static_cast<double>(word_count(*source)) * (0.8 + 0.45 * rng.unit())));
    } else {
        n = chain.sample_length(rng);
    }
    if (n == 0) return {};
    n = n > reserved ? n - reserved : 1;
    return source != nullptr ? chain.retell(rng, m.vocabulary(), *source, n, novel_rate)
                             : chain.generate(rng, m.vocabulary(), n, novel_rate);
}

// Puts `phrase` after a random word of `text` (keeps a study's text about its own topic).
void mention(std::string& text, const std::string& phrase, Rng& rng) {
    if (text.empty() || phrase.empty()) return;
    std::size_t spaces = static_cast<std::size_t>(std::count(text.begin(), text.end(), ' '));
    std::size_t k = rng.below(spaces + 1);
    std::size_t pos = 0;
    while (k-- > 0) pos = text.find(' ', pos) + 1;
    text.insert(pos, phrase + " ");
}

std::string acronym(Rng& rng) {
    std::string a;
    const long n = rng.between(3, 7);
    for (long i = 0; i < n; ++i) a += static_cast<char>('A' + rng.below(26));
    return a;
}

}  // namespace

std::string synthetic_nct_id(std::uint64_t index) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "NCT8%07llu", static_cast<unsigned long long>(index + 1));
    return buf;
}

records::Study generate_study(const SeedModel& m, const GenerateOptions& o, std::uint64_t index) {
    Rng rng(o.seed, index);
    const double novel = o.novel_word_rate;
    const records::Study& design = m.donor(rng).study;
    const SeedModel::Donor topic_donor = m.donor(rng);
    const records::Study& topic = topic_donor.study;
    const records::Study& site = m.donor(rng).study;
    // the topic donor's text of a field, when it kept its texts
    const auto from = [&](const std::string& t) { return topic_donor.text ? &t : nullptr; };

    // facets, ages and dates: the design donor as a whole (its texts are replaced below), with
    // a jittered enrollment and every date moved by the same 0-18 months either way
    records::Study s = design;
    s.nct_id = synthetic_nct_id(index);
    s.org_study_id = "SYN-" + std::to_string(o.seed) + "-" + std::to_string(index + 1);
    s.secondary_ids.clear();
    s.acronym.clear();
    if (design.enrollment) {
        s.enrollment = static_cast<std::int64_t>(
            std::llround(static_cast<double>(*design.enrollment) * (0.8 + 0.45 * rng.unit())));
    }
    const long months = rng.between(-18, 18);
    for (auto date : {&records::Study::start_date, &records::Study::primary_completion_date,
                      &records::Study::completion_date, &records::Study::first_posted,
                      &records::Study::last_update_posted}) {
        s.*date = shift(s.*date, months);
    }
    if (!design.acronym.empty()) s.acronym = acronym(rng);

    // topic: conditions, keywords, MeSH, interventions, arms, outcome time frames
    for (auto list : {&records::Study::conditions, &records::Study::keywords}) {
        s.*list = topic.*list;
    }
    for (auto mesh : {&records::Study::condition_mesh, &records::Study::condition_mesh_ancestors,
                      &records::Study::intervention_mesh,
                      &records::Study::intervention_mesh_ancestors}) {
        s.*mesh = topic.*mesh;
    }
    s.interventions = topic.interventions;
    for (records::Intervention& i : s.interventions) {
        i.description = text(m, TextKind::InterventionDescription, rng, novel, from(i.description));
    }
    s.arm_groups = topic.arm_groups;
    for (records::ArmGroup& a : s.arm_groups) {
        a.description = text(m, TextKind::ArmDescription, rng, novel, from(a.description));
    }
    for (auto list : {&records::Study::primary_outcomes, &records::Study::secondary_outcomes,
                      &records::Study::other_outcomes}) {
        s.*list = topic.*list;
        for (records::Outcome& out : s.*list) {
            out.measure = text(m, TextKind::OutcomeMeasure, rng, novel, from(out.measure));
            out.description = text(m, TextKind::OutcomeDescription, rng, novel, from(out.description));
        }
    }

    // sponsor and sites
    s.lead_sponsor = site.lead_sponsor;
    s.lead_sponsor_class = site.lead_sponsor_class;
    s.collaborators = site.collaborators;
    s.locations = site.locations;

    // text, mentioning the study's own condition and intervention
    const std::string condition = s.conditions.empty() ? std::string() : s.conditions.front();
    const std::string treatment =
        s.interventions.empty() ? std::string() : s.interventions.front().name;
    const std::size_t cw = condition.empty() ? 0 : word_count(condition) + 1;
    const std::size_t tw = word_count(treatment);
    s.brief_title = text(m, TextKind::BriefTitle, rng, novel, from(topic.brief_title), cw);
    if (!condition.empty() && !s.brief_title.empty()) s.brief_title += " in " + condition;
    s.official_title =
        text(m, TextKind::OfficialTitle, rng, novel, from(topic.official_title), cw + tw);
    if (!s.official_title.empty()) {
        mention(s.official_title, treatment, rng);
        if (!condition.empty()) s.official_title += " in " + condition;
    }
    s.brief_summary = text(m, TextKind::Summary, rng, novel, from(topic.brief_summary), cw + tw);
    mention(s.brief_summary, condition, rng);
    mention(s.brief_summary, treatment, rng);
    s.detailed_description =
        text(m, TextKind::Description, rng, novel, from(topic.detailed_description), cw);
    mention(s.detailed_description, condition, rng);
    s.eligibility_criteria =
        text(m, TextKind::Eligibility, rng, novel, from(topic.eligibility_criteria), cw);
    mention(s.eligibility_criteria, condition, rng);
    if (s.brief_title.empty()) s.brief_title = "Study " + s.nct_id;
    return s;
}

}  // namespace trials::corpus
