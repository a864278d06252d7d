# Compiler settings as INTERFACE targets that other targets link to; never global flags.
add_library(trials_options INTERFACE)
add_library(trials::options ALIAS trials_options)
target_compile_features(trials_options INTERFACE cxx_std_20)
target_compile_options(trials_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wimplicit-fallthrough
    $<$<BOOL:${TRIALS_WERROR}>:-Werror>)
if(TRIALS_SANITIZE)
    target_compile_options(trials_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(trials_options INTERFACE -fsanitize=address,undefined)
endif()
