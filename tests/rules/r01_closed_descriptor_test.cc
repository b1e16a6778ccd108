// R1 — A closed descriptor is dead.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

namespace {

// s = socket(tcp); connect(s); closesocket(s) = 0 at 1ms (nothing queued: FIN at once).
TraceBuilder closed_socket() {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1);
  b.at(1 * ms).close("A.main", s, 1, {.disconnect = [&] {
                                        b.fin_sent(1).socket_released(1, RuleId::R7);
                                      }});
  return b;
}

}  // namespace

TEST_CASE("R1 holds: calls on a closed descriptor, a second close included, fail WSAENOTSOCK") {
  TraceBuilder b = closed_socket();
  b.at(2 * ms).call("A.main", "recv", s, 0, -1, WSAENOTSOCK, 10);
  b.close_dead("A.main", s);
  CHECK_HOLDS(check(b, RuleId::R1));
}

TEST_CASE("R1 violated: a recv on a closed descriptor returns data") {
  TraceBuilder b = closed_socket();
  b.at(2 * ms).call_begin("A.main", "recv", s, 0, 10);
  const auto end = b.next_seq();
  b.call_end("A.main", "recv", s, 0, 10);
  auto f = check(b, RuleId::R1);
  CHECK_VIOLATED_AT(f, end);
  CHECK(f.failures()[0].message ==
        "recv(s) on the closed descriptor s returned 10 instead of failing with WSAENOTSOCK");
}

TEST_CASE("R1 violated: a second closesocket succeeds") {
  TraceBuilder b = closed_socket();
  b.at(2 * ms).call_begin("A.main", "closesocket", s, 0);
  const auto end = b.next_seq();
  b.call_end("A.main", "closesocket", s, 0, 0);
  CHECK_VIOLATED_AT(check(b, RuleId::R1), end);
}

TEST_CASE("R1 violated: a WSARecv on a closed descriptor goes pending") {
  TraceBuilder b = closed_socket();
  b.at(2 * ms).call_begin("A.main", "WSARecv", s, 0, 10);
  const auto issued = b.next_seq();
  b.op_issued("A.main", "o1", "WSARecv", s, 0, CompletionVia::Event)
      .call_end("A.main", "WSARecv", s, 0, -1, WSA_IO_PENDING);
  auto f = check(b, RuleId::R1);
  CHECK_VIOLATION_AT(f, issued);
}

TEST_CASE("R1 holds: after reuse the value names the new socket only") {
  TraceBuilder b = closed_socket();
  b.at(2 * ms).open_tcp("A.main", s, 2).send("A.main", s, 2, 100);
  CHECK_HOLDS(check(b, RuleId::R1));
}

TEST_CASE("R1 violated: a call on the reused value reaches the old socket") {
  TraceBuilder b = closed_socket();
  b.at(2 * ms).open_tcp("A.main", s, 2);
  const auto begin = b.next_seq();
  b.call_begin("A.main", "send", s, 1, 100).call_end("A.main", "send", s, 1, 100);
  auto f = check(b, RuleId::R1);
  CHECK_VIOLATED_AT(f, begin);
}

TEST_CASE("R1: WSANOTINITIALISED is accepted only while the process has no Winsock") {
  TraceBuilder b;
  b.open_tcp("C.main", s, 1);
  b.at(1 * ms).call_begin("C.main", "WSACleanup", 0, 0).cleanup_begin("C");
  b.refcount("C", s, 1, 0).rst_sent(1, RuleId::R14).socket_released(1, RuleId::R14);
  b.handle_released("C", s, 1).cleanup_end("C").call_end("C.main", "WSACleanup", 0, 0, 0);
  b.at(2 * ms).call("C.main", "recv", s, 0, -1, WSANOTINITIALISED, 10);
  CHECK_HOLDS(check(b, RuleId::R1));

  b.call("C.main", "WSAStartup", 0, 0, 0);
  b.call_begin("C.main", "recv", s, 0, 10);
  const auto end = b.next_seq();
  b.call_end("C.main", "recv", s, 0, -1, WSANOTINITIALISED);
  CHECK_VIOLATED_AT(check(b, RuleId::R1), end);
}

