# The winterflow program linked against libwinterflow_faults (the library
# with tests/fault_inject.c): tests/test_h5_python.py makes its writes fail
# or die through WF_TEST_* variables. Built only with the tests; never
# installed.
if(TARGET winterflow_cli)
  file(GLOB _wf_cli_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/cli/*.c)
  add_executable(winterflow_faults_cli ${_wf_cli_sources})
  find_package(Threads REQUIRED)
  target_link_libraries(winterflow_faults_cli PRIVATE winterflow_faults ${WF_CLI_FORMAT_LIBS} Threads::Threads m)
  target_include_directories(winterflow_faults_cli PRIVATE ${CMAKE_SOURCE_DIR}/cli ${CMAKE_SOURCE_DIR}/include ${WF_GENERATED_INCLUDE})
  set_target_properties(winterflow_faults_cli PROPERTIES OUTPUT_NAME winterflow_faults
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/faults)
endif()

# A full filesystem (a small tmpfs: root only, else skipped with 77) under
# run --out, --force and a sweep's append: tests/full_disk.sh.
if(TARGET winterflow_cli)
  find_program(WF_BASH bash REQUIRED)
  add_test(NAME results_full_disk
    COMMAND ${WF_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/full_disk.sh $<TARGET_FILE:winterflow_cli>
            ${CMAKE_CURRENT_SOURCE_DIR}/cli/tiny.yaml)
  set_tests_properties(results_full_disk PROPERTIES
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} TIMEOUT 120 SKIP_RETURN_CODE 77 LABELS "cli;hdf5")
endif()

# The fault table of docs/faults.md (tests/faults.sh): a second writer, a
# read-only folder, the output folder removed mid-run, allocations that
# fail, SIGTERM mid-sweep, Ctrl-C on a run of hours. (Disk full: the test
# results_full_disk in tests/CMakeLists.txt.)
if(TARGET winterflow_cli AND TARGET winterflow_faults_cli)
  find_program(WF_BASH bash REQUIRED)
  foreach(_wf_case two_writers readonly_folder folder_removed alloc_limit sigterm_sweep ctrl_c)
    add_test(NAME faults_${_wf_case}
      COMMAND ${WF_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/faults.sh ${_wf_case} $<TARGET_FILE:winterflow_cli>
              $<TARGET_FILE:winterflow_faults_cli> ${CMAKE_SOURCE_DIR})
    set_tests_properties(faults_${_wf_case} PROPERTIES
      WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} TIMEOUT 300 SKIP_RETURN_CODE 77 LABELS "cli;faults")
  endforeach()
endif()
