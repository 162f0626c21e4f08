# Interface targets carrying warning and sanitizer flags, linked by every target
# of the project (never exported to users of the library).
add_library(callsight_warnings INTERFACE)
target_compile_options(callsight_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual)
if(CALLSIGHT_WERROR)
  target_compile_options(callsight_warnings INTERFACE -Werror)
endif()

add_library(callsight_sanitizers INTERFACE)
if(CALLSIGHT_SANITIZE)
  target_compile_options(callsight_sanitizers INTERFACE -fsanitize=address,undefined
                         -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(callsight_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
