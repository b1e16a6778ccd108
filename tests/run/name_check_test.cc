// The name check before a run: every name made before it is used, of the right kind; typos get
// a "did you mean"; carets point at the name itself; parse and name errors come back together.
#include <doctest/doctest.h>

#include <string>

#include "closesim/scenario/parser.h"
#include "closesim/run/runner.h"

using namespace closesim;

namespace {

std::vector<Diagnostic> errors_of(const std::string& text) {
  return run_source("n.scn", text, RunOptions{}).diagnostics;
}

// The 1-based column of the `nth` occurrence of `what` on line `line` of `text`.
int column_of(const std::string& text, int line, const std::string& what, int nth = 1) {
  std::size_t start = 0;
  for (int l = 1; l < line; ++l) start = text.find('\n', start) + 1;
  const std::string row = text.substr(start, text.find('\n', start) - start);
  std::size_t at = std::string::npos;
  for (int i = 0; i < nth; ++i) at = row.find(what, at == std::string::npos ? 0 : at + 1);
  REQUIRE(at != std::string::npos);
  return static_cast<int>(at) + 1;
}

}  // namespace

TEST_CASE("an unknown name close to a made one gets a did-you-mean") {
  const std::string text = "0 A.main sock = socket(tcp) = ok\n0 A.main connect(sokc) = 0\n";
  auto d = errors_of(text);
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 2);
  CHECK(d[0].message == "'sokc' is not made by any step");
  CHECK(d[0].hint == "did you mean 'sock'?");
  CHECK(d[0].column == column_of(text, 2, "sokc"));
  CHECK(d[0].length == 4);
}

TEST_CASE("the caret of peer(e) and of an expectation's subject points at the name") {
  const std::string text =
      "0 A.main s = socket(tcp) = ok\n"
      "1ms peer(e) send 10\n"
      "2ms expect peer(e) sees FIN\n"
      "3ms expect released(e)\n";
  auto d = errors_of(text);
  REQUIRE(d.size() == 3);
  CHECK(d[0].column == column_of(text, 2, "e)"));
  CHECK(d[1].column == column_of(text, 3, "e)"));  // not the 'e' of `expect`
  CHECK(d[2].column == column_of(text, 4, "e)"));
}

TEST_CASE("a name in a completion action points past the key") {
  const std::string text =
      "0 A.main s = socket(tcp, overlapped) = ok\n"
      "0 A.main WSARecv(s, 10, o1, event=ev) = ?\n";
  auto d = errors_of(text);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "'ev' is not made by any step");
  CHECK(d[0].column == column_of(text, 2, "ev)"));
}

TEST_CASE("a process or thread written once beside a near twin is reported before the run") {
  SUBCASE("process differing in case") {
    const std::string text =
        "0 A.main s = socket(tcp) = ok\n0 A.main connect(s) = 0\n1ms a.main closesocket(s) = ?\n";
    auto d = errors_of(text);
    REQUIRE(!d.empty());
    CHECK(d[0].line == 3);
    CHECK(d[0].message.find("process 'a' appears only here") == 0);
    CHECK(d[0].hint == "did you mean 'A'?");
    CHECK(d[0].column == column_of(text, 3, "a.main"));
  }
  SUBCASE("thread one edit away") {
    const std::string text =
        "0 A.main s = socket(tcp) = ok\n0 A.main connect(s) = 0\n1ms A.mian closesocket(s) = 0\n";
    auto d = errors_of(text);
    REQUIRE(d.size() == 1);
    CHECK(d[0].message.find("thread 'A.mian' appears only here") == 0);
    CHECK(d[0].hint == "did you mean 'A.main'?");
  }
  SUBCASE("numbered threads and one-letter processes are meant to differ") {
    const std::string text =
        "0 A.t1 s = socket(tcp) = ok\n0 A.t1 connect(s) = 0\n0 A.t1 info = WSADuplicateSocket(s, B) = ok\n"
        "1ms A.t2 send(s, 10) = 10\n2ms B.main d = WSASocket(info) = ok\n";
    CHECK(errors_of(text).empty());
  }
}

TEST_CASE("parse errors and name errors of one file come back together, in line order") {
  const std::string text =
      "0 A.main connect(s) = 0\n"            // name error (line 1)
      "0 A.main closesockt(s) = 0\n"         // parse error (line 2)
      "0 A.main s = socket(tcp) = ok\n";
  auto d = errors_of(text);
  REQUIRE(d.size() == 2);
  CHECK(d[0].line == 1);
  CHECK(d[0].message == "'s' is used before line 3 makes it");
  CHECK(d[1].line == 2);
  CHECK(d[1].message.find("unknown call") == 0);
}

TEST_CASE("CancelIoEx naming an operation no call issues is a name error") {
  const std::string text =
      "0 A.main s = socket(tcp, overlapped) = ok\n0 A.main CancelIoEx(s, o9) = ?\n";
  auto d = errors_of(text);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "no WSASend or WSARecv names an operation 'o9'");
}

TEST_CASE("a long scenario: a name used far from where it is made is still found") {
  std::string text = "0 A.main s = socket(tcp) = ok\n0 A.main connect(s) = 0\n";
  for (int i = 0; i < 5000; ++i) text += "1ms A.main send(s, 1) = ?\n";
  text += "2ms A.main send(t, 1) = ?\n3ms A.main t = socket(tcp) = ok\n";
  ParseResult p = parse_scenario("long.scn", text);
  REQUIRE(p.ok());
  auto d = check_names(p.scenario);
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 5003);
  CHECK(d[0].message == "'t' is used before line 5004 makes it");
}

TEST_CASE("a step on a thread after its ExitThread is a located error") {
  const std::string text = "0 A.main s = socket(tcp) = ok\n"
                           "0 A.t1 ExitThread() = 0\n"
                           "1ms A.t1 closesocket(s) = 0\n"
                           "1ms A.main closesocket(s) = 0\n";
  std::vector<Diagnostic> d = errors_of(text);
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 3);
  CHECK(d[0].column == column_of(text, 3, "A.t1"));
  CHECK(d[0].message == "A.t1 exited at line 2 (ExitThread) and makes no more calls");
}

TEST_CASE("AcceptEx's accept socket must name a socket") {
  const std::string text = "0 A.main l = socket(tcp) = ok\n"
                           "0 A.main e = WSACreateEvent() = ok\n"
                           "0 A.main AcceptEx(l, e, 0, o1) = ?\n";
  std::vector<Diagnostic> d = errors_of(text);
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 3);
  CHECK(d[0].message == "'e' is an event, not a socket");
}
