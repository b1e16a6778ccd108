// CLOSESIM_CHECK stays on whatever the build type says about NDEBUG, and a failure is an
// InternalError that names the condition and its place, so a caller can report it and go on.
#include <doctest/doctest.h>

#include <string>

#include "closesim/base/check.h"

TEST_CASE("a passing check does nothing; a failing one throws with the condition and place") {
  int evaluated = 0;
  CLOSESIM_CHECK(++evaluated == 1);
  CHECK(evaluated == 1);
  try {
    CLOSESIM_CHECK(evaluated == 2 && "counted twice");
    FAIL("the check did not fire");
  } catch (const closesim::InternalError& e) {
    CHECK(std::string(e.what()).find("evaluated == 2 && \"counted twice\"") != std::string::npos);
    CHECK(std::string(e.file()).find("check_test.cc") != std::string::npos);
    CHECK(e.line() > 0);
  }
}
