// MeSH thesaurus: loading NLM's descriptor XML (plain or gzip) and ASCII dYYYY.bin, and the
// lookups by UI, by normalised name/entry term and by tree number (ancestors).
#include "trials/analysis/mesh.hpp"

#include <zlib.h>

#include <algorithm>
#include <pugixml.hpp>
#include <unordered_map>
#include <unordered_set>

#include "mesh_roots.hpp"
#include "normalizer.hpp"
#include "trials/error.hpp"

namespace trials::analysis {
namespace {

bool is_gzip(std::string_view content) {
    return content.size() >= 2 && static_cast<unsigned char>(content[0]) == 0x1F &&
           static_cast<unsigned char>(content[1]) == 0x8B;
}

// Inflates gzip content held in memory (every member of a multi-member file).
std::string gunzip(std::string_view content, std::string_view origin) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        throw AnalysisError(std::string(origin) + ": zlib initialisation failed");
    }
    std::string out;
    std::string chunk(1 << 16, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(content.data()));
    zs.avail_in = static_cast<uInt>(content.size());
    int rc = Z_OK;
    while (true) {
        zs.next_out = reinterpret_cast<Bytef*>(chunk.data());
        zs.avail_out = static_cast<uInt>(chunk.size());
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(chunk.data(), chunk.size() - zs.avail_out);
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0) break;
            inflateReset(&zs);
            continue;
        }
        if (rc != Z_OK) break;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        throw AnalysisError(std::string(origin) + ": corrupt or truncated gzip data");
    }
    return out;
}

std::string_view trim(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

void add_entry(MeshDescriptor& d, std::string_view term) {
    term = trim(term);
    if (term.empty() || term == d.name) return;
    if (std::find(d.entry_terms.begin(), d.entry_terms.end(), term) != d.entry_terms.end()) return;
    d.entry_terms.emplace_back(term);
}

std::vector<MeshDescriptor> parse_xml(std::string& buffer, std::string_view origin) {
    // An excerpt cut off before </DescriptorRecordSet> (like the published desc2015 subset) is
    // read up to the cut: pugixml keeps what it parsed. Any other XML error is fatal.
    const bool excerpt = !trim(buffer).ends_with("</DescriptorRecordSet>");
    pugi::xml_document doc;
    const pugi::xml_parse_result ok =
        doc.load_buffer_inplace(buffer.data(), buffer.size(), pugi::parse_default);
    if (!ok && !excerpt) {
        throw AnalysisError(std::string(origin) + ": XML error at byte " +
                            std::to_string(ok.offset) + ": " + ok.description());
    }
    const pugi::xml_node set = doc.child("DescriptorRecordSet");
    if (!set) throw AnalysisError(std::string(origin) + ": no DescriptorRecordSet element");
    std::vector<MeshDescriptor> out;
    std::size_t index = 0;
    for (const pugi::xml_node rec : set.children("DescriptorRecord")) {
        ++index;
        MeshDescriptor d;
        d.ui = trim(rec.child_value("DescriptorUI"));
        d.name = trim(rec.child("DescriptorName").child_value("String"));
        if (d.ui.empty() || d.name.empty()) {
            if (excerpt && !rec.next_sibling("DescriptorRecord")) break;  // cut inside it
            throw AnalysisError(std::string(origin) + ": descriptor record " +
                                std::to_string(index) + " has no DescriptorUI or name");
        }
        for (const pugi::xml_node tn : rec.child("TreeNumberList").children("TreeNumber")) {
            const std::string_view t = trim(tn.child_value());
            if (!t.empty()) d.tree_numbers.emplace_back(t);
        }
        for (const pugi::xml_node concept_node : rec.child("ConceptList").children("Concept")) {
            for (const pugi::xml_node term : concept_node.child("TermList").children("Term")) {
                add_entry(d, term.child_value("String"));
            }
        }
        out.push_back(std::move(d));
    }
    if (out.empty()) throw AnalysisError(std::string(origin) + ": no descriptor records");
    return out;
}

// NLM's ASCII format: "*NEWRECORD" lines start records of "KEY = value" lines.
std::vector<MeshDescriptor> parse_ascii(std::string_view content, std::string_view origin) {
    std::vector<MeshDescriptor> out;
    MeshDescriptor current;
    bool open = false;
    std::size_t line_no = 0;
    std::size_t record_line = 0;
    const auto finish = [&]() {
        if (!open) return;
        if (current.ui.empty() || current.name.empty()) {
            throw AnalysisError(std::string(origin) + ":" + std::to_string(record_line) +
                                ": record has no UI or MH");
        }
        std::vector<std::string> entries;
        entries.swap(current.entry_terms);
        for (const std::string& e : entries) add_entry(current, e);
        out.push_back(std::move(current));
        current = MeshDescriptor{};
    };
    std::size_t from = 0;
    while (from < content.size()) {
        std::size_t nl = content.find('\n', from);
        if (nl == std::string_view::npos) nl = content.size();
        const std::string_view line = trim(content.substr(from, nl - from));
        from = nl + 1;
        ++line_no;
        if (line.empty()) continue;
        if (line == "*NEWRECORD") {
            finish();
            open = true;
            record_line = line_no;
            continue;
        }
        const std::size_t eq = line.find(" = ");
        if (!open || eq == std::string_view::npos) continue;
        const std::string_view key = trim(line.substr(0, eq));
        const std::string_view value = trim(line.substr(eq + 3));
        if (key == "UI") {
            current.ui = value;
        } else if (key == "MH") {
            current.name = value;
        } else if (key == "MN") {
            current.tree_numbers.emplace_back(value);
        } else if (key == "ENTRY" || key == "PRINT ENTRY") {
            current.entry_terms.emplace_back(trim(value.substr(0, value.find('|'))));
        }
    }
    finish();
    return out;
}

std::vector<MeshDescriptor> parse_any(std::string& content, std::string_view origin) {
    if (is_gzip(content)) {
        std::string inflated = gunzip(content, origin);
        return parse_any(inflated, origin);
    }
    std::string_view body = content;
    if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
    body = trim(body);
    if (body.starts_with("<")) return parse_xml(content, origin);
    if (body.starts_with("*NEWRECORD")) return parse_ascii(body, origin);
    throw AnalysisError(std::string(origin) +
                        ": not a MeSH descriptor file (expected XML, ASCII or gzip)");
}

}  // namespace

