# pmo_add_gtest(NAME <name> SOURCES <files> [LIBS <targets>] LABELS <unit|integration|e2e|bench>
#               [TIMEOUT <seconds>] [RUN_SERIAL])
#
# One GoogleTest executable registered with ctest under the given labels. Integration
# tests start their own redis-server and pmo-devbroker; RUN_SERIAL keeps the heavy
# ones from competing for the machine's two cores.
function(pmo_add_gtest)
  cmake_parse_arguments(T "RUN_SERIAL" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gmock GTest::gtest GTest::gtest_main)
  target_compile_options(${T_NAME} PRIVATE ${PMO_WARNINGS})
  # Header-only helpers (status matchers) every test may use.
  target_include_directories(${T_NAME} PRIVATE ${CMAKE_SOURCE_DIR}/tests/support)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} --gtest_color=no)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT})
  if(T_RUN_SERIAL)
    set_tests_properties(${T_NAME} PROPERTIES RUN_SERIAL TRUE)
  endif()
endfunction()