TEST_CASE("R1 violated: a send on the reused value queues its data on the old socket") {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1).send("A.main", s, 1, 5000);
  b.at(1 * ms).close("A.main", s, 1);  // still draining in the background
  b.open_tcp("A.main", s, 2);
  b.at(2 * ms).call_begin("A.main", "send", s, 2, 100);
  const auto queued = b.next_seq();
  b.data_queued(1, 100).call_end("A.main", "send", s, 2, 100);
  auto f = check(b, RuleId::R1);
  CHECK_VIOLATED_AT(f, queued);
  CHECK(f.failures()[0].message == "send(s) on the reused value s reached the old socket of peer(s)");
}

TEST_CASE("R1: CreateIoCompletionPort, not a Winsock call, may fail its own way") {
  TraceBuilder b = closed_socket();
  b.at(2 * ms).call("A.main", "CreateIoCompletionPort", s, 0, 0, 6);
  CHECK(check(b, RuleId::R1).failures().empty());
}

TEST_CASE("R1: a value reused by a layered provider's lower handle stays dead to the application") {
  TraceBuilder b;
  b.name("A", 0x14, 1, "s").open_layered_tcp("A.main", 0x14, 0x10, 1);
  b.at(1 * ms).call_begin("A.main", "closesocket", 0x14, 1).provider_close_begin("A", 0x14, 1, 1);
  b.provider_close_begin("A", 0x10, 1, 0).refcount("A", 0x14, 1, 0).fin_sent(1);
  b.socket_released(1, RuleId::R7).handle_released("A", 0x10, 1, HandleKind::File, 0);
  b.provider_close_end("A", 0x10, 1, 0, 0).handle_released("A", 0x14, 1, HandleKind::Wpu, 1);
  b.provider_close_end("A", 0x14, 1, 0, 1).call_end("A.main", "closesocket", 0x14, 1, 0);
  // The next socket's lower handle takes the application's old value 0x14.
  b.at(2 * ms).open_layered_tcp("A.main", 0x18, 0x14, 2);
  b.call("A.main", "send", 0x14, 0, -1, WSAENOTSOCK, 10);
  CHECK(check(b, RuleId::R1).failures().empty());
  b.call_begin("A.main", "recv", 0x14, 0, 10);
  const auto end = b.next_seq();
  b.call_end("A.main", "recv", 0x14, 0, 10);
  CHECK_VIOLATED_AT(check(b, RuleId::R1), end);
}

namespace {

// An IFS socket whose handle the application closed with CloseHandle at 1ms: the reference goes,
// the DLL's entry stays (C54).
TraceBuilder handle_closed_socket() {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1, {}, HandleKind::File);
  b.at(1 * ms).call_begin("A.main", "CloseHandle", s, 1);
  b.refcount("A", s, 1, 0).rst_sent(1, RuleId::R7).socket_released(1, RuleId::R7);
  b.call_end("A.main", "CloseHandle", s, 1, 1);
  return b;
}

}  // namespace

TEST_CASE("R1 holds: after CloseHandle, Winsock calls on the value fail WSAENOTSOCK (C54)") {
  TraceBuilder b = handle_closed_socket();
  b.at(2 * ms).call("A.main", "getsockopt", s, 0, -1, WSAENOTSOCK);
  b.call("A.main", "closesocket", s, 0, -1, WSAENOTSOCK);
  CHECK_HOLDS(check(b, RuleId::R1));
}

TEST_CASE("R1 violated: a closesocket after CloseHandle succeeds") {
  TraceBuilder b = handle_closed_socket();
  b.at(2 * ms).call_begin("A.main", "closesocket", s, 0);
  const auto end = b.next_seq();
  b.call_end("A.main", "closesocket", s, 0, 0);
  auto f = check(b, RuleId::R1);
  CHECK_VIOLATED_AT(f, end);
  CHECK(f.failures()[0].message ==
        "closesocket(s) on the closed descriptor s returned 0 instead of failing with WSAENOTSOCK");
}

TEST_CASE("R1: CloseHandle of a non-IFS socket's WPU handle leaves the descriptor alive") {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1);
  b.at(1 * ms).call("A.main", "CloseHandle", s, 1, 1);
  b.at(2 * ms).call("A.main", "getsockopt", s, 1, 0);
  auto f = check(b, RuleId::R1);
  CHECK(f.violations.empty());
  CHECK_FALSE(f.coverage.exercised);  // nothing was dead: R1 had nothing to judge
}
