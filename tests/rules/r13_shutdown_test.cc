// R13 — Shutdown is not close.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

namespace {

TraceBuilder queued_500() {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1).send("A.main", s, 1, 500);
  return b;
}

}  // namespace

TEST_CASE("R13 holds: after SD_SEND sends fail, FIN follows the data, and close is still needed") {
  TraceBuilder b = queued_500();
  b.at(1 * ms).shutdown("A.main", s, 1, 1);
  b.call("A.main", "send", s, 1, -1, WSAESHUTDOWN, 10);
  b.transmit(1, 500).fin_sent(1, RuleId::R13);
  b.at(2 * ms).call("A.main", "recv", s, 1, 0, 0, 10);  // receiving still works
  b.at(3 * ms).close("A.main", s, 1, {.disconnect = [&] { b.socket_released(1, RuleId::R7); }});
  CHECK_HOLDS(check(b, RuleId::R13));
}

TEST_CASE("R13 violated: a send after shutdown(SD_SEND) succeeds") {
  TraceBuilder b = queued_500();
  b.at(1 * ms).shutdown("A.main", s, 1, 2);
  b.call_begin("A.main", "send", s, 1, 10);
  const auto end = b.next_seq();
  b.call_end("A.main", "send", s, 1, 10);
  auto f = check(b, RuleId::R13);
  CHECK_VIOLATED_AT(f, end);
  CHECK(f.failures()[0].message ==
        "send(s) after shutdown(s, SD_BOTH) returned 10 instead of failing with WSAESHUTDOWN");
}

TEST_CASE("R13 violated: a recv after shutdown(SD_RECEIVE) returns data") {
  TraceBuilder b = queued_500();
  b.at(1 * ms).shutdown("A.main", s, 1, 0).local_received(1, 10);
  b.call_begin("A.main", "recv", s, 1, 10);
  const auto end = b.next_seq();
  b.call_end("A.main", "recv", s, 1, 10);
  CHECK_VIOLATED_AT(check(b, RuleId::R13), end);
}

TEST_CASE("R13 violated: shutdown releases the descriptor") {
  TraceBuilder b = queued_500();
  b.at(1 * ms).call_begin("A.main", "shutdown", s, 1, 1).fin_sent(1, RuleId::R13);
  b.call_end("A.main", "shutdown", s, 1, 0);
  const auto released = b.next_seq();
  b.handle_released("A", s, 1);
  CHECK_VIOLATION_AT(check(b, RuleId::R13), released);
}

TEST_CASE("R13 violated: FIN leaves before the queued data") {
  TraceBuilder b = queued_500();
  b.at(1 * ms).shutdown("A.main", s, 1, 1);
  const auto fin = b.next_seq();
  b.fin_sent(1, RuleId::R13);
  b.transmit(1, 500);
  auto f = check(b, RuleId::R13);
  CHECK_VIOLATION_AT(f, fin);
}

TEST_CASE("R13 violated: FIN never follows the data") {
  TraceBuilder b = queued_500();
  b.at(1 * ms).shutdown("A.main", s, 1, 1);
  b.transmit(1, 500);
  CHECK_VIOLATED_AT(check(b, RuleId::R13), b.last_seq());
}

TEST_CASE("R13: shutdown belongs to the socket; a send through a duplicate fails too") {
  TraceBuilder b = queued_500();
  b.name("B", 0x20, 1, "d").duplicate("B.main", 0x20, 1, 2);
  b.at(1 * ms).shutdown("A.main", s, 1, 1);
  b.call_begin("B.main", "send", 0x20, 1, 10);
  const auto end = b.next_seq();
  b.call_end("B.main", "send", 0x20, 1, 10);
  CHECK_VIOLATED_AT(check(b, RuleId::R13), end);
}

TEST_CASE("R13 violated: the descriptor is released inside the shutdown call itself") {
  TraceBuilder b = queued_500();
  b.at(1 * ms).call_begin("A.main", "shutdown", s, 1, 0);
  const auto released = b.next_seq();
  b.handle_released("A", s, 1);
  b.call_end("A.main", "shutdown", s, 1, 0);
  auto f = check(b, RuleId::R13);
  CHECK_VIOLATION_AT(f, released);
  CHECK(f.failures()[0].message ==
        "WPUCloseSocketHandle(s) released s while shutdown(s, SD_RECEIVE) was still in progress: "
        "shutdown must leave the descriptor open");
}
