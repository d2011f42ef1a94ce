# The winterflow program linked against libwinterflow_faults (the library
# with tests/fault_inject.c): tests/test_h5_python.py makes its writes fail
# or die through WF_TEST_* variables. Built only with the tests; never
# installed.
if(TARGET winterflow_cli)
  file(GLOB _wf_cli_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/cli/*.c)
  add_executable(winterflow_faults_cli ${_wf_cli_sources})
  find_package(Threads REQUIRED)
  target_link_libraries(winterflow_faults_cli PRIVATE winterflow_faults Threads::Threads m)
  target_include_directories(winterflow_faults_cli PRIVATE ${CMAKE_SOURCE_DIR}/cli ${CMAKE_SOURCE_DIR}/include)
  set_target_properties(winterflow_faults_cli PROPERTIES OUTPUT_NAME winterflow_faults
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/faults)
endif()
