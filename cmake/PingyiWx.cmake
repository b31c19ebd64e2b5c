# wxWidgets as a CMake target, one setup for every GUI (CMake 3.25's FindwxWidgets has no
# target):
#
#   pingyi_wx_target(<target> COMPONENTS <wx component>...)
#
# makes the INTERFACE library <target> with wx's include directories (SYSTEM, so that our
# warnings stay errors without firing inside wx), definitions, flags and libraries for those
# components. Its property PINGYI_WX_DEFINITIONS holds wx's definitions (e.g. __WXGTK__ or
# __WXMSW__, for the toolkit). pingyi_windows_resources(... WX) finds wx's resources through
# the target pingyi_wx.
include_guard(GLOBAL)

function(pingyi_wx_target target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "COMPONENTS")
  find_package(wxWidgets 3.2 REQUIRED COMPONENTS ${arg_COMPONENTS})
  add_library(${target} INTERFACE)
  target_include_directories(${target} SYSTEM INTERFACE ${wxWidgets_INCLUDE_DIRS})
  target_compile_definitions(${target} INTERFACE ${wxWidgets_DEFINITIONS}
                             $<$<CONFIG:Debug>:${wxWidgets_DEFINITIONS_DEBUG}>)
  target_compile_options(${target} INTERFACE ${wxWidgets_CXX_FLAGS})
  target_link_libraries(${target} INTERFACE ${wxWidgets_LIBRARIES})
  set_target_properties(${target} PROPERTIES PINGYI_WX_DEFINITIONS "${wxWidgets_DEFINITIONS}")
endfunction()
