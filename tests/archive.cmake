# The static archive exports only the public API (tests/archive_symbols.sh):
# nm -g --defined-only lists exactly the functions of winterflow.h.
find_program(WF_BASH bash REQUIRED)
find_program(WF_NM NAMES ${CMAKE_NM} nm REQUIRED)
add_test(NAME static_archive_symbols
  COMMAND ${WF_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/archive_symbols.sh
          $<TARGET_FILE:winterflow_static> ${WF_NM} ${CMAKE_C_COMPILER}
          ${CMAKE_SOURCE_DIR}/include ${WF_GENERATED_INCLUDE})
