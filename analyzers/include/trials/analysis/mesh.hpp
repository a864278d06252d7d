// NLM MeSH descriptors: names, entry terms and tree numbers, loaded from the formats NLM
// distributes: descriptor XML (descYYYY.xml, or gzip-compressed) and ASCII (dYYYY.bin).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trials::analysis {

class Analyzer;

struct MeshDescriptor {
    std::string ui;                         // "D012128"
    std::string name;                       // "Respiratory Distress Syndrome"
    std::vector<std::string> tree_numbers;  // "C08.381.840", ...
    std::vector<std::string> entry_terms;   // synonyms, excluding the name itself
};

class MeshThesaurus {
public:
    // Detects the format from the content (gzip magic, '<' for XML, "*NEWRECORD" for ASCII).
    // Throws trials::AnalysisError naming the file and the reason.
    static MeshThesaurus load(const std::filesystem::path& path);
    // Builds from an XML or ASCII text already in memory (tests, fuzzing).
    static MeshThesaurus parse(std::string_view content, std::string_view origin);

    MeshThesaurus();
    ~MeshThesaurus();
    MeshThesaurus(MeshThesaurus&&) noexcept;
    MeshThesaurus& operator=(MeshThesaurus&&) noexcept;

    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] const MeshDescriptor* by_ui(std::string_view ui) const;
    // Finds a descriptor by its name or any entry term, case- and punctuation-insensitively
    // ("Respiratory Distress Syndrome, Adult" -> D012128 through its entry terms).
    [[nodiscard]] const MeshDescriptor* by_term(std::string_view term) const;
    // Every ancestor descriptor through every tree number, nearest first, no duplicates, never
    // the descriptor itself.
    [[nodiscard]] std::vector<const MeshDescriptor*> ancestors(const MeshDescriptor& d) const;
    // All descriptors, in file order.
    [[nodiscard]] const std::vector<MeshDescriptor>& descriptors() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace trials::analysis
