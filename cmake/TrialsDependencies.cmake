# Every third-party dependency, found from Debian's packages and wrapped in imported targets.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# Xapian's CMake config only sets variables: wrap it in an imported target.
find_package(xapian 1.4 REQUIRED)
if(NOT TARGET Xapian::xapian)
    add_library(Xapian::xapian UNKNOWN IMPORTED)
    set_target_properties(Xapian::xapian PROPERTIES
        IMPORTED_LOCATION "${XAPIAN_LIBRARIES}"
        INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}")
endif()

find_package(ICU 72 REQUIRED COMPONENTS uc i18n data)
find_package(simdjson REQUIRED)
find_package(pugixml REQUIRED)
find_package(LibArchive REQUIRED)
find_package(TBB REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(ZLIB REQUIRED)
if(TRIALS_BUILD_TESTS)
    find_package(GTest REQUIRED)
    include(GoogleTest)
endif()
if(TRIALS_BUILD_BENCH)
    find_package(benchmark REQUIRED)
endif()
