// Every kind of error the parser reports: where it points (line, column), what it says, and
// that it comes with a hint. Then: every error of a file is reported, not just the first.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "closesim/scenario/parser.h"
#include "parse_fixture.h"

using namespace closesim;

namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

// `text` has exactly one error, on line `line`, starting at the last occurrence of `at` in that
// line (an empty `at` means just past the end of the line's last token), and its message
// contains `says`.
void expect_error(const std::string& text, int line, const std::string& at, const std::string& says) {
  ParseResult r = parse_scenario("e.scn", text);
  INFO("scenario:\n", text);
  REQUIRE(r.diagnostics.size() == 1);
  const Diagnostic& d = r.diagnostics[0];
  INFO(format_diagnostic(d, d.line > 0 ? r.scenario.lines[static_cast<std::size_t>(d.line - 1)] : ""));
  std::string source = split_lines(text)[static_cast<std::size_t>(line - 1)];
  int column = 0;
  if (at.empty()) {
    std::string code = source.substr(0, source.find('#'));
    code.erase(code.find_last_not_of(" \t") + 1);
    column = static_cast<int>(code.size()) + 1;
  } else {
    REQUIRE(source.rfind(at) != std::string::npos);
    column = static_cast<int>(source.rfind(at)) + 1;
  }
  CHECK(d.file == "e.scn");
  CHECK(d.line == line);
  CHECK(d.column == column);
  CHECK(d.length >= 1);
  CHECK(d.message.find(says) != std::string::npos);
  CHECK_FALSE(d.hint.empty());
}

using closesim::support::only_error;

}  // namespace