struct MeshThesaurus::Impl {
    std::vector<MeshDescriptor> descriptors;
    std::unordered_map<std::string, std::uint32_t> by_ui;
    std::unordered_map<std::string, std::uint32_t> by_tree;
    std::unordered_map<std::string, std::uint32_t> by_key;       // "syndrome adult"
    std::unordered_map<std::string, std::uint32_t> by_squashed;  // "syndromeadult"
    Normalizer normalizer;

    static std::string squash(std::string key) {
        std::erase(key, ' ');
        return key;
    }

    void add_term(std::string_view term, std::uint32_t index) {
        std::string key = normalizer.key(term);
        if (key.empty()) return;
        by_squashed.emplace(squash(key), index);
        by_key.emplace(std::move(key), index);
    }

    // Names first so that a name always wins over another descriptor's entry term.
    void build_indexes() {
        by_ui.reserve(descriptors.size());
        for (std::uint32_t i = 0; i < descriptors.size(); ++i) {
            const MeshDescriptor& d = descriptors[i];
            by_ui.emplace(d.ui, i);
            for (const std::string& t : d.tree_numbers) by_tree.emplace(t, i);
            add_term(d.name, i);
        }
        fill_missing_roots();
        for (std::uint32_t i = 0; i < descriptors.size(); ++i) {
            for (const std::string& e : descriptors[i].entry_terms) add_term(e, i);
        }
    }

    // A root tree number (C08) used as a prefix but held by no descriptor goes to the descriptor
    // of that root's name when it has no tree numbers of its own (files derived from the tree
    // table drop the roots).
    void fill_missing_roots() {
        std::unordered_map<std::string_view, std::uint32_t> by_name;
        for (std::uint32_t i = 0; i < descriptors.size(); ++i) {
            if (descriptors[i].tree_numbers.empty()) by_name.emplace(descriptors[i].name, i);
        }
        if (by_name.empty()) return;
        for (const MeshRoot& root : mesh_tree_roots()) {
            const std::string tree(root.tree_number);
            if (by_tree.contains(tree)) continue;
            const auto it = by_name.find(root.name);
            if (it == by_name.end()) continue;
            descriptors[it->second].tree_numbers.push_back(tree);
            by_tree.emplace(tree, it->second);
        }
    }

