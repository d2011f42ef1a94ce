# Tests of the Python bindings (python-bindings/), run by ctest with the
# system interpreter /usr/bin/python3 and Debian's packages (python3-numpy,
# -pandas, -xarray, -matplotlib, -cffi, -yaml, -pytest, -nbclient, -nbformat,
# -ipykernel; -h5netcdf for results files). The package loads the library
# just built through WINTERFLOW_LIBRARY and compares with the CLI through
# WINTERFLOW_CLI. Not under the sanitizers: an ASan library cannot be
# dlopen()ed into an uninstrumented interpreter.
set(WF_PYTHON /usr/bin/python3 CACHE FILEPATH "Interpreter for the Python binding tests")
# The calibration's tests (calibrations, its notebook) are a test of their
# own, python_calibrate, so that the two run side by side under -j2. The
# time limit guards against a hang: on an idle machine each takes under a
# minute, on a shared one (load 12 on 2 cores) python_bindings took over 300 s.
if(TARGET winterflow_cli AND NOT WF_SANITIZE AND EXISTS ${WF_PYTHON})
  set(_wf_py ${CMAKE_SOURCE_DIR}/python-bindings/tests)
  set(_wf_py_calibrate ${_wf_py}/test_calibrate.py ${_wf_py}/test_reference_posterior.py
      ${_wf_py}/test_notebook.py::test_calibrate_executes)
  add_test(NAME python_bindings
    COMMAND ${WF_PYTHON} -m pytest -q -p no:cacheprovider ${_wf_py}
            --ignore=${_wf_py}/test_calibrate.py --ignore=${_wf_py}/test_reference_posterior.py
            -k "not test_calibrate_executes")
  add_test(NAME python_calibrate
    COMMAND ${WF_PYTHON} -m pytest -q -p no:cacheprovider ${_wf_py_calibrate})
  set_tests_properties(python_bindings python_calibrate PROPERTIES
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    ENVIRONMENT "WINTERFLOW_LIBRARY=$<TARGET_FILE:winterflow>;WINTERFLOW_CLI=$<TARGET_FILE:winterflow_cli>;MPLBACKEND=Agg;PYTHONDONTWRITEBYTECODE=1"
    TIMEOUT 600 LABELS python)
  # pip install --no-build-isolation --no-deps --no-index ./python-bindings
  # (python-bindings/README.md) into a venv of the system interpreter
  find_program(WF_BASH_PY bash REQUIRED)
  add_test(NAME python_install
    COMMAND ${WF_BASH_PY} ${CMAKE_SOURCE_DIR}/tests/python_install.sh ${CMAKE_SOURCE_DIR}
            $<TARGET_FILE:winterflow> ${WF_PYTHON})
  set_tests_properties(python_install PROPERTIES TIMEOUT 300 LABELS python)
endif()