TEST_SUITE("diagnostics") {
  TEST_CASE("lines that are neither directives nor steps") {
    expect_error("title \"unterminated\n", 1, "\"", "unterminated string");
    expect_error("provder ifs\n", 1, "provder", "unknown directive");
    CHECK(only_error("provder ifs\n").hint == "did you mean 'provider'?");
    expect_error("A.main closesocket(s) = 0\n", 1, "A.main", "step without a time");
    expect_error("hello world\n", 1, "hello", "expected a directive or a step");
    expect_error("zz A.main connect(s) = 0\n", 1, "zz", "bad time 'zz'");
    expect_error("-1ms expect released(s)\n", 1, "-1ms", "bad time '-1ms'");
    // A step with a bad time still counts as the first step.
    ParseResult r = parse_scenario("e.scn", "zz A.main connect(s) = 0\nseed 1\n");
    REQUIRE(r.diagnostics.size() == 2);
    CHECK(r.diagnostics[1].message.find("after the first step") != std::string::npos);
    expect_error("= 0\n", 1, "=", "expected a directive or a step");
  }

  TEST_CASE("directive placement and repetition") {
    expect_error("0 A.main WSAStartup() = 0\nprovider ifs\n", 2, "provider", "after the first step");
    CHECK(only_error("0 A.main WSAStartup() = 0\nseed 1\n").hint.find("line 1") != std::string::npos);
    expect_error("seed 1\nprovider ifs\nseed 2\n", 3, "seed", "duplicate 'seed'");
    CHECK(only_error("seed 1\nseed 2\n").hint.find("line 1") != std::string::npos);
  }

  TEST_CASE("directive contents") {
    expect_error("title Hard close\n", 1, "Hard", "quoted title");
    expect_error("title \"x\" \"y\"\n", 1, "\"y\"", "unexpected");
    expect_error("rules R8 R15\n", 1, "R15", "unknown rule");
    expect_error("rules R0\n", 1, "R0", "unknown rule");
    expect_error("rules\n", 1, "", "at least one rule");
    expect_error("provider lsp\n", 1, "lsp", "unknown provider");
    CHECK(only_error("provider nonfis\n").hint == "did you mean 'nonifs'?");
    expect_error("profile linux\n", 1, "linux", "unknown profile");
    expect_error("profile\n", 1, "", "unknown profile");
    expect_error("link latency=1ms bandwidth=1MiB/s\n", 1, "bandwidth", "unknown link key");
    expect_error("link latency=1ms latency=2ms\n", 1, "latency=2ms", "given twice");
    expect_error("link latency 1ms\n", 1, "1ms", "expected '='");
    expect_error("link latency=\n", 1, "", "expected a value");
    expect_error("link latency=5\n", 1, "5", "bad latency");
    expect_error("link rate=1MiB\n", 1, "1MiB", "bad rate");
    expect_error("link rate=0/s\n", 1, "0/s", "bad rate");
    expect_error("link sndbuf=64KB\n", 1, "64KB", "bad send buffer size");
    expect_error("seed -1\n", 1, "-1", "seed");
    expect_error("seed 99999999999999999999\n", 1, "99999999999999999999", "seed");
    expect_error("seed 7 8\n", 1, "8", "unexpected");
    expect_error("schedule 0..1\n", 1, "0..1", "bad schedule");
    expect_error("schedule 0.a\n", 1, "0.a", "bad schedule");
    expect_error("schedule\n", 1, "", "bad schedule");
  }

  TEST_CASE("times") {
    expect_error("5 A.main WSAStartup() = 0\n", 1, "5", "needs a unit");
    expect_error("5x A.main WSAStartup() = 0\n", 1, "5x", "unknown time unit");
    expect_error("1.5ns A.main WSAStartup() = 0\n", 1, "1.5ns", "finer than a nanosecond");
    expect_error("0.0000000001s A.main WSAStartup() = 0\n", 1, "0.0000000001s", "finer than a nanosecond");
    expect_error("99999999999s A.main WSAStartup() = 0\n", 1, "99999999999s", "too large");
    expect_error("+ A.main WSAStartup() = 0\n", 1, "+", "missing time");
    expect_error("1.ms A.main WSAStartup() = 0\n", 1, "1.ms", "bad time");
    expect_error("*...2s A.main recv(s, 1) = ?\n", 1, "*", "cannot start a time span");
    expect_error("0... A.main recv(s, 1) = ?\n", 1, "...", "missing end");
    expect_error("0...1s...2s A.main recv(s, 1) = ?\n", 1, "0...", "one '...'");
    expect_error("0...2x A.main recv(s, 1) = ?\n", 1, "2x", "unknown time unit");
    expect_error("2s...1s A.main recv(s, 1) = ?\n", 1, "2s", "ends (1s) before it starts (2s)");
    expect_error("* A.main WSAStartup() = 0\n", 1, "*", "only for expectations");
    expect_error("* peer(s) close\n", 1, "*", "only for expectations");
    expect_error("0...1s expect released(s)\n", 1, "0...1s", "only a call can block");
    expect_error("0...* peer(s) close\n", 1, "0...*", "only a call can block");
    expect_error("1000000s A.main WSAStartup() = 0\n+1ns A.main WSAStartup() = 0\n", 2,
                 "+1ns", "too large");
  }

  TEST_CASE("steps out of time order") {
    std::string text =
        "0 A.main WSAStartup() = 0\n"
        "2ms A.main WSAStartup() = 0\n"
        "1ms A.main WSACleanup() = 0\n";
    expect_error(text, 3, "1ms", "earlier than the previous step (2ms, line 2)");
    CHECK(only_error(text).hint.find("+0") != std::string::npos);
    // `*` steps do not count; a relative time never goes back.
    ParseResult r = parse_scenario("e.scn", "5ms A.main WSAStartup() = 0\n* expect released(s)\n+0 expect released(s)\n");
    CHECK(r.ok());
  }

  TEST_CASE("actors") {
    expect_error("0\n", 1, "", "expected an actor");
    expect_error("0 expct released(s)\n", 1, "expct", "unknown actor");
    CHECK(only_error("0 expct released(s)\n").hint == "did you mean 'expect'?");
    expect_error("0 Amain WSAStartup() = 0\n", 1, "Amain", "unknown actor");
    CHECK(only_error("0 Amain WSAStartup() = 0\n").hint.find("Amain.main") != std::string::npos);
    expect_error("0 A.b.c WSAStartup() = 0\n", 1, "A.b.c", "unknown actor");
    expect_error("0 peer() close\n", 1, ")", "expected a socket name");
    expect_error("0 peer(s close\n", 1, "close", "expected ')'");
    expect_error("0 (A) x\n", 1, "(", "expected an actor");
    expect_error("0 peer close\n", 1, "close", "expected '(' after 'peer'");
    expect_error("0 expect peer sees RST\n", 1, "sees", "expected '(' after 'peer'");
  }

  TEST_CASE("calls") {
    expect_error("0 A.main closesockt(s) = 0\n", 1, "closesockt", "unknown call 'closesockt'");
    CHECK(only_error("0 A.main closesockt(s) = 0\n").hint == "did you mean 'closesocket'?");
    CHECK(only_error("0 A.main CloseSocket(s) = 0\n").hint == "did you mean 'closesocket'?");
    CHECK(only_error("0 A.main wsasend(s, 1, o1) = 0\n").hint == "did you mean 'WSASend'?");
    CHECK(only_error("0 A.main frobnicate(s) = 0\n").hint.find("known calls: socket") != std::string::npos);
    expect_error("0 A.main closesocket s = 0\n", 1, "s =", "expected '('");
    expect_error("0 A.main closesocket(s\n", 1, "", "expected ',' or ')', got end of line");
    expect_error("0 A.main closesocket(s = 0\n", 1, "0", "expected a name after 's='");
    expect_error("0 A.main send(s 10) = 0\n", 1, "10", "expected ',' or ')'");
    expect_error("0 A.main send(s, ) = 0\n", 1, ")", "expected an argument");
    expect_error("0 A.main send(s, 1x) = 0\n", 1, "1x", "bad number");
    expect_error("0 A.main send(s, 1.5) = 0\n", 1, "1.5", "not a whole number");
    expect_error("0 A.main send(s, 99999999999999999999) = 0\n", 1, "99999999999999999999", "too large");
    expect_error("0 A.main send(s, $x) = 0\n", 1, "$x", "bad argument");
    expect_error("0 A.main WSASend(s, 1, o1, event=) = 0\n", 1, ")", "expected a name after 'event='");
    expect_error("0 A.main WSASend(s, 1, o1, 1=e) = 0\n", 1, "1=e", "bad key");
    expect_error("0 A.main WSAEventSelect(s, e, FD_READ|) = 0\n", 1, ")", "expected an FD_* flag");
    expect_error("0 A.main WSAEventSelect(s, e, FD_REED) = 0\n", 1, "FD_REED", "unknown network event");
    expect_error("0 A.main shutdown(s, SD_SEND|SD_BOTH) = 0\n", 1, "SD_SEND", "unknown network event");
    expect_error("0 A.main closesocket(s)\n", 1, "", "closesocket has no result");
    CHECK(only_error("0 A.main closesocket(s)\n").hint.find("= ?") != std::string::npos);
    expect_error("0 A.main closesocket(s) 0\n", 1, "0", "unexpected '0'");
    expect_error("0 A.main x = send(s, 1) = 1\n", 1, "x =", "returns nothing to name 'x'");
    expect_error("0 A.main 1s = socket(tcp) = ok\n", 1, "1s", "cannot name a result");
    expect_error("0 A.main = socket(tcp) = ok\n", 1, "= socket", "expected a call");
  }

  TEST_CASE("results") {
    expect_error("0 A.main closesocket(s) = -1\n", 1, "-1", "'-1' without an error name");
    expect_error("0 A.main closesocket(s) = SOCKET_ERROR\n", 1, "SOCKET_ERROR", "without an error name");
    CHECK(only_error("0 A.main closesocket(s) = SOCKET_ERROR\n").hint ==
          "name the expected error, e.g. `SOCKET_ERROR WSAEWOULDBLOCK`");
    expect_error("0 A.main closesocket(s) = SOCKET_ERROR WSAEWOULDBLOK\n", 1, "WSAEWOULDBLOK", "unknown error");
    CHECK(only_error("0 A.main closesocket(s) = SOCKET_ERROR WSAEWOULDBLOK\n").hint ==
          "did you mean 'WSAEWOULDBLOCK'?");
    expect_error("0 A.main closesocket(s) = SOCKET_ERROR 0\n", 1, "0", "failure code");
    expect_error("0 A.main closesocket(s) = WSAENOTSOCK\n", 1, "WSAENOTSOCK", "error name alone");
    CHECK(only_error("0 A.main closesocket(s) = WSAENOTSOCK\n").hint.find("SOCKET_ERROR WSAENOTSOCK") !=
          std::string::npos);
    expect_error("0 A.main WaitForSingleObject(e) = WAIT_TIMOUT\n", 1, "WAIT_TIMOUT", "unknown result");
    CHECK(only_error("0 A.main WaitForSingleObject(e) = WAIT_TIMOUT\n").hint == "did you mean 'WAIT_TIMEOUT'?");
    expect_error("0 A.main closesocket(s) = -2\n", 1, "-2", "negative result");
    expect_error("0 A.main closesocket(s) = 5x\n", 1, "5x", "bad number");
    expect_error("0 A.main closesocket(s) = 0 0\n", 1, "0", "unexpected '0' after the result");
    expect_error("0 A.main closesocket(s) =\n", 1, "", "expected a result");
    expect_error("0 A.main closesocket(s) = ok = ok\n", 1, "= ok", "unexpected '='");
    expect_error("0 A.main GetQueuedCompletionStatus(p) = o1 WSA_OPERATION_ABORTD 0 bytes\n", 1,
                 "WSA_OPERATION_ABORTD", "unknown completion status");
    expect_error("0 A.main GetQueuedCompletionStatus(p) = o1 0\n", 1, "", "missing byte count");
    expect_error("0 A.main GetQueuedCompletionStatus(p) = o1 0 5\n", 1, "", "expected 'bytes'");
    expect_error("0 A.main GetQueuedCompletionStatus(p) = o1 0 5 byte\n", 1, "byte", "expected 'bytes'");
    expect_error("0 A.main GetQueuedCompletionStatus(p) = o1 0 five bytes\n", 1, "five", "bad number");
    expect_error("0 A.main closesocket(s) = nope\n", 1, "nope", "unknown result");
  }

  TEST_CASE("peer actions") {
    expect_error("0 peer(s) sned 10\n", 1, "sned", "unknown peer action");
    CHECK(only_error("0 peer(s) sned 10\n").hint == "did you mean 'send'?");
    expect_error("0 peer(s) send\n", 1, "", "needs a byte count");
    expect_error("0 peer(s) send lots\n", 1, "lots", "bad byte count");
    expect_error("0 peer(s) close = 0\n", 1, "=", "cannot have a result");
    expect_error("0 peer(s) reset now\n", 1, "now", "unexpected 'now'");
    expect_error("0 peer(s)\n", 1, "", "expected a peer action");
  }

  TEST_CASE("expectations") {
    expect_error("0 expect released(s) = 0\n", 1, "=", "cannot have a result");
    expect_error("0 expect peer(s) sees ACK\n", 1, "ACK", "expected RST or FIN");
    expect_error("0 expect peer(s) hears RST\n", 1, "hears", "expected 'sees' or 'received'");
    expect_error("0 expect peer(s) received 10\n", 1, "", "expected 'bytes'");
    expect_error("0 expect peer(s) received bytes\n", 1, "bytes", "expected a byte count");
    expect_error("0 expect peer(s) received 1 bytes after\n", 1, "", "expected 'close'");
    expect_error("0 expect o1 completes ABORTED\n", 1, "ABORTED", "unknown completion status");
    expect_error("0 expect o1 completes 995 via mail\n", 1, "mail", "expected event, apc or port");
    expect_error("0 expect o1 complets\n", 1, "complets", "unknown expectation");
    CHECK(only_error("0 expect o1 complets\n").hint == "did you mean 'completes'?");
    expect_error("0 expect FD_CLOSED(s)\n", 1, "FD_CLOSED", "unknown network event");
    expect_error("0 expect FD_CLOSE s\n", 1, "s", "expected '('");
    expect_error("0 expect released(s\n", 1, "", "expected ')'");
    expect_error("0 expect main wakes\n", 1, "main", "is not a thread");
    expect_error("0 expect WPUCloseSocketHandl(s)\n", 1, "WPUCloseSocketHandl", "unknown expectation");
    CHECK(only_error("0 expect WPUCloseSocketHandl(s)\n").hint == "did you mean 'WPUCloseSocketHandle'?");
    expect_error("0 expect no\n", 1, "", "expected an expectation");
    expect_error("0 expect\n", 1, "", "expected an expectation");
    expect_error("0 expect A.t2 wakes up\n", 1, "up", "unexpected 'up'");
  }

  TEST_CASE("messages quote the line safely: no control characters, long words cut") {
    Diagnostic d = only_error("0 A.main send(s, 1\x1b[31m) = 0\n");
    CHECK(d.message.find('\x1b') == std::string::npos);
    CHECK(d.message.find("1?[31m") != std::string::npos);
    d = only_error("0 A.main " + std::string(100, 'x') + "(s) = 0\n");
    CHECK(d.message.size() < 80);
    CHECK(d.length == 100);
  }

  TEST_CASE("every error of the file is reported, in line order, each with its line") {
    std::string text =
        "title \"several mistakes\"\n"          // 1
        "provider nonifs\n"                     // 2
        "profle windows\n"                      // 3: unknown directive
        "\n"                                    // 4
        "0 A.main s = socket(tcp) = ok\n"       // 5: fine
        "0 A.main connect(s)\n"                 // 6: no result
        "+1ms A.main closesockt(s) = 0\n"       // 7: unknown call
        "+1ms peer(s) reset = 0\n"              // 8: result on a peer action
        "1ms A.main recv(s, 10) = ?\n"          // 9: fine (2ms is not reached: line 8's time counts)
        "seed 4\n"                              // 10: directive after the first step
        "* A.main WSACleanup() = 0\n"           // 11: * on a call
        "+0 expect peer(s) sees RST\n";         // 12: fine
    ParseResult r = parse_scenario("m.scn", text);
    REQUIRE(r.diagnostics.size() == 7);
    std::vector<int> lines;
    for (const Diagnostic& d : r.diagnostics) {
      lines.push_back(d.line);
      CHECK(d.file == "m.scn");
      CHECK_FALSE(d.hint.empty());
    }
    CHECK(lines == std::vector<int>{3, 6, 7, 8, 9, 10, 11});
    CHECK(r.diagnostics[2].message == "unknown call 'closesockt'");
    CHECK(r.diagnostics[2].column == 13);
    CHECK(r.diagnostics[2].length == 10);
    CHECK(r.diagnostics[4].message.find("earlier than the previous step (2ms, line 8)") != std::string::npos);
    // The good lines still parse.
    CHECK(r.scenario.steps.size() == 2);
  }

  TEST_CASE("a diagnostic renders with its line and caret") {
    ParseResult r = parse_scenario("f.scn", "0 A.main closesockt(s) = 0\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(format_diagnostic(r.diagnostics[0], r.scenario.lines[0]) ==
          "f.scn:1:10: error: unknown call 'closesockt'\n"
          "    0 A.main closesockt(s) = 0\n"
          "             ^" + std::string(9, '~') + "\n"
          "  hint: did you mean 'closesocket'?\n");
  }
}
