// Network events and the peer's side of a close, as a script sees them: WSAEnumNetworkEvents'
// record and error codes, the re-enabling rules, FD_CLOSE latched once per connection (C42-C47),
// and the peer's shutdown, closesocket and abort (C5, C17, C45, C50, C51).
#include <doctest/doctest.h>

#include <string>

#include "closesim/base/errors.h"
#include "closesim/run/runner.h"
#include "closesim/scenario/parser.h"
#include "../support/support.h"

namespace closesim {
namespace {

using support::run_text;

std::string failures_of(const RunResult& r) {
  std::string out;
  for (const ExpectationFailure& f : r.failures) out += std::to_string(f.line) + ": " + f.message + "\n";
  for (const std::string& s : r.stuck) out += s + "\n";
  return out;
}

RunOptions windows() {
  RunOptions o;
  o.profile = ProfileKind::Windows;
  return o;
}

const char* kSelected = R"(0  A.main  s = socket(tcp) = ok
0  A.main  connect(s) = 0
0  A.main  e = WSACreateEvent() = ok
0  A.main  WSAEventSelect(s, e, FD_READ|FD_CLOSE) = 0
)";

TEST_CASE("WSAEnumNetworkEvents reports each event with its code, then clears the record") {
  RunResult r = run_text(std::string(kSelected) + R"(1ms  peer(s)  send 100
2ms  peer(s)  close
4ms  A.main  WaitForSingleObject(e, 0) = WAIT_OBJECT_0
+0   A.main  WSAEnumNetworkEvents(s, e) = FD_CLOSE 0 FD_READ 0
+0   A.main  WaitForSingleObject(e, 0) = WAIT_TIMEOUT
+0   A.main  WSAEnumNetworkEvents(s, e) = 0
)");
  INFO(failures_of(r));
  CHECK(r.failures.empty());
}

TEST_CASE("a wrong event set or code is a failed expectation naming what was reported") {
  RunResult r = run_text(std::string(kSelected) + R"(1ms  peer(s)  close
3ms  A.main  WSAEnumNetworkEvents(s) = FD_CLOSE WSAECONNRESET
)");
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].message ==
        "expected WSAEnumNetworkEvents(s) = FD_CLOSE WSAECONNRESET at 3ms, got FD_CLOSE 0 at 3ms");
}

TEST_CASE("FD_READ is recorded again only after a recv leaves data unread") {
  RunResult r = run_text(std::string(kSelected) + R"(1ms  peer(s)  send 100
2ms  peer(s)  send 100
5ms  A.main  WSAEnumNetworkEvents(s) = FD_READ 0
+0   A.main  WSAEnumNetworkEvents(s) = 0
+0   A.main  recv(s, 150) = 150
+0   A.main  WSAEnumNetworkEvents(s) = FD_READ 0
+0   A.main  recv(s, 150) = 50
+0   A.main  WSAEnumNetworkEvents(s) = 0
)");
  INFO(failures_of(r));
  CHECK(r.failures.empty());
}

TEST_CASE("FD_CLOSE is latched: once per connection, and a later selection that asks gets it") {
  RunResult once = run_text(std::string(kSelected) + R"(1ms  peer(s)  close
3ms  A.main  WSAEnumNetworkEvents(s) = FD_CLOSE 0
4ms  A.main  WSAEventSelect(s, e, FD_READ|FD_CLOSE) = 0
+0   A.main  WSAEnumNetworkEvents(s) = 0
)");
  INFO(failures_of(once));
  CHECK(once.failures.empty());
  RunResult late = run_text(R"(0  A.main  s = socket(tcp) = ok
0  A.main  connect(s) = 0
0  A.main  e = WSACreateEvent() = ok
0  A.main  WSAEventSelect(s, e, FD_READ) = 0
1ms  peer(s)  close
3ms  A.main  WSAEnumNetworkEvents(s) = 0
4ms  A.main  WSAEventSelect(s, e, FD_CLOSE) = 0
+0   A.main  WSAEnumNetworkEvents(s, e) = FD_CLOSE 0
)");
  INFO(failures_of(late));
  CHECK(late.failures.empty());
}

TEST_CASE("FD_CLOSE after the peer's RST: WSAECONNRESET documented, WSAECONNABORTED on Windows") {
  const std::string text = std::string(kSelected) + R"(1ms  peer(s)  reset
3ms  A.main  WSAEnumNetworkEvents(s) = ?
)";
  RunResult documented = run_text(text);
  REQUIRE(!documented.trace.records().empty());
  RunResult win = run_text(text, windows());
  auto fd_close_error = [](const RunResult& r) {
    for (const TraceRecord& t : r.trace.records())
      if (t.kind == RecordKind::NetworkEvent && t.text == "FD_CLOSE") return t.error;
    return -1;
  };
  CHECK(fd_close_error(documented) == WSAECONNRESET);
  CHECK(fd_close_error(win) == WSAECONNABORTED);
  // The checker names the case under the windows profile, and fails nothing.
  bool named = false;
  for (const Violation& v : win.rules.violations) named |= v.divergence && v.message.find("C43") != std::string::npos;
  CHECK(named);
  CHECK(win.verdict() == Verdict::Pass);
}

TEST_CASE("nothing is recorded for the descriptor being closed (R12)") {
  RunResult r = run_text(std::string(kSelected) + R"(1ms  A.main  closesocket(s) = 0
2ms  peer(s)  close
5ms  A.main  WSAEnumNetworkEvents(s) = SOCKET_ERROR WSAENOTSOCK
*    expect  no FD_CLOSE(s)
)");
  INFO(failures_of(r));
  CHECK(r.failures.empty());
  CHECK(r.verdict() == Verdict::Pass);
}

