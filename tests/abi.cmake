# ABI: tests/abi/abi_v1.c is compiled against a frozen copy of an earlier
# build's header (tests/abi/winterflow_v1.h, never include/) and run against
# this build's shared library, as a program built before an upgrade would.
add_executable(abi_v1 ${CMAKE_CURRENT_SOURCE_DIR}/abi/abi_v1.c)
target_include_directories(abi_v1 PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/abi)
# the library only: winterflow's include directories must not leak in
target_link_libraries(abi_v1 PRIVATE $<TARGET_FILE:winterflow>)
add_dependencies(abi_v1 winterflow)
set_target_properties(abi_v1 PROPERTIES BUILD_RPATH $<TARGET_FILE_DIR:winterflow>)
add_test(NAME abi_v1 COMMAND abi_v1 ${CMAKE_SOURCE_DIR}/tests/cli/tiny.yaml
  ${CMAKE_CURRENT_BINARY_DIR}/abi_v1.h5)
