// R14 — Cleanup resets what is left.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

namespace {

constexpr Handle c = 0x10;

// C holds c (connected, overlapped, 10 bytes queued) with o1 pending via an event.
TraceBuilder holding() {
  TraceBuilder b;
  b.name("C", c, 1, "c").open_tcp("C.main", c, 1, {.overlapped = true}).send("C.main", c, 1, 10);
  b.call_begin("C.main", "WSARecv", c, 1, 64)
      .op_issued("C.main", "o1", "WSARecv", c, 1, CompletionVia::Event)
      .call_end("C.main", "WSARecv", c, 1, -1, WSA_IO_PENDING);
  return b;
}

void abort_o1(TraceBuilder& b) {
  b.op_completed("C.main", "o1", c, 1, WSA_OPERATION_ABORTED, CompletionVia::None, RuleId::R14);
}

void reset_c(TraceBuilder& b) {
  b.refcount("C", c, 1, 0).data_discarded(1, 10).rst_sent(1, RuleId::R14).socket_released(
      1, RuleId::R14);
}

}  // namespace

TEST_CASE("R14 holds: abort without completion action, RST, release; drains elsewhere go on") {
  TraceBuilder b = holding();
  // C also closed an earlier socket whose data is still draining.
  b.name("C", 0x14, 2, "old").open_tcp("C.main", 0x14, 2).send("C.main", 0x14, 2, 3000);
  b.close("C.main", 0x14, 2);
  b.at(1 * ms).call_begin("C.main", "WSACleanup", 0, 0).cleanup_begin("C");
  abort_o1(b);
  reset_c(b);
  b.handle_released("C", c, 1).cleanup_end("C").call_end("C.main", "WSACleanup", 0, 0, 0);
  b.at(2 * ms).call("C.main", "recv", c, 0, -1, WSANOTINITIALISED, 10);
  b.transmit(2, 3000).fin_sent(2).at(3 * ms).socket_released(2, RuleId::R7);
  auto f = check(b, RuleId::R14);
  CHECK_HOLDS(f);
  CHECK(check_rules(b.trace(), {}).violations.empty());
}

TEST_CASE("R14: a socket another process still holds is not reset") {
  TraceBuilder b = holding();
  b.name("D", 0x20, 1, "d").duplicate("D.main", 0x20, 1, 2);
  b.at(1 * ms).call_begin("C.main", "WSACleanup", 0, 0).cleanup_begin("C");
  abort_o1(b);
  b.refcount("C", c, 1, 1);
  SUBCASE("holds") {
    b.handle_released("C", c, 1).cleanup_end("C").call_end("C.main", "WSACleanup", 0, 0, 0);
    CHECK_HOLDS(check(b, RuleId::R14));
  }
  SUBCASE("violated") {
    const auto rst = b.next_seq();
    b.rst_sent(1, RuleId::R14).handle_released("C", c, 1).cleanup_end("C");
    b.call_end("C.main", "WSACleanup", 0, 0, 0);
    CHECK_VIOLATED_AT(check(b, RuleId::R14), rst);
  }
}

TEST_CASE("R14 violated: the op aborted by cleanup still signals its event") {
  TraceBuilder b = holding();
  b.at(1 * ms).call_begin("C.main", "WSACleanup", 0, 0).cleanup_begin("C");
  abort_o1(b);
  const auto signalled = b.next_seq();
  b.event_signaled("o1");
  reset_c(b);
  b.handle_released("C", c, 1).cleanup_end("C").call_end("C.main", "WSACleanup", 0, 0, 0);
  auto f = check(b, RuleId::R14);
  CHECK_VIOLATED_AT(f, signalled);
  CHECK(f.failures()[0].message == "EventSignaled fired for o1, which WSACleanup aborted; cleanup "
                                   "aborts without a completion action");
}

TEST_CASE("R14 violated: a descriptor is still open when cleanup ends") {
  TraceBuilder b = holding();
  b.at(1 * ms).call_begin("C.main", "WSACleanup", 0, 0).cleanup_begin("C");
  abort_o1(b);
  reset_c(b);
  const auto end = b.next_seq();
  b.cleanup_end("C").call_end("C.main", "WSACleanup", 0, 0, 0);
  CHECK_VIOLATED_AT(check(b, RuleId::R14), end);
}

