// Every quantity of the language has a documented range (README, "Limits"), and a value beyond
// it is a located error with a hint, never an overflow: the inputs that once aborted the run.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "closesim/scenario/parser.h"
#include "scenario/quantity.h"
#include "parse_fixture.h"

using namespace closesim;

namespace {

const char* kPrelude =
    "0 A.main s = socket(tcp) = ok\n"
    "0 A.main e = WSACreateEvent() = ok\n"
    "0 A.main p = CreateIoCompletionPort(s, 1) = ok\n";

using closesim::support::only_error;

std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() /
          (std::string("closesim_limits_") + std::to_string(::getpid()) + "_" + name))
      .string();
}

}  // namespace

TEST_CASE("quantities stop at their documented maximum") {
  using lang::parse_quantity;
  using P = lang::Quantity::Problem;
  CHECK(parse_quantity("1000000s", lang::kTimeUnits).value == kMaxDuration);
  CHECK(parse_quantity("1000000.000000001s", lang::kTimeUnits).problem == P::TooLarge);
  CHECK(parse_quantity("277h", lang::kTimeUnits).value == 277 * 3600 * kSecond);
  CHECK(parse_quantity("3000000h", lang::kTimeUnits).problem == P::TooLarge);
  CHECK(parse_quantity("1.5min", lang::kTimeUnits).value == 90 * kSecond);
  CHECK(parse_quantity("1048576MiB", lang::kSizeUnits).value == kMaxBytes);
  CHECK(parse_quantity("1099511627777", lang::kSizeUnits).problem == P::TooLarge);
  CHECK(parse_quantity("18446744073709551615", lang::kSizeUnits).problem == P::TooLarge);
}

TEST_CASE("the inputs that overflowed are located input errors") {
  struct Case {
    std::string line;
    int column;
    const char* message;
  };
  const Case cases[] = {
      {"1ms A.main SleepEx(9223372036854775807ns, 0) = 0", 20, "too large"},
      {"1ms A.main SleepEx(5000000s, 0) = 0", 20, "too large"},
      {"1ms A.main WaitForSingleObject(e, 9223372036854775807) = WAIT_TIMEOUT", 35, "too large"},
      {"1ms A.main WaitForSingleObject(e, 2000000000) = WAIT_TIMEOUT", 35, "timeout"},
      {"1ms A.main GetQueuedCompletionStatus(p, 1000001s) = ?", 41, "too large"},
      {"1ms peer(s) send 9223372036854775807", 18, "too large"},
      {"1ms A.main send(s, 2TiB) = ?", 20, "bad number"},
      {"1ms A.main send(s, 1099511627777) = ?", 20, "too large"},
      {"9223372036854775807ns A.main closesocket(s) = 0", 1, "too large"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.line);
    Diagnostic d = only_error(std::string(kPrelude) + c.line + "\n");
    CHECK(d.line == 4);
    CHECK(d.column == c.column);
    CHECK(d.message.find(c.message) != std::string::npos);
  }
  Diagnostic latency = only_error("link latency=9223372036854775807ns\n");
  CHECK(latency.column == 14);
  CHECK(latency.hint.find("1000000s") != std::string::npos);
  CHECK(only_error("link latency=5000000000s\n").message.find("too large") != std::string::npos);
  CHECK(only_error("link sndbuf=9223372036854775807\n").hint.find("2^40") != std::string::npos);
  CHECK(only_error("link rate=18446744073709551615/s\n").message.find("too large") != std::string::npos);
}

TEST_CASE("relative times cannot add up past the maximum") {
  std::string text = "1000000s A.main s = socket(tcp) = ok\n+1ns A.main closesocket(s) = 0\n";
  Diagnostic d = only_error(text);
  CHECK(d.line == 2);
  CHECK(d.message.find("time too large") != std::string::npos);
  d = only_error("0 A.main s = socket(tcp) = ok\n999999s...+2s A.main recv(s, 1) = ?\n");
  CHECK(d.message.find("span would end") != std::string::npos);
}

TEST_CASE("an infinite timeout is written INFINITE in every call that waits") {
  ParseResult r = parse_scenario("t.scn", std::string(kPrelude) +
                                              "0 A.main WaitForSingleObject(e, INFINITE) = ?\n"
                                              "0 A.main GetQueuedCompletionStatus(p, INFINITE) = ?\n"
                                              "0 A.main SleepEx(INFINITE, 1) = ?\n");
  CHECK(r.ok());
}

TEST_CASE("lines and words have a length limit") {
  Diagnostic d = only_error("title \"" + std::string(2000, 'x') + "\"\n");
  CHECK(d.message == "line too long");
  CHECK(d.column == 1001);
  d = only_error("0 A." + std::string(100, 'm') + " s = socket(tcp) = ok\n");
  CHECK(d.message.find("word too long") != std::string::npos);
  CHECK(d.column == 3);
}

TEST_SUITE("files") {
  TEST_CASE("only regular files are read, and a FIFO does not block") {
    const std::string fifo = temp_path("fifo.scn");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    ParseResult r = parse_scenario_file(fifo);  // no writer: must return at once
    std::remove(fifo.c_str());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message.find("not a regular file (a FIFO)") != std::string::npos);

    r = parse_scenario_file("/dev/null");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message.find("not a regular file (a character device)") != std::string::npos);
    r = parse_scenario_file("/dev/zero");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message.find("not a regular file") != std::string::npos);
    r = parse_scenario_file("/");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message.find("folder") != std::string::npos);
    CHECK(r.diagnostics[0].hint == "closesim check / runs every scenario in it");
    r = parse_scenario_file("/no/such/file.scn");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message.find("no such file") != std::string::npos);
  }

  TEST_CASE("a read error is an error, not an empty scenario") {
    ParseResult r = parse_scenario_file("/proc/self/mem");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message.find("read error") != std::string::npos);
  }

  TEST_CASE("a file over the size cap is refused, and the cap can be raised") {
    const std::string path = temp_path("big.scn");
    {
      std::ofstream out(path);
      for (int i = 0; i < 2000; ++i) out << "# a comment line to fill the file up to the cap\n";
    }
    ParseResult r = parse_scenario_file(path, 4096);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message.find("size cap") != std::string::npos);
    CHECK(r.diagnostics[0].hint.find("--max-file-size") != std::string::npos);
    r = parse_scenario_file(path, 1 << 20);
    std::remove(path.c_str());
    CHECK(r.ok());
  }
}
