# Gettext catalogs, one pipeline for every GUI: xgettext extracts the marked
# strings into a .pot in the build tree, msgmerge merges each assets/po/<part>/<lang>.po with
# it (the source .po is not touched), and msgfmt --check compiles
# ${PINGYI_LOCALE_DIR}/<lang>/LC_MESSAGES/<domain>.mo, where wxFileTranslationsLoader finds it.
#
#   pingyi_gettext_catalog(<target> DOMAIN <domain> PO_DIR <dir> LANGUAGES <lang>...
#                          KEYWORDS <xgettext keyword>... SOURCES <file relative to the source root>...)
#
# makes <target> (built by ALL) and <target>-update-po, which merges the new strings into the
# source .po files for translators. The target's property PINGYI_MERGED_PO lists the merged
# .po files, for tests that check every string is translated.
include_guard(GLOBAL)

find_program(XGETTEXT_EXECUTABLE xgettext REQUIRED)
find_program(MSGMERGE_EXECUTABLE msgmerge REQUIRED)
find_program(MSGFMT_EXECUTABLE msgfmt REQUIRED)
set(PINGYI_LOCALE_DIR ${PROJECT_BINARY_DIR}/locale CACHE INTERNAL "Compiled gettext catalogs of the build tree")

function(pingyi_gettext_catalog target)
  cmake_parse_arguments(A "" "DOMAIN;PO_DIR" "LANGUAGES;KEYWORDS;SOURCES" ${ARGN})
  set(work ${PROJECT_BINARY_DIR}/po/${A_DOMAIN})
  set(pot ${work}/${A_DOMAIN}.pot)
  set(keywords ${A_KEYWORDS})
  list(TRANSFORM keywords PREPEND --keyword=)
  set(abs_sources ${A_SOURCES})
  list(TRANSFORM abs_sources PREPEND ${PROJECT_SOURCE_DIR}/)
  # Sources are given relative to the source root, so the references read "kiosk/x.cpp:12".
  add_custom_command(OUTPUT ${pot}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${work}
    COMMAND ${XGETTEXT_EXECUTABLE} --language=C++ ${keywords} --from-code=UTF-8 --add-comments=TRANSLATORS
            --package-name=Pingyi --package-version=${PROJECT_VERSION} --msgid-bugs-address=
            --output=${pot} ${A_SOURCES}
    DEPENDS ${abs_sources}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    COMMENT "Extracting the ${A_DOMAIN} strings"
    VERBATIM)
  set(outputs)
  set(merged_list)
  set(update_commands)
  foreach(lang IN LISTS A_LANGUAGES)
    set(po ${A_PO_DIR}/${lang}.po)
    set(merged ${work}/${lang}.po)
    set(mo ${PINGYI_LOCALE_DIR}/${lang}/LC_MESSAGES/${A_DOMAIN}.mo)
    add_custom_command(OUTPUT ${mo} ${merged}
      COMMAND ${MSGMERGE_EXECUTABLE} --quiet --no-fuzzy-matching --output-file=${merged} ${po} ${pot}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PINGYI_LOCALE_DIR}/${lang}/LC_MESSAGES
      COMMAND ${MSGFMT_EXECUTABLE} --check --output-file=${mo} ${merged}
      DEPENDS ${po} ${pot}
      COMMENT "Compiling ${A_DOMAIN} for ${lang}"
      VERBATIM)
    list(APPEND outputs ${mo})
    list(APPEND merged_list ${merged})
    list(APPEND update_commands COMMAND ${MSGMERGE_EXECUTABLE} --quiet --update --backup=none --no-fuzzy-matching
         ${po} ${pot})
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${outputs})
  set_target_properties(${target} PROPERTIES PINGYI_MERGED_PO "${merged_list}")
  add_custom_target(${target}-update-po ${update_commands} DEPENDS ${pot} VERBATIM
    COMMENT "Merging new ${A_DOMAIN} strings into ${A_PO_DIR}")
endfunction()

# The catalog of core/messages.cpp (error sentences), shared by the kiosk and the admin GUI.
function(pingyi_core_catalog)
  if(NOT TARGET pingyi_catalog_core)
    pingyi_gettext_catalog(pingyi_catalog_core DOMAIN pingyi-core PO_DIR ${PROJECT_SOURCE_DIR}/assets/po/core
      LANGUAGES zh_CN KEYWORDS N_ Ph:1
      SOURCES core/messages.cpp core/phrase.cpp core/verify.cpp core/trustee_tally.cpp admin/cli_io.cpp admin/meeting_cli.cpp
        admin/trustee_cli.cpp)
  endif()
endfunction()
