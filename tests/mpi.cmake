# Tests of runs spread over MPI ranks (docs/cluster.md), registered only in
# a build with MPI (WF_MPI); scripts/test.sh installs OpenMPI and builds with
# -DWF_MPI=ON, so that they always run there. The cases are in
# tests/cli/mpi_test.sh:
#   mpi_sweep    a sweep on 1, 2 and 3 ranks (and 2 ranks x 2 threads)
#                gives the file of one process, object by object (only the
#                times differ), and the same printed summary
#   mpi_compare  compare (table, --json, --out) and run --json on 1, 2 and
#                3 ranks: byte-identical output, the same file
#   mpi_kill     kill -9 one rank mid-sweep: a clear error naming it, the
#                saved chunks intact; the same command on 2 ranks finishes
#                to the file of one process
#   mpi_sigint   SIGINT to mpirun: every rank stops cleanly (interrupted,
#                nothing died); the same command finishes the sweep
#   mpi_writers  --writers 2 on 3 and 2 ranks: each part's file is one
#                process's --part k/2 file; the parts export as the whole
#                sweep; a complete part is left alone; more writers than
#                ranks is a usage error
#   mpi_writerskill  kill -9 one rank of a sweep with two writers: named,
#                and the same command on 2 ranks finishes both parts to
#                one process's files (not in the sanitizer build, below)
#   mpi_errors   one message, not one per rank; a rank that fails alone
#                (a file only rank 0 can read) is named by rank 0
#   mpi_calibrate   a calibration on 1, 2 and 3 ranks (and 2 ranks x 2
#                threads; and continued with a larger budget on 3): the
#                table, --json and file of one process
#   mpi_posterior   compare and sweep --posterior on 1, 2 and 3 ranks: the
#                output and files of one process
#   mpi_calkill, mpi_calsigint   kill -9 one rank, or SIGINT to mpirun,
#                mid-calibration: a clear error naming it (or "interrupted"),
#                the saved generations intact; the same command on 2 ranks
#                continues to the calibration of one process (not in the
#                sanitizer build, below)
if(TARGET winterflow_cli AND WF_HAVE_MPI)
  find_program(WF_BASH bash REQUIRED)
  # Open MPI runs more ranks than cores only when asked (--oversubscribe).
  execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version OUTPUT_VARIABLE _wf_mpiexec_version
    ERROR_VARIABLE _wf_mpiexec_version RESULT_VARIABLE _wf_rc)
  set(_wf_mpi_flags "")
  if(_wf_mpiexec_version MATCHES "Open MPI|OpenRTE")
    set(_wf_mpi_flags "--oversubscribe")
  endif()
  set(_wf_mpi_env "")
  if(WF_SANITIZE)
    # Open MPI's plug-ins leak at exit and are unloaded before LeakSanitizer
    # reports (their frames then have no module): full stacks reach the
    # libraries that loaded them, which the suppressions name.
    set(_wf_mpi_env "ASAN_OPTIONS=fast_unwind_on_malloc=0;LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan_mpi.supp:print_suppressions=0")
    # mpi_sigint: rank 0 gets 4 s, not 1, to finish its save after Ctrl-C
    list(APPEND _wf_mpi_env "WF_TEST_SIGINT_GRACE=4")
  endif()
  # A guard against a hang: the slowest, mpi_writers, takes about 50 s in
  # the Release build and 170 s under the sanitizers on a busy machine.
  set(_wf_mpi_timeout 300)
  if(WF_SANITIZE)
    set(_wf_mpi_timeout 600)
  endif()
  set(_wf_cases sweep compare kill sigint writers writerskill errors calibrate posterior calkill calsigint)
  if(WF_SANITIZE)
    # Stopping a calibration, or a sweep of two writers, midway takes the
    # farm's and the signal's paths that kill and sigint already take under
    # the sanitizers: not twice at four times the time.
    list(REMOVE_ITEM _wf_cases calkill calsigint writerskill)
  endif()
  foreach(_wf_case ${_wf_cases})
    add_test(NAME mpi_${_wf_case}
      COMMAND ${WF_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli/mpi_test.sh ${_wf_case}
              $<TARGET_FILE:winterflow_cli> ${CMAKE_SOURCE_DIR} ${MPIEXEC_EXECUTABLE} "${_wf_mpi_flags}")
    set_tests_properties(mpi_${_wf_case} PROPERTIES
      WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} TIMEOUT ${_wf_mpi_timeout} LABELS "cli;mpi" ENVIRONMENT "${_wf_mpi_env}")
  endforeach()
endif()
