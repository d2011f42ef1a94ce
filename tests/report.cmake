# winterflow report and export, end to end (tests/test_report_export.py):
# the page in headless Chromium (no console errors, its charts, a screenshot
# that is not blank), the workbook and CSV files read back and compared with
# run --json and the file's daily series. chromium, python3-pil,
# python3-openpyxl and python3-h5py are dependencies of the tests
# (scripts/test.sh installs them): missing, the test fails.
if(TARGET winterflow_cli)
  set(_wf_report_env "WF_CLI=$<TARGET_FILE:winterflow_cli>;WF_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
  if(WF_SANITIZE)
    string(APPEND _wf_report_env ";LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan_hdf5.supp:print_suppressions=0")
  endif()
  add_test(NAME report_export
    COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider ${CMAKE_CURRENT_SOURCE_DIR}/test_report_export.py)
  set_tests_properties(report_export PROPERTIES
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} TIMEOUT 300 LABELS "cli;report"
    ENVIRONMENT "${_wf_report_env}")
endif()
