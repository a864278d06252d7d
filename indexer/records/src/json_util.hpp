// simdjson DOM accessors shared by the API v2 and classic v1 JSON readers (private). A missing
// key or a value of the wrong type reads as empty: registry exports omit fields freely.
#pragma once

#include <simdjson.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text_util.hpp"
#include "trials/records/study.hpp"

namespace trials::records::detail {

using JsonValue = simdjson::simdjson_result<simdjson::dom::element>;

[[nodiscard]] inline std::string json_string(const JsonValue& v) {
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) return {};
    return std::string(trim(s));
}

// Long free text: trimmed, CR LF turned into LF.
[[nodiscard]] inline std::string json_text(const JsonValue& v) {
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) return {};
    return clean_text(s);
}

template <typename Fn>
void json_for_each(const JsonValue& v, Fn&& fn) {
    simdjson::dom::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) return;
    for (simdjson::dom::element e : arr) fn(JsonValue(std::move(e)));
}

[[nodiscard]] inline std::vector<std::string> json_strings(const JsonValue& v) {
    std::vector<std::string> out;
    json_for_each(v, [&](const JsonValue& e) {
        if (std::string s = json_string(e); !s.empty()) out.push_back(std::move(s));
    });
    return out;
}

// An integer given as a JSON number (API v2) or as a decimal string (classic API).
[[nodiscard]] inline std::optional<std::int64_t> json_int(const JsonValue& v) {
    std::int64_t n = 0;
    if (v.get_int64().get(n) == simdjson::SUCCESS) return n;
    double d = 0;
    if (v.get_double().get(d) == simdjson::SUCCESS && d >= -9e18 && d <= 9e18) {
        return static_cast<std::int64_t>(d);
    }
    const std::string s = json_string(v);
    if (s.empty()) return std::nullopt;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return n;
}

[[nodiscard]] inline std::optional<bool> json_bool(const JsonValue& v) {
    bool b = false;
    if (v.get_bool().get(b) == simdjson::SUCCESS) return b;
    return std::nullopt;
}

[[nodiscard]] inline bool json_has(const JsonValue& v, std::string_view key) {
    return v[key].error() == simdjson::SUCCESS;
}

// Classic API v1 mapping (ctgov_json_v1.cpp): study is the object holding "ProtocolSection".
void map_v1_study(const JsonValue& study, Study& out, bool& has_eligibility);

}  // namespace trials::records::detail
