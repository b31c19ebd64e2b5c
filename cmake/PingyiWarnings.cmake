# Warnings are errors from the first commit; hardening flags on.
function(pingyi_target_defaults target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /WX /utf-8 /permissive-)
  else()
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion -Wno-sign-conversion
      -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
      -Wimplicit-fallthrough -Wformat=2)
    if(NOT CMAKE_BUILD_TYPE STREQUAL "Debug" AND NOT PINGYI_FUZZ)
      target_compile_definitions(${target} PRIVATE _FORTIFY_SOURCE=2)
    endif()
    target_compile_options(${target} PRIVATE -fstack-protector-strong)
    if(NOT WIN32)
      target_compile_options(${target} PRIVATE -fPIE)
    endif()
  endif()
endfunction()
