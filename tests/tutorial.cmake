# docs/tutorial.md, run as written (tests/tutorial.sh): every ```sh block,
# and in a build without sanitizers (an ASan library cannot be loaded into
# the uninstrumented interpreter, as for tests/python.cmake) every ```python
# block too. The walk uses 4 replicates a run: about 15 s in Release.
if(TARGET winterflow_cli)
  find_program(WF_BASH_TUTORIAL bash REQUIRED)
  set(_wf_tutorial_args $<TARGET_FILE:winterflow_cli> ${CMAKE_SOURCE_DIR})
  set(_wf_tutorial_env "MPLBACKEND=Agg;PYTHONDONTWRITEBYTECODE=1")
  if(WF_SANITIZE)
    string(APPEND _wf_tutorial_env ";LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan_hdf5.supp:print_suppressions=0")
  else()
    list(APPEND _wf_tutorial_args $<TARGET_FILE:winterflow>)
  endif()
  add_test(NAME tutorial COMMAND ${WF_BASH_TUTORIAL} ${CMAKE_CURRENT_SOURCE_DIR}/tutorial.sh ${_wf_tutorial_args})
  set_tests_properties(tutorial PROPERTIES TIMEOUT 300 LABELS "cli;docs" ENVIRONMENT "${_wf_tutorial_env}")
endif()
