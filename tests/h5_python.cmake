# The results file read by the Python ecosystem (h5py, xarray with h5netcdf
# and netCDF4, h5dump, ncdump): tests/test_h5_python.py under Debian's
# /usr/bin/python3 with pytest, using the winterflow program's --out.
# pytest, h5py, xarray and h5netcdf are dependencies of the tests
# (scripts/test.sh installs them): where they are missing the test fails,
# it is not left out. Optional tools (netCDF4, ncdump, h5dump) are skipped
# if missing.
set(WF_SYSTEM_PYTHON /usr/bin/python3 CACHE FILEPATH "Python with pytest, h5py, xarray, h5netcdf")
if(TARGET winterflow_cli)
  add_test(NAME h5_python
    COMMAND ${WF_SYSTEM_PYTHON} -m pytest -q -p no:cacheprovider
            ${CMAKE_CURRENT_SOURCE_DIR}/test_h5_python.py)
  set_tests_properties(h5_python PROPERTIES
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} TIMEOUT 300 LABELS "python;hdf5"
    ENVIRONMENT "WF_CLI=$<TARGET_FILE:winterflow_cli>;WF_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endif()