TEST_CASE("R14 violated: cleanup ends the connection with FIN, not RST") {
  TraceBuilder b = holding();
  b.at(1 * ms).call_begin("C.main", "WSACleanup", 0, 0).cleanup_begin("C");
  abort_o1(b);
  b.refcount("C", c, 1, 0).transmit(1, 10);
  const auto fin = b.next_seq();
  b.fin_sent(1, RuleId::R14).socket_released(1, RuleId::R14);
  b.handle_released("C", c, 1);
  const auto end = b.next_seq();
  b.cleanup_end("C").call_end("C.main", "WSACleanup", 0, 0, 0);
  auto f = check(b, RuleId::R14);
  CHECK_VIOLATION_AT(f, fin);
  CHECK_VIOLATION_AT(f, end);  // ... and left without a reset
}

TEST_CASE("R14 violated: cleanup resets a socket closed earlier that is still draining") {
  TraceBuilder b;
  b.name("C", 0x14, 2, "old").open_tcp("C.main", 0x14, 2).send("C.main", 0x14, 2, 3000);
  b.close("C.main", 0x14, 2);
  b.at(1 * ms).call_begin("C.main", "WSACleanup", 0, 0).cleanup_begin("C");
  b.data_discarded(2, 3000);
  const auto rst = b.next_seq();
  b.rst_sent(2, RuleId::R14).socket_released(2, RuleId::R14);
  b.cleanup_end("C").call_end("C.main", "WSACleanup", 0, 0, 0);
  auto f = check(b, RuleId::R14);
  CHECK_VIOLATED_AT(f, rst - 1);  // the discard is the first sign
}

TEST_CASE("R14 violated: a call on an old descriptor after cleanup succeeds") {
  TraceBuilder b = holding();
  b.at(1 * ms).call_begin("C.main", "WSACleanup", 0, 0).cleanup_begin("C");
  abort_o1(b);
  reset_c(b);
  b.handle_released("C", c, 1).cleanup_end("C").call_end("C.main", "WSACleanup", 0, 0, 0);
  b.at(2 * ms).call_begin("C.main", "send", c, 0, 10);
  const auto end = b.next_seq();
  b.call_end("C.main", "send", c, 0, 10);
  CHECK_VIOLATED_AT(check(b, RuleId::R14), end);
}

TEST_CASE("R14: a descriptor in a lingering close is left to that close") {
  TraceBuilder b;
  b.name("C", c, 1, "c").open_tcp("C.main", c, 1).set_linger("C.main", c, 1, 1, 2);
  b.send("C.main", c, 1, 100);
  b.at(1 * ms).call_begin("C.main", "closesocket", c, 1).provider_close_begin("C", c, 1);
  b.refcount("C", c, 1, 0).blocked("C.main", c, 1, "linger");
  b.call_begin("C.t2", "WSACleanup", 0, 0).cleanup_begin("C").cleanup_end("C");
  b.call_end("C.t2", "WSACleanup", 0, 0, 0);
  b.at(3 * ms).transmit(1, 100).fin_sent(1, RuleId::R9).woken("C.main", c, 1, RuleId::R9, 0);
  b.socket_released(1, RuleId::R9).handle_released("C", c, 1).provider_close_end("C", c, 1);
  b.call_end("C.main", "closesocket", c, 1, 0);
  auto f = check(b, RuleId::R14);
  CHECK_HOLDS(f);
  CHECK(f.report.violations.empty());
}

TEST_CASE("R14: 1236 for a cleanup's abort of a connected TCP WSARecv diverges under windows") {
  TraceBuilder b = holding();
  b.at(1 * ms).call_begin("C.main", "WSACleanup", 0, 0).cleanup_begin("C");
  const auto aborted = b.next_seq();
  b.op_completed("C.main", "o1", c, 1, ERROR_CONNECTION_ABORTED, CompletionVia::None, RuleId::R14);
  reset_c(b);
  b.handle_released("C", c, 1).cleanup_end("C").call_end("C.main", "WSACleanup", 0, 0, 0);
  CHECK_DIVERGES_AT(check(b, RuleId::R14, ProfileKind::Windows), aborted);
  CHECK_VIOLATED_AT(check(b, RuleId::R14), aborted);
}
