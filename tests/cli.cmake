# Tests of the winterflow program (cli/), run by ctest. Included by
# tests/CMakeLists.txt; the cases are in tests/cli/cli_test.sh.
#   cli_bad_input     every tests/bad_input/*.yaml: validate exits 3 with the
#                     fragment of its "# expect:" line on stderr
#   cli_run_json      run --json is JSON with the headline, the system block, the
#                     stable output names (docs/results-file.md) and perspectives
#   cli_threads       --threads 1 and 2 give identical --json but "threads"
#   cli_params_doc    docs/parameters.md == `winterflow params --markdown`
#   cli_event_log     run --out F --event-log writes the event_log group, one
#                     record per event; --event-log without --out is an error
#   cli_compare_*     compare: paired differences equal the per-replicate
#                     differences (HDF5 summaries), self-compare is exactly 0,
#                     the 80-column table, every error case
#   cli_sweep_*       sweep: every error case, grid/LHS/CSV designs, threads
#                     1 vs 2 give identical files, a sweep killed (SIGKILL) or
#                     interrupted (SIGINT) and resumed equals an uninterrupted one
#   cli_init          init writes a commented scenario that validates (no
#                     warning) and starts from the reference; --from CSV; errors
#   cli_validate_all  validate lists every problem at once (file:line), and the
#                     warnings: no catchment, an implausible rate, table defaults
#                     that differ from the reference; --strict
#   cli_population    admissions follow the population when no daily rate is given
#   cli_extends_replace  extends: with replace: drops a base's organisations
#   cli_metric        --metric filters run/compare tables and --json; bad names
#   cli_intervals     intervals never below 0 (t, cut at 0); differences not cut
#   cli_perspective   organisations and home councils each add up to the system
#                     (JSON and the results file's `perspective` attribute)
#   cli_queue_warning an ED queue still growing at the end: a warning in run,
#                     compare and sweep
#   cli_presets_doc   docs/presets.md == `winterflow params --presets`
#   cli_self_contained  no file points into a shared/ folder
#   cli_valgrind      no memory errors or leaks in a tiny run (not under ASan)
if(TARGET winterflow_cli)
  find_program(WF_BASH bash REQUIRED)
  set(_wf_cli_cases bad_input validate run_json threads table usage missing_file
    help params params_doc event_log compare_paired compare_table compare_errors sweep_errors
    sweep_designs sweep_threads sweep_resume sweep_sigint
    init validate_all population extends_replace metric intervals perspective queue_warning
    presets_doc self_contained)
  foreach(_wf_case ${_wf_cli_cases})
    add_test(NAME cli_${_wf_case}
      COMMAND ${WF_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli/cli_test.sh ${_wf_case}
              $<TARGET_FILE:winterflow_cli> ${CMAKE_SOURCE_DIR})
    set_tests_properties(cli_${_wf_case} PROPERTIES
      WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} TIMEOUT 120 LABELS cli)
  endforeach()

  # Valgrind and the sanitizers do not mix: only in a build without WF_SANITIZE.
  find_program(VALGRIND_EXECUTABLE valgrind)
  if(VALGRIND_EXECUTABLE AND NOT WF_SANITIZE)
    add_test(NAME cli_valgrind
      COMMAND ${WF_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli/cli_test.sh valgrind
              $<TARGET_FILE:winterflow_cli> ${CMAKE_SOURCE_DIR} ${VALGRIND_EXECUTABLE})
    set_tests_properties(cli_valgrind PROPERTIES
      WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} TIMEOUT 300 LABELS "cli;valgrind")
  endif()
endif()
