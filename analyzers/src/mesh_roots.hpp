// The MeSH tree roots (two-level tree numbers such as C08) with their descriptor names. NLM's own
// files give these descriptors their tree numbers; files derived from the tree table often omit
// them, which would cut every ancestor chain short of its category (Lung Diseases -> Respiratory
// Tract Diseases). The loader only uses this table to fill such gaps.
#pragma once

#include <span>
#include <string_view>

namespace trials::analysis {

struct MeshRoot {
    std::string_view tree_number;
    std::string_view name;
};

[[nodiscard]] std::span<const MeshRoot> mesh_tree_roots();

}  // namespace trials::analysis
