// CloseHandle, DuplicateHandle and WSAAsyncSelect as a user meets them: scenario text in, what
// the world did and what the checker said out (C14, C15, C27, C39, C40, C54).
#include <doctest/doctest.h>

#include <string>

#include "closesim/rules/rules.h"
#include "closesim/run/runner.h"
#include "closesim/world/mutant.h"
#include "../support/support.h"

namespace closesim {
namespace {

using support::failures;
using support::profile;
using support::run_text;

bool violated(const RunResult& r, RuleId rule) {
  for (const Violation& v : r.rules.violations)
    if (v.rule == rule && !v.divergence) return true;
  return false;
}

// C15 on an IFS socket, the abort's code left to the profile.
std::string close_handle_text(const char* abort_code) {
  return std::string(R"(provider ifs
0 A.main s = socket(tcp, overlapped) = ok
0 A.main connect(s) = 0
0 A.main WSAAsyncSelect(s, FD_WRITE|FD_CLOSE) = 0
+0 A.main PeekMessage() = 1 wParam=s lParam=0x2
+0 A.main p = CreateIoCompletionPort(s, 7) = ok
1ms A.main WSARecv(s, 100, o1) = WSA_IO_PENDING
2ms A.main CloseHandle(s) = 1
+0 expect o1 completes )") + abort_code + R"( via port
3ms A.main GetQueuedCompletionStatus(p, 0) = o1 )" + abort_code + R"( 0 bytes
+0 A.main GetQueuedCompletionStatus(p, 0) = WAIT_TIMEOUT
+0 A.main PeekMessage() = 1 wParam=s lParam=0x20
+0 A.main PeekMessage() = 0
+0 A.main getsockopt(s, SO_TYPE) = SOCKET_ERROR WSAENOTSOCK optval=untouched
+0 A.main closesocket(s) = SOCKET_ERROR WSAENOTSOCK
+0 A.main CloseHandle(s) = FALSE ERROR_INVALID_HANDLE
)";
}

}  // namespace

TEST_CASE("CloseHandle on an IFS socket aborts, posts FD_CLOSE and leaves a dead value") {
  SUBCASE("windows: 1236, a divergence naming C15") {
    RunResult r = run_text(close_handle_text("ERROR_CONNECTION_ABORTED"), profile(ProfileKind::Windows));
    INFO(failures(r));
    CHECK(r.verdict() == Verdict::Pass);
    bool named = false;
    for (const Violation& v : r.rules.violations) {
      CHECK(v.divergence);
      named = named || format_violation(v).find("(C15)") != std::string::npos;
    }
    CHECK(named);
  }
  SUBCASE("documented: 995, every rule holds") {
    RunResult r = run_text(close_handle_text("WSA_OPERATION_ABORTED"), profile(ProfileKind::Documented));
    INFO(failures(r));
    CHECK(r.verdict() == Verdict::Pass);
    CHECK(r.rules.violations.empty());
  }
  SUBCASE("the mutant that leaves the I/O pending is R3's") {
    RunOptions o = profile(ProfileKind::Documented, Mutant::HandleCloseLeavesIo);
    o.expectations = false;
    RunResult bad = run_text(close_handle_text("WSA_OPERATION_ABORTED"), o);
    CHECK(violated(bad, RuleId::R3));
  }
}

TEST_CASE("closesocket drops a WSAAsyncSelect: no message follows it (C14)") {
  RunResult r = run_text(R"(0 A.main s = socket(tcp) = ok
0 A.main connect(s) = 0
0 A.main WSAAsyncSelect(s, FD_READ|FD_CLOSE) = 0
+0 A.main PeekMessage() = 0
1ms peer(s) send 10
3ms A.main PeekMessage() = 1 wParam=s lParam=0x1
+0 A.main PeekMessage() = 0
4ms A.main closesocket(s) = 0
5ms peer(s) close
7ms A.main PeekMessage() = 0
)");
  INFO(failures(r));
  CHECK(r.verdict() == Verdict::Pass);
  CHECK(r.rules.violations.empty());
}

TEST_CASE("CloseHandle on a non-IFS socket tells the provider nothing; closesocket still works") {
  RunResult r = run_text(R"(provider nonifs
0 A.main s = socket(tcp, overlapped) = ok
0 A.main connect(s) = 0
0 A.main e = WSACreateEvent() = ok
1ms A.main WSARecv(s, 100, o1, event=e) = WSA_IO_PENDING
2ms A.main CloseHandle(s) = 1
3ms A.main WaitForSingleObject(e, 0) = WAIT_TIMEOUT
+0 A.main getsockopt(s, SO_TYPE) = 0 optval=SOCK_STREAM
4ms A.main closesocket(s) = 0
+0 expect o1 completes WSA_OPERATION_ABORTED via event
)");
  INFO(failures(r));
  CHECK(r.verdict() == Verdict::Pass);
  CHECK(r.rules.violations.empty());  // R11: the one hand-back comes with closesocket
}

TEST_CASE("DuplicateHandle: a copy keeps the socket; across processes port-bound I/O is cancelled") {
  auto text = [](const char* copy, const char* after) {
    return std::string(R"(provider ifs
0 A.main s = socket(tcp, overlapped) = ok
0 A.main connect(s) = 0
0 A.main p = CreateIoCompletionPort(s, 7) = ok
0 A.main e = WSACreateEvent() = ok
1ms A.main WSARecv(s, 100, o1) = WSA_IO_PENDING
+0 A.main WSARecv(s, 100, o2, event=e) = WSA_IO_PENDING
+0 A.main )") + copy + R"(
2ms A.main closesocket(s) = 0
3ms A.main GetQueuedCompletionStatus(p, 0) = )" + after + R"(
+0 A.main WaitForSingleObject(e, 0) = WAIT_TIMEOUT
)";
  };
  // C40: in its own process the copy is not a socket to Winsock.
  RunResult same = run_text(text("d = DuplicateHandle(s) = ok\n+0 A.main WSAGetOverlappedResult(d, o1) = FALSE WSAENOTSOCK", "WAIT_TIMEOUT"),
                            profile(ProfileKind::Windows));
  INFO(failures(same));
  CHECK(same.verdict() == Verdict::Pass);
  RunResult other = run_text(
      text("d = DuplicateHandle(s, B) = ok", "o1 WSA_OPERATION_ABORTED 0 bytes"),
      profile(ProfileKind::Windows));
  INFO(failures(other));
  CHECK(other.verdict() == Verdict::Pass);
  CHECK_FALSE(violated(other, RuleId::R3));
  CHECK_FALSE(violated(other, RuleId::R4));
}

TEST_CASE("C27: a routine on a port-bound socket is refused; a failure at once queues nothing") {
  RunResult r = run_text(R"(0 A.main s = socket(tcp, overlapped) = ok
0 A.main connect(s) = 0
0 A.main p = CreateIoCompletionPort(s, 7) = ok
+0 A.main WSARecv(s, 100, o1, apc) = SOCKET_ERROR WSAEINVAL
+0 A.main SleepEx(0, 1) = 0
+0 peer(s) reset
2ms A.main WSARecv(s, 100, o2) = SOCKET_ERROR WSAECONNRESET
+0 A.main GetQueuedCompletionStatus(p, 0) = WAIT_TIMEOUT
)");
  INFO(failures(r));
  CHECK(r.verdict() == Verdict::Pass);
}

}  // namespace closesim
