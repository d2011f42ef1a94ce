# Results files and the Python ecosystem, under Debian's /usr/bin/python3
# with pytest, using the winterflow program (WF_CLI), in the release and the
# sanitizer builds:
#   h5_python     h5py, xarray (h5netcdf and netCDF4), h5dump and ncdump read
#                 the file; rerun; atomic writes (tests/test_h5_python.py)
#   h5_untrusted  crafted files through `run FILE#0`, a file-size limit
#                 (tests/test_h5_untrusted.py)
#   h5_mutation   a few hundred randomly damaged files, through the C API
#                 (tests/h5_mutant.c) and the CLI (tests/test_h5_mutation.py);
#                 fewer under the sanitizers, which run each process several
#                 times slower
# pytest, h5py, xarray and h5netcdf are dependencies of the tests
# (scripts/test.sh installs them): where they are missing the tests fail,
# they are not left out. Optional tools (netCDF4, ncdump, h5dump) are
# skipped if missing.
set(WF_SYSTEM_PYTHON /usr/bin/python3 CACHE FILEPATH "Python with pytest, h5py, xarray, h5netcdf")
# Sanitizer build: libhdf5's own small leaks on damaged files are not ours.
set(_wf_lsan "")
set(_wf_mutants 300)
if(WF_SANITIZE)
  set(_wf_lsan ";LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan_hdf5.supp:print_suppressions=0")
  set(_wf_mutants 60)
endif()

function(wf_h5_pytest name script timeout env)
  add_test(NAME ${name}
    COMMAND ${WF_SYSTEM_PYTHON} -m pytest -q -p no:cacheprovider ${CMAKE_CURRENT_SOURCE_DIR}/${script})
  set_tests_properties(${name} PROPERTIES
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} TIMEOUT ${timeout} LABELS "python;hdf5"
    ENVIRONMENT "WF_CLI=$<TARGET_FILE:winterflow_cli>;WF_SOURCE_DIR=${CMAKE_SOURCE_DIR}${_wf_lsan}${env}")
endfunction()

if(TARGET winterflow_cli)
  wf_h5_pytest(h5_python test_h5_python.py 300 ";WF_CLI_FAULTS=$<TARGET_FILE:winterflow_faults_cli>")
  wf_h5_pytest(h5_untrusted test_h5_untrusted.py 300 "")
  wf_h5_pytest(h5_mutation test_h5_mutation.py 600
               ";WF_MUTANT=$<TARGET_FILE:h5_mutant>;WF_MUTANTS=${_wf_mutants}")
endif()
