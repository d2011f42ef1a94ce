# Install the build to a temporary prefix, then build and run the C example
# (docs/examples/c) against it with find_package(winterflow) (shared and
# static) and with pkg-config (shared and static). See tests/cli/install.sh.
find_program(WF_BASH bash REQUIRED)
set(_wf_install_cflags "")
if(WF_SANITIZE)
  # The installed library is instrumented: the example must be too.
  set(_wf_install_cflags "-fsanitize=address,undefined -fno-omit-frame-pointer")
endif()
add_test(NAME install_example
  COMMAND ${WF_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli/install.sh
          ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR} ${CMAKE_COMMAND} ${CMAKE_C_COMPILER}
          "${_wf_install_cflags}")
set_tests_properties(install_example PROPERTIES TIMEOUT 600 LABELS install)
