# Tests of `winterflow calibrate` and of --posterior (tests/cli/calibrate_test.sh):
#   cli_calibrate_json       --json has the documented shape; the table's parts
#   cli_calibrate_errors     every usage, data and file error, with its exit code
#   cli_calibrate_resume     stopped by SIGINT and continued = run through; a
#                            larger --budget continues a finished calibration
#   cli_calibrate_posterior  compare and sweep --posterior record each
#                            replicate's draw, the same in both files
if(TARGET winterflow_cli)
  find_program(WF_BASH bash REQUIRED)
  foreach(_wf_case calibrate_json calibrate_errors calibrate_resume calibrate_posterior)
    add_test(NAME cli_${_wf_case}
      COMMAND ${WF_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli/calibrate_test.sh ${_wf_case}
              $<TARGET_FILE:winterflow_cli> ${CMAKE_SOURCE_DIR})
    set_tests_properties(cli_${_wf_case} PROPERTIES
      WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} TIMEOUT 300 LABELS "cli;calibrate")
  endforeach()
endif()