    [[nodiscard]] const MeshDescriptor* find_key(const std::string& key) const {
        if (key.empty()) return nullptr;
        if (const auto it = by_key.find(key); it != by_key.end()) return &descriptors[it->second];
        if (const auto it = by_squashed.find(squash(key)); it != by_squashed.end()) {
            return &descriptors[it->second];
        }
        return nullptr;
    }
};

MeshThesaurus::MeshThesaurus() : impl_(std::make_unique<Impl>()) {}
MeshThesaurus::~MeshThesaurus() = default;
MeshThesaurus::MeshThesaurus(MeshThesaurus&&) noexcept = default;
MeshThesaurus& MeshThesaurus::operator=(MeshThesaurus&&) noexcept = default;

MeshThesaurus MeshThesaurus::load(const std::filesystem::path& path) {
    // gzread reads gzip and plain files alike, streaming.
    gzFile file = gzopen(path.c_str(), "rb");
    if (file == nullptr) throw AnalysisError("cannot open MeSH file " + path.string());
    gzbuffer(file, 1U << 17);
    std::string content;
    std::string chunk(1 << 20, '\0');
    int n = 0;
    while ((n = gzread(file, chunk.data(), static_cast<unsigned>(chunk.size()))) > 0) {
        content.append(chunk.data(), static_cast<std::size_t>(n));
    }
    int err = Z_OK;
    const std::string message = n < 0 ? gzerror(file, &err) : "";
    gzclose(file);
    if (n < 0) throw AnalysisError("reading MeSH file " + path.string() + ": " + message);
    MeshThesaurus out;
    out.impl_->descriptors = parse_any(content, path.string());
    out.impl_->build_indexes();
    return out;
}

MeshThesaurus MeshThesaurus::parse(std::string_view content, std::string_view origin) {
    std::string copy(content);
    MeshThesaurus out;
    out.impl_->descriptors = parse_any(copy, origin);
    out.impl_->build_indexes();
    return out;
}

std::size_t MeshThesaurus::size() const { return impl_->descriptors.size(); }

const MeshDescriptor* MeshThesaurus::by_ui(std::string_view ui) const {
    const auto it = impl_->by_ui.find(std::string(trim(ui)));
    return it == impl_->by_ui.end() ? nullptr : &impl_->descriptors[it->second];
}

const MeshDescriptor* MeshThesaurus::by_term(std::string_view term) const {
    if (const MeshDescriptor* d = impl_->find_key(impl_->normalizer.key(term))) return d;
    // An inverted heading missing from the entry terms: "Lung Neoplasms, Small" -> "Small ...".
    const std::size_t comma = term.find(',');
    if (comma == std::string_view::npos || term.find(',', comma + 1) != std::string_view::npos) {
        return nullptr;
    }
    const std::string swapped =
        std::string(term.substr(comma + 1)) + ' ' + std::string(term.substr(0, comma));
    return impl_->find_key(impl_->normalizer.key(swapped));
}

std::vector<const MeshDescriptor*> MeshThesaurus::ancestors(const MeshDescriptor& d) const {
    std::vector<std::pair<std::size_t, std::uint32_t>> found;  // (distance, descriptor)
    for (const std::string& tree : d.tree_numbers) {
        std::string t = tree;
        std::size_t distance = 0;
        for (std::size_t dot = t.rfind('.'); dot != std::string::npos; dot = t.rfind('.')) {
            t.resize(dot);
            ++distance;
            if (const auto it = impl_->by_tree.find(t); it != impl_->by_tree.end()) {
                found.emplace_back(distance, it->second);
            }
        }
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<const MeshDescriptor*> out;
    std::unordered_set<std::uint32_t> seen;
    for (const auto& [distance, index] : found) {
        const MeshDescriptor* a = &impl_->descriptors[index];
        if (a != &d && a->ui != d.ui && seen.insert(index).second) out.push_back(a);
    }
    return out;
}

const std::vector<MeshDescriptor>& MeshThesaurus::descriptors() const { return impl_->descriptors; }

}  // namespace trials::analysis
