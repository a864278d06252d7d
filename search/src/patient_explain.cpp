// Why a trial ranks where it does for a patient note (trials-search --patient ... --explain NCT).
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "patient_rank.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"

namespace trials::search {
namespace {

double weight_in(Xapian::Database& db, const Xapian::Weight& w, const Xapian::Query& q,
                 const Xapian::Query& only) {
    Xapian::Enquire e(db);
    e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, only));
    e.set_weighting_scheme(w);
    const Xapian::MSet m = e.get_mset(0, 1);
    return m.empty() ? 0.0 : m.begin().get_weight();
}

}  // namespace

PatientExplanation PatientSearch::explain(const PatientRequest& request,
                                          std::string_view nct_id) const {
    PatientExplanation x;
    x.nct_id = std::string(nct_id);
    try {
        Xapian::Database& db = searcher_.database();
        const std::string id_term = std::string(analysis::kIdPrefix) + x.nct_id;
        x.in_database = db.term_exists(id_term);
        const detail::PatientEngine engine(searcher_, options_);
        const auto ranking = engine.rank(request, std::max<std::size_t>(options_.rerank_depth,
                                                                        request.offset +
                                                                            request.limit));
        x.profile = ranking.profile;
        x.feedback_terms = ranking.feedback_terms;
        for (std::size_t i = 0; i < ranking.docs.size(); ++i) {
            if (ranking.docs[i].nct_id == x.nct_id) x.rank = i + 1;
        }
        if (!x.in_database) return x;
        PatientRequest one = request;
        one.only_ids = {x.nct_id};
        const auto r = engine.rank(one, 1);
        if (r.docs.empty()) {
            // Not matched: still show why it would be demoted.
            Xapian::PostingIterator p = db.postlist_begin(id_term);
            const Xapian::Document doc = db.get_document(*p);
            x.data = nlohmann::json::parse(doc.get_data(), nullptr, false);
            return x;
        }
        const auto& d = r.docs.front();
        x.matches = true;
        x.base_score = d.base;
        x.score = d.score;
        x.adjustments = d.adjustments;
        x.data = d.data;
        const Xapian::Query only(id_term);
        for (const auto& part : r.parts) {
            x.parts.emplace_back(part.label, weight_in(db, engine.weighting(), part.query, only));
        }
        Xapian::Enquire e(db);
        e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, r.query, only));
        const Xapian::MSet m = e.get_mset(0, 1);
        for (auto t = e.get_matching_terms_begin(m.begin()); t != e.get_matching_terms_end(m.begin());
             ++t) {
            x.top_terms.emplace_back(*t, weight_in(db, engine.weighting(), Xapian::Query(*t), only));
        }
        std::stable_sort(x.top_terms.begin(), x.top_terms.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        if (x.top_terms.size() > 15) x.top_terms.resize(15);
    } catch (const Xapian::Error& e) {
        analysis::rethrow_xapian(e, "patient explain");
    }
    return x;
}

void print_patient_explanation(std::ostream& out, const PatientExplanation& e) {
    out << detail::describe_profile(e.profile) << "\n";
    if (!e.feedback_terms.empty()) {
        out << "feedback terms:";
        for (const auto& t : e.feedback_terms) out << ' ' << t;
        out << "\n";
    }
    if (!e.in_database) {
        out << e.nct_id << ": not in the database\n";
        return;
    }
    out << fmt::format("{} {}\n", e.nct_id, e.data.value("title", std::string()));
    if (!e.matches) {
        out << "does not match the note (no word, field or concept in common)\n";
        return;
    }
    out << fmt::format("rank {}, score {:.4f} = base {:.4f} x {:.3g}\n",
                       e.rank == 0 ? std::string("beyond the re-ranked depth")
                                   : std::to_string(e.rank),
                       e.score, e.base_score, e.base_score > 0 ? e.score / e.base_score : 1.0);
    out << "query parts (score of each on its own):\n";
    for (const auto& [label, w] : e.parts) out << fmt::format("  {:8.4f}  {}\n", w, label);
    out << "matched terms (unscaled BM25 weight, highest first):\n";
    for (const auto& [t, w] : e.top_terms) out << fmt::format("  {:8.4f}  {}\n", w, t);
    if (e.adjustments.empty()) {
        out << "eligibility: nothing demotes it (age, sex and exclusion criteria allow the patient)\n";
    }
    for (const auto& a : e.adjustments) out << "demoted: " << a << "\n";
}

nlohmann::json profile_to_json(const PatientProfile& p) {
    nlohmann::json j;
    j["age_years"] = p.age_years ? nlohmann::json(*p.age_years) : nlohmann::json(nullptr);
    j["age_text"] = p.age_text;
    j["sex"] = p.sex == PatientSex::Female ? "female"
               : p.sex == PatientSex::Male ? "male"
                                           : "unknown";
    j["concepts"] = nlohmann::json::array();
    for (const auto& c : p.concepts) {
        nlohmann::json cj{{"text", c.text},       {"key", c.key},       {"mesh", c.mesh_terms},
                          {"negated", c.negated}, {"family", c.family}};
        if (!c.expands.empty()) cj["expands"] = c.expands;
        j["concepts"].push_back(std::move(cj));
    }
    j["about_relatives"] = about_relatives(p);
    return j;
}

nlohmann::json patient_explanation_to_json(const PatientExplanation& e) {
    nlohmann::json j{{"nct_id", e.nct_id},
                     {"in_database", e.in_database},
                     {"matches", e.matches},
                     {"rank", e.rank},
                     {"base_score", e.base_score},
                     {"score", e.score},
                     {"adjustments", e.adjustments},
                     {"feedback_terms", e.feedback_terms},
                     {"patient", profile_to_json(e.profile)}};
    j["title"] = e.data.is_object() ? e.data.value("title", std::string()) : std::string();
    j["parts"] = nlohmann::json::array();
    for (const auto& [label, w] : e.parts) j["parts"].push_back({{"part", label}, {"weight", w}});
    j["terms"] = nlohmann::json::array();
    for (const auto& [t, w] : e.top_terms) j["terms"].push_back({{"term", t}, {"weight", w}});
    return j;
}

}  // namespace trials::search
