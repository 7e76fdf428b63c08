# copy-model.cmake - put a fetched model beside the built program.
#
# Run at build time (cmake -DFROM=... -DTO=... -P copy-model.cmake), not at
# configure time, so that a model fetched after `cmake -S . -B build` is
# used by the next `cmake --build build`.  A model not fetched yet is left
# out: the program then says which file is missing and falls back.
if(NOT DEFINED FROM OR NOT DEFINED TO)
	message(FATAL_ERROR "usage: cmake -DFROM=model -DTO=copy -P copy-model.cmake")
endif()
if(EXISTS "${FROM}")
	execute_process(COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${FROM}" "${TO}"
		RESULT_VARIABLE rc)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "cannot copy '${FROM}' to '${TO}'")
	endif()
endif()
