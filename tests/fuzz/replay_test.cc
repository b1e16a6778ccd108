// Every input the fuzzer ever found (fuzz/regressions/) and every bundled scenario still holds
// every property of the fuzz target's body, in every build.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz_scenario.h"
#include "../support/text.h"

namespace fs = std::filesystem;

namespace {

using closesim::support::read;

std::size_t replay(const fs::path& dir, const char* extension) {
  std::size_t n = 0;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || (extension && e.path().extension() != extension)) continue;
    if (e.path().filename() == "README.md") continue;
    CAPTURE(e.path().string());
    CHECK(closesim::fuzz::fuzz_scenario(read(e.path())) == "");
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("the regression corpus replays clean") {
  CHECK(replay(fs::path(CLOSESIM_SOURCE_DIR) / "fuzz" / "regressions", nullptr) > 0);
}

TEST_CASE("the bundled scenarios, the fuzzer's seeds, hold every property") {
  CHECK(replay(fs::path(CLOSESIM_SOURCE_DIR) / "scenarios", ".scn") > 40);
}
