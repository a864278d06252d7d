// libFuzzer target: the record readers (parse_document) on any bytes: API v2 / v1 JSON, NDJSON,
// legacy XML, or sniffed content. Bad input must come back as
// ParseResult::errors, never as a crash, an exception or a sanitizer report. Built twice, as
// fuzz_json_reader and fuzz_xml_reader (TRIALS_FUZZ_FORMAT fixes the format).
#include <cstddef>
#include <cstdint>
#include <string>

#include "trials/records/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using trials::records::Format;
    // A leading 0x01 byte switches to the second format (and is not part of the document).
    const bool second = size > 0 && data[0] == 1;
    const std::string bytes(reinterpret_cast<const char*>(data) + (second ? 1 : 0),
                            size - (second ? 1 : 0));
#if TRIALS_FUZZ_FORMAT == 1  // JSON: whole documents, or NDJSON chunks
    const Format format = second ? Format::Ndjson : Format::Json;
#else  // legacy XML, or content sniffing
    const Format format = second ? Format::Unknown : Format::LegacyXml;
#endif
    const auto result =
        trials::records::parse_document(trials::records::RawDocument{"fuzz", bytes, format, 1});
    for (const auto& s : result.studies) {
        if (s.study.nct_id.size() != 11) __builtin_trap();  // only valid NCT ids come out
    }
    for (const auto& e : result.errors) {
        if (e.reason.empty()) __builtin_trap();  // every rejection says why
    }
    return 0;
}
