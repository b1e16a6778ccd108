// The accept path, datagrams and thread exit as a user meets them: scenario text in, what the
// world did and what the checker said out, under both profiles.
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

// Messages of the violations (divergences too) of one rule, one per line.
std::string messages(const RunResult& r, RuleId rule) {
  std::string out;
  for (const Violation& v : r.rules.violations)
    if (v.rule == rule) out += format_violation(v) + "\n";
  return out;
}

bool only_divergences(const RunResult& r) {
  for (const Violation& v : r.rules.violations)
    if (!v.divergence) return false;
  return true;
}

const char* kAcceptExListener = R"(0 A.main l = socket(tcp, overlapped) = ok
0 A.main listen(l) = 0
0 A.main a = socket(tcp, overlapped) = ok
0 A.main p = CreateIoCompletionPort(l, 7) = ok
0 A.main AcceptEx(l, a, 0, o1) = WSA_IO_PENDING
1ms A.main closesocket(l) = 0
+0 expect o1 completes WSA_OPERATION_ABORTED via port
+0 A.main GetQueuedCompletionStatus(p, 0) = o1 WSA_OPERATION_ABORTED 0 bytes
+0 A.main GetQueuedCompletionStatus(p, 0) = WAIT_TIMEOUT
)";

const char* kAcceptExAcceptor = R"(0 A.main l = socket(tcp, overlapped) = ok
0 A.main listen(l) = 0
0 A.main a = socket(tcp, overlapped) = ok
0 A.main e = WSACreateEvent() = ok
0 A.main AcceptEx(l, a, 0, o1, event=e) = WSA_IO_PENDING
1ms A.main closesocket(a) = 0
+0 expect o1 completes WSA_OPERATION_ABORTED via event
2ms A.main closesocket(l) = 0
)";

}  // namespace

TEST_CASE("AcceptEx: closing the listener aborts it once with 995, under both profiles") {
  for (ProfileKind p : {ProfileKind::Documented, ProfileKind::Windows}) {
    RunResult r = run_text(kAcceptExListener, profile(p));
    INFO(failures(r));
    CHECK(r.verdict() == Verdict::Pass);
    CHECK(r.rules.violations.empty());
  }
}

TEST_CASE("AcceptEx: closing the accept socket aborts it too; the mutant that forgets is R3's") {
  RunResult r = run_text(kAcceptExAcceptor);
  INFO(failures(r));
  CHECK(r.verdict() == Verdict::Pass);
  RunOptions o = profile(ProfileKind::Documented, Mutant::AcceptExOutlivesAcceptor);
  o.expectations = false;
  RunResult bad = run_text(kAcceptExAcceptor, o);
  CHECK(bad.verdict() == Verdict::Fail);
  CHECK(messages(bad, RuleId::R3).find("o1") != std::string::npos);
}

TEST_CASE("AcceptEx: a waiting connection with N = 0 completes at once, TRUE and one packet") {
  RunResult r = run_text(R"(0 A.main l = socket(tcp, overlapped) = ok
0 A.main listen(l) = 0
0 A.main a = socket(tcp, overlapped) = ok
0 A.main p = CreateIoCompletionPort(l, 7) = ok
1ms peer(l) connect
2ms A.main AcceptEx(l, a, 0, o1) = 1
+0 A.main GetQueuedCompletionStatus(p, 0) = o1 0 0 bytes
3ms peer(a) send 10
5ms A.main recv(a, 100) = 10
6ms A.main closesocket(a) = 0
+1ms expect peer(a) sees FIN
)");
  INFO(failures(r));
  CHECK(r.verdict() == Verdict::Pass);
}

TEST_CASE("AcceptEx: the accept socket must be fresh, the listener listening") {
  RunResult r = run_text(R"(0 A.main l = socket(tcp) = ok
0 A.main a = socket(tcp) = ok
0 A.main AcceptEx(l, a, 0, o1) = FALSE WSAEINVAL
0 A.main listen(l) = 0
0 A.main connect(a) = 0
0 A.main AcceptEx(l, a, 0, o2) = FALSE WSAEINVAL
0 A.main closesocket(a) = 0
0 A.main AcceptEx(l, a, 0, o3) = SOCKET_ERROR WSAENOTSOCK
)");
  INFO(failures(r));
  CHECK(r.verdict() == Verdict::Pass);
}

TEST_CASE("accept takes the listener's linger (C9); AcceptEx's accept socket does not") {
  const std::string setup = R"(0 A.main l = socket(tcp) = ok
0 A.main setsockopt(l, SO_LINGER, 1, 0) = 0
0 A.main listen(l) = 0
1ms peer(l) connect
)";
  RunResult accepted = run_text(setup + R"(2ms A.main c = accept(l) = ok
+0 A.main closesocket(c) = 0
+1ms expect peer(c) sees RST
)");
  INFO(failures(accepted));
  CHECK(accepted.verdict() == Verdict::Pass);
  RunResult ex = run_text(setup + R"(2ms A.main a = socket(tcp) = ok
+0 A.main AcceptEx(l, a, 0, o1) = 1
+0 A.main closesocket(a) = 0
+1ms expect peer(a) sees FIN
)");
  INFO(failures(ex));
  CHECK(ex.verdict() == Verdict::Pass);
}

