# Writes version.cpp with the project version and the git revision of the
# source tree. Run as a script at every build (cmake -P), so --version names
# the commit that was built, not the one CMake was configured at:
#   cmake -DSOURCE_DIR=... -DINPUT=version.cpp.in -DOUTPUT=version.cpp
#         -DPROJECT_VERSION=0.1.0 [-DREVISION=abc123] -P GitRevision.cmake
# REVISION (from -DCALLSIGHT_GIT_REVISION) wins: builds from a release tarball
# can name their revision. Outside a git checkout, a tarball made by
# `git archive` has its commit in cmake/archive-revision.txt (export-subst in
# .gitattributes); anything else: "unknown".
# configure_file only rewrites OUTPUT when its text changes, so an unchanged
# revision recompiles nothing.
if(REVISION)
  set(CALLSIGHT_GIT_REVISION "${REVISION}")
else()
  set(CALLSIGHT_GIT_REVISION "unknown")
  find_program(GIT_EXECUTABLE git)
  if(GIT_EXECUTABLE)
    # Only this tree's own repository: a tarball unpacked inside some other
    # checkout must not report that checkout's commit.
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --show-toplevel
                    WORKING_DIRECTORY ${SOURCE_DIR}
                    OUTPUT_VARIABLE _top OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE _top_rc ERROR_QUIET)
    get_filename_component(_source "${SOURCE_DIR}" REALPATH)
    if(_top_rc EQUAL 0)
      get_filename_component(_top "${_top}" REALPATH)
    endif()
    if(_top_rc EQUAL 0 AND _top STREQUAL _source)
      execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
                      WORKING_DIRECTORY ${SOURCE_DIR}
                      OUTPUT_VARIABLE _rev OUTPUT_STRIP_TRAILING_WHITESPACE
                      RESULT_VARIABLE _rev_rc ERROR_QUIET)
      if(_rev_rc EQUAL 0 AND _rev)
        set(CALLSIGHT_GIT_REVISION "${_rev}")
      endif()
    endif()
  endif()
endif()
if(CALLSIGHT_GIT_REVISION STREQUAL "unknown" AND EXISTS ${SOURCE_DIR}/cmake/archive-revision.txt)
  # In a checkout the file still says $Format:%H$; only a hash counts.
  file(STRINGS ${SOURCE_DIR}/cmake/archive-revision.txt _archived LIMIT_COUNT 1
       REGEX "^[0-9a-f]+$")
  string(LENGTH "${_archived}" _archived_length)
  if(_archived_length GREATER_EQUAL 12)
    string(SUBSTRING "${_archived}" 0 12 CALLSIGHT_GIT_REVISION)
  endif()
endif()
configure_file(${INPUT} ${OUTPUT} @ONLY)
if(PRINT)
  message("${CALLSIGHT_GIT_REVISION}")
endif()
