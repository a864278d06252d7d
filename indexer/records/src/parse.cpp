// parse_document(): picks the reader for a raw document (declared format or sniffed content),
// rejects invalid UTF-8, and validates NCT ids. Owns InputError::to_string. Never throws for bad
// content: every problem becomes an InputError.
#include <exception>
#include <new>

#include "reader_internal.hpp"
#include "text_util.hpp"
#include "trials/records/normalize.hpp"
#include "trials/records/reader.hpp"

namespace trials::records {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string_view strip_bom(std::string_view text) {
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    return text;
}

char first_significant(std::string_view text) {
    for (const char c : text) {
        if (!detail::is_space(c)) return c;
    }
    return '\0';
}

// NDJSON rather than one JSON value: the first line is a complete object on its own ("{...}")
// and more content follows it. Pretty-printed JSON starts with a lone "{" and is not mistaken.
bool looks_like_ndjson(std::string_view text) {
    const std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return false;
    const std::string_view first = detail::trim(text.substr(0, nl));
    if (first.size() < 2 || first.front() != '{' || first.back() != '}') return false;
    return !detail::trim(text.substr(nl + 1)).empty();
}

Format sniff(std::string_view text) {
    switch (first_significant(text)) {
        case '<':
            return Format::LegacyXml;
        case '{':
            return looks_like_ndjson(text) ? Format::Ndjson : Format::Json;
        case '[':
            return Format::Json;
        default:
            return Format::Unknown;
    }
}

void add_error(ParseResult& out, const std::string& origin, std::string reason) {
    out.errors.push_back(InputError{origin, {}, std::move(reason)});
}

void parse_checked(const RawDocument& doc, ParseResult& out) {
    const std::string_view text = strip_bom(doc.bytes);
    Format format = doc.format;
    const char c = first_significant(text);
    const bool contradicts = (format == Format::Json && c == '<') ||
                             (format == Format::LegacyXml && (c == '{' || c == '['));
    if (format == Format::Unknown || contradicts ||
        (format == Format::Json && looks_like_ndjson(text))) {
        format = sniff(text);
    }
    if (format == Format::Ndjson) {  // UTF-8 is checked line by line: one bad line, one error
        detail::read_ctgov_ndjson(text, doc.origin, doc.first_line, out);
        return;
    }
    if (detail::trim(text).empty()) {
        add_error(out, doc.origin, "empty document");
        return;
    }
    if (const std::size_t bad = find_invalid_utf8(text); bad != std::string_view::npos) {
        add_error(
            out, doc.origin,
            "invalid UTF-8 at byte " + std::to_string(bad + (doc.bytes.size() - text.size())));
        return;
    }
    switch (format) {
        case Format::Json:
            detail::read_ctgov_json(text, doc.origin, out);
            return;
        case Format::LegacyXml:
            detail::read_legacy_xml(text, doc.origin, out);
            return;
        default:
            add_error(out, doc.origin, "unrecognised content (neither JSON nor XML)");
            return;
    }
}

}  // namespace

std::string InputError::to_string() const {
    std::string s = origin;
    if (!nct_id.empty()) s += (s.empty() ? "" : ": ") + nct_id;
    if (!reason.empty()) s += (s.empty() ? "" : ": ") + reason;
    return s;
}

namespace detail {

void accept_study(Study&& study, std::string origin, ParseResult& out) {
    const std::string_view id = trim(study.nct_id);
    if (id.empty()) {
        out.errors.push_back(InputError{std::move(origin), {}, "missing NCT id"});
        return;
    }
    if (!is_valid_nct_id(id)) {
        out.errors.push_back(
            InputError{std::move(origin), {}, "malformed NCT id '" + std::string(id) + "'"});
        return;
    }
    study.nct_id = std::string(id);
    out.studies.push_back(ParsedStudy{std::move(study), std::move(origin)});
}

void finish_ages(Study& study, bool has_eligibility) {
    study.minimum_age_years = parse_age_years(study.minimum_age);
    study.maximum_age_years = parse_age_years(study.maximum_age);
    if (study.std_ages.empty() && has_eligibility) {
        study.std_ages = std_ages_for(study.minimum_age_years, study.maximum_age_years);
    }
}

}  // namespace detail

ParseResult parse_document(const RawDocument& doc) {
    ParseResult out;
    try {
        parse_checked(doc, out);
    } catch (const std::bad_alloc&) {
        out.errors.push_back(InputError{doc.origin, {}, "out of memory while parsing"});
    } catch (const std::exception& e) {  // a reader bug must not stop the batch
        out.errors.push_back(
            InputError{doc.origin, {}, std::string("internal error: ") + e.what()});
    }
    return out;
}

}  // namespace trials::records