TEST_CASE("UDP: a bound socket receives; a closed port makes the next receive fail") {
  RunResult r = run_text(R"(0 A.main u = socket(udp) = ok
0 A.main recvfrom(u, 100) = SOCKET_ERROR WSAENOTCONN
0 A.main bind(u) = 0
0 A.main bind(u) = SOCKET_ERROR WSAEINVAL
0 peer(u) send 10
2ms A.main recvfrom(u, 100) = 10
+0 peer(u) close
3ms A.main sendto(u, 20) = 20
6ms A.main recvfrom(u, 100) = SOCKET_ERROR WSAECONNRESET
7ms...8ms A.main recvfrom(u, 100) = SOCKET_ERROR WSAEINTR
8ms A.t2 closesocket(u) = 0
)");
  INFO(failures(r));
  CHECK(r.verdict() == Verdict::Pass);
}

TEST_CASE("UDP: close cancels a pending WSARecvFrom with 995 (C19)") {
  RunResult r = run_text(R"(0 A.main u = socket(udp, overlapped) = ok
0 A.main bind(u) = 0
0 A.main WSARecvFrom(u, 100, o1, apc) = WSA_IO_PENDING
1ms A.main closesocket(u) = 0
+0 expect o1 completes WSA_OPERATION_ABORTED via apc
+0 A.main SleepEx(0, 1) = WAIT_IO_COMPLETION
)");
  INFO(failures(r));
  CHECK(r.verdict() == Verdict::Pass);
  CHECK(r.rules.violations.empty());
}

TEST_CASE("shutdown ends a blocked UDP recvfrom only under the windows profile, a divergence (C36)") {
  const char* text = R"(0 A.main u = socket(udp) = ok
0 A.main bind(u) = 0
1us...* A.t1 recvfrom(u, 100) = ?
1ms A.main shutdown(u, SD_BOTH) = 0
2ms A.main closesocket(u) = 0
)";
  RunResult win = run_text(text, profile(ProfileKind::Windows));
  INFO(failures(win));
  CHECK(win.verdict() == Verdict::Pass);
  CHECK(messages(win, RuleId::R13).find("C36") != std::string::npos);
  CHECK(only_divergences(win));
  bool woken_at_1ms = false;
  for (const TraceRecord& rec : win.trace.records())
    if (rec.kind == RecordKind::ThreadWoken && rec.time == kMillisecond) woken_at_1ms = true;
  CHECK(woken_at_1ms);
  RunResult doc = run_text(text, profile(ProfileKind::Documented));
  INFO(failures(doc));
  CHECK(doc.verdict() == Verdict::Pass);  // woken by the close at 2ms instead
  CHECK(doc.rules.violations.empty());
}

TEST_CASE("ExitThread: the windows profile keeps the thread's I/O pending (C24), documented cancels") {
  const std::string base = R"(0 A.main s = socket(tcp, overlapped) = ok
0 A.main connect(s) = 0
0 A.main e = WSACreateEvent() = ok
1ms A.t1 WSARecv(s, 100, o1, event=e) = WSA_IO_PENDING
+0 A.t1 ExitThread() = 0
)";
  RunResult win = run_text(base + R"(2ms peer(s) send 12
3ms expect o1 completes 0 via event
)", profile(ProfileKind::Windows));
  INFO(failures(win));
  CHECK(win.verdict() == Verdict::Pass);
  CHECK(messages(win, RuleId::R4).find("C24") != std::string::npos);
  CHECK(only_divergences(win));
  RunResult doc = run_text(base + R"(+0 expect o1 completes WSA_OPERATION_ABORTED via event
)", profile(ProfileKind::Documented));
  INFO(failures(doc));
  CHECK(doc.verdict() == Verdict::Pass);
  CHECK(doc.rules.violations.empty());
}

TEST_CASE("WSAIoctl(SIO_ADDRESS_LIST_CHANGE) waits until the close aborts it (C23)") {
  RunResult r = run_text(R"(0 A.main s = socket(tcp) = ok
0 A.main WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, o1, apc) = WSA_IO_PENDING
1us...1ms A.t1 WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE) = SOCKET_ERROR WSAEINTR
1ms A.main closesocket(s) = 0
+0 expect o1 completes WSA_OPERATION_ABORTED via apc
)");
  INFO(failures(r));
  CHECK(r.verdict() == Verdict::Pass);
}

}  // namespace closesim
