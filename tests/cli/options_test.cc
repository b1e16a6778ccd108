// The command line's own checks, in-process: durations read as scenario files read them, counts
// with ranges and no signs, checked and budgeted writes, and scenarios isolated from each other.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cli/options.h"
#include "cli/output.h"
#include "cli/suite_run.h"
#include "closesim/base/check.h"
#include "closesim/scenario/parser.h"
#include "closesim/report/report.h"

using namespace closesim;
using namespace closesim::cli;

TEST_CASE("durations on the command line are read exactly as in scenario files") {
  CHECK(parse_duration_option("--max-time", "1.5ms") == 1'500'000);
  CHECK(parse_duration_option("--max-time", "24h") == 24 * 3600 * kSecond);
  CHECK(parse_duration_option("--max-time", "1000000s") == kMaxDuration);
  CHECK_FALSE(parse_duration_option("--max-time", "2"));         // no unit: refused, as in a file
  CHECK_FALSE(parse_duration_option("--max-time", "3000000h"));  // range error
  CHECK_FALSE(parse_duration_option("--max-time", "1.5ns"));
  CHECK_FALSE(parse_duration_option("--max-time", "-1s"));
  CHECK_FALSE(parse_duration_option("--max-time", "0"));
  CHECK_FALSE(parse_duration_option("--max-time", "10parsecs"));
}

TEST_CASE("counts take whole numbers in their range and no sign") {
  CHECK(parse_count("--seed", "18446744073709551615", 0, UINT64_MAX) == UINT64_MAX);
  CHECK(parse_count("--max-events", "7", 1, 100) == 7u);
  CHECK_FALSE(parse_count("--seed", "-1", 0, UINT64_MAX));
  CHECK_FALSE(parse_count("--seed", "18446744073709551616", 0, UINT64_MAX));
  CHECK_FALSE(parse_count("--max-events", "0", 1, 100));
  CHECK_FALSE(parse_count("--max-events", "101", 1, 100));
  CHECK_FALSE(parse_count("--max-events", "1e3", 1, 100));
  CHECK_FALSE(parse_count("--max-events", "", 1, 100));

  CommonOptions o;
  REQUIRE(to_run_options(o));
  CHECK(to_run_options(o)->max_trace_records == 200'000);
  o.max_events = "-1";
  CHECK_FALSE(to_run_options(o));
  o = CommonOptions{};
  o.seed = "-1";
  CHECK_FALSE(to_run_options(o));
  o = CommonOptions{};
  o.max_file_size = "65MiB";
  CHECK_FALSE(to_run_options(o));
  o.max_file_size = "4MiB";
  CHECK(to_run_options(o)->max_file_size == 4u << 20);
}

TEST_CASE("a failed write is exit 2, and the output budget holds") {
  Output out;
  CHECK(out.write("/dev/full", "some bytes") == 2);
  CHECK(out.write("/no/such/folder/x.txt", "x") == 2);
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("closesim_output_" + std::to_string(::getpid()))).string();
  out.set_budget(10);
  CHECK(out.write(path, "0123456789ab") == 2);  // over the budget: nothing written
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(out.write(path, "0123") == 0);
  CHECK(std::filesystem::file_size(path) == 4);
  CHECK(out.write(path, "0123456") == 2);  // 4 + 7 > 10
  std::remove(path.c_str());
}

TEST_CASE("colour marks verdicts and errors, and only when asked") {
  const std::string c = Output::colourize("PASS a\nFAIL b\nx.scn: error: y\nPASSED ERROR\n");
  CHECK(c.find("\x1b[32mPASS\x1b[0m a") != std::string::npos);
  CHECK(c.find("\x1b[31mFAIL\x1b[0m b") != std::string::npos);
  CHECK(c.find("\x1b[1;31merror:\x1b[0m") != std::string::npos);
  CHECK(c.find("PASSED") != std::string::npos);  // whole words only
  CHECK(c.find("\x1b[1;31mERROR\x1b[0m") != std::string::npos);
}

TEST_CASE("a broken invariant in one scenario is that scenario's ERROR; the suite goes on") {
  const std::string good = "title \"fine\"\n0 A.main s = socket(tcp) = ok\n0 A.main closesocket(s) = 0\n";
  RunOne one = [&](const std::string& file) -> RunResult {
    if (file == "b.scn") CLOSESIM_CHECK(file.empty() && "a deliberately broken invariant");
    if (file == "c.scn") throw std::bad_alloc();
    ParseResult p = parse_scenario(file, good);
    REQUIRE(p.ok());
    return run_scenario(p.scenario, RunOptions{});
  };
  SuiteRun suite = run_suite({"a.scn", "b.scn", "c.scn", "d.scn"}, one);
  REQUIRE(suite.results.size() == 4);
  CHECK(suite.internal_errors == 2);
  CHECK(suite.exit_status() == kExitInternal);
  CHECK(suite.results[0].verdict() == Verdict::Pass);
  CHECK(suite.results[3].verdict() == Verdict::Pass);
  REQUIRE(suite.results[1].verdict() == Verdict::Error);
  const Diagnostic& d = suite.results[1].diagnostics.at(0);
  CHECK(d.message.find("internal error") != std::string::npos);
  CHECK(d.message.find("a deliberately broken invariant") != std::string::npos);
  CHECK(d.message.find("options_test.cc:") != std::string::npos);  // where it was raised
  CHECK(suite.results[2].diagnostics.at(0).message.find("out of memory") != std::string::npos);
  // The suite's reports still name every scenario, the broken one as an error.
  const std::string junit = render_junit(suite.results);
  const std::string tap = render_tap(suite.results);
  for (const char* f : {"a.scn", "b.scn", "c.scn", "d.scn"}) {
    CHECK(junit.find(f) != std::string::npos);
    CHECK(tap.find(f) != std::string::npos);
  }
  CHECK(tap.find("not ok 2") != std::string::npos);
  CHECK(tap.find("ok 4") != std::string::npos);
}