TEST_CASE("WSAResetEvent clears the event, not the record") {
  RunResult r = run_text(std::string(kSelected) + R"(1ms  peer(s)  close
3ms  A.main  WSAResetEvent(e) = 1
+0   A.main  WaitForSingleObject(e, 0) = WAIT_TIMEOUT
+0   A.main  WSAEnumNetworkEvents(s) = FD_CLOSE 0
)");
  INFO(failures_of(r));
  CHECK(r.failures.empty());
}

TEST_CASE("the peer's shutdown is a half-close: FIN, and it still reads; its close adds nothing") {
  RunResult r = run_text(std::string(kSelected) + R"(1ms  peer(s)  shutdown
3ms  A.main  WSAEnumNetworkEvents(s) = FD_CLOSE 0
+0   A.main  recv(s, 10) = 0
4ms  peer(s)  close
5ms  A.main  send(s, 100) = 100
20ms A.main  WSAEnumNetworkEvents(s) = 0
*    expect  peer(s) received 100 bytes
*    expect  no peer(s) sees RST
)");
  INFO(failures_of(r));
  CHECK(r.failures.empty());
}

TEST_CASE("a peer that has fully closed answers data with RST; Windows then loses unread data") {
  const std::string text = R"(0  A.main  s = socket(tcp) = ok
0  A.main  connect(s) = 0
1ms  peer(s)  send 100
2ms  peer(s)  closesocket
3ms  A.main  send(s, 100) = 100
10ms A.main  recv(s, 100) = ?
)";
  RunResult documented = run_text(text);
  RunResult win = run_text(text, windows());
  const std::string both = failures_of(documented) + failures_of(win);
  INFO(both);
  CHECK(documented.failures.empty());
  CHECK(win.failures.empty());
  auto recv_text = [](const RunResult& r) {
    std::string last;
    for (const TraceRecord& t : r.trace.records())
      if (t.kind == RecordKind::CallEnd && t.call == CallId::Recv) last = t.text;
    return last;
  };
  CHECK(recv_text(documented) == "100");                       // read before the reset shows
  CHECK(recv_text(win) == "SOCKET_ERROR WSAECONNRESET");       // C50
}

TEST_CASE("a connection aborted from outside fails pending and later receives (C17)") {
  const std::string text = R"(0  A.main  s = socket(tcp, overlapped) = ok
0  A.main  connect(s) = 0
0  A.main  WSARecv(s, 100, o1) = WSA_IO_PENDING
0...1ms  A.t2  recv(s, 10) = SOCKET_ERROR WSAECONNABORTED
1ms  peer(s)  abort
)";
  const std::string after = R"(2ms  expect  peer(s) sees RST
3ms  A.main  WSARecv(s, 100, o2) = SOCKET_ERROR WSAECONNRESET
)";
  RunResult documented = run_text(text + "1ms expect o1 completes WSAECONNABORTED\n" + after);
  INFO(failures_of(documented));
  CHECK(documented.failures.empty());
  RunResult win =
      run_text(text + "1ms expect o1 completes ERROR_CONNECTION_ABORTED\n" + after, windows());
  INFO(failures_of(win));
  CHECK(win.failures.empty());
  CHECK(win.verdict() == Verdict::Pass);
}

TEST_CASE("SD_RECEIVE with unread data resets on Windows only (C51)") {
  const std::string text = R"(0  A.main  s = socket(tcp) = ok
0  A.main  connect(s) = 0
1ms  peer(s)  send 100
5ms  A.main  shutdown(s, SD_RECEIVE) = 0
)";
  RunResult documented = run_text(text + "*  expect  no peer(s) sees RST\n");
  INFO(failures_of(documented));
  CHECK(documented.failures.empty());
  RunResult win = run_text(text + "6ms  expect  peer(s) sees RST\n", windows());
  INFO(failures_of(win));
  CHECK(win.failures.empty());
  bool named = false;
  for (const Violation& v : win.rules.violations) named |= v.divergence && v.message.find("C51") != std::string::npos;
  CHECK(named);
}

TEST_CASE("bad network-event results and peer actions are located errors with a hint") {
  ParseResult r = parse_scenario("t.scn", R"(0 A.main s = socket(tcp) = ok
0 A.main WSAEnumNetworkEvents(s) = FD_CLOS 0
0 A.main WSAEnumNetworkEvents(s) = FD_CLOSE
0 A.main WSAEnumNetworkEvents(s) = FD_CLOSE 0 FD_CLOSE 0
0 A.main WSAEnumNetworkEvents(s, 5) = 0
0 peer(s) shutdwn
)");
  REQUIRE(r.diagnostics.size() == 5);
  CHECK(r.diagnostics[0].line == 2);
  CHECK(r.diagnostics[0].message == "unknown network event 'FD_CLOS'");
  CHECK(r.diagnostics[0].hint == "did you mean 'FD_CLOSE'?");
  CHECK(r.diagnostics[1].message == "FD_CLOSE without its error code");
  CHECK(r.diagnostics[2].message == "FD_CLOSE is written twice");
  CHECK(r.diagnostics[3].hint == "usage: WSAEnumNetworkEvents(s [, e])");
  CHECK(r.diagnostics[4].hint == "did you mean 'shutdown'?");
}

}  // namespace
}  // namespace closesim
