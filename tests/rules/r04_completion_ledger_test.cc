// R4 — Every operation completes exactly once.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

TEST_CASE("R4 holds: issued, completed once, its routine run once on its thread") {
  TraceBuilder b = pending_overlapped(CompletionVia::Apc);
  b.at(2 * ms).local_received(1, 100);
  b.op_completed("A.main", "o1", s, 1, 0, CompletionVia::Apc, RuleId::None, 100);
  b.apc_queued("A.main", "o1");
  b.call_begin("A.main", "SleepEx", 0, 0, -1).apc_ran("A.main", "o1");
  b.call_end("A.main", "SleepEx", 0, 0, 192);
  CHECK_HOLDS(check(b, RuleId::R4));
}

TEST_CASE("R4 holds: an op still pending on an open descriptor when the run ends") {
  TraceBuilder b = pending_overlapped(CompletionVia::Event);
  CHECK_HOLDS(check(b, RuleId::R4));
}

TEST_CASE("R4 violated: an op completes twice") {
  TraceBuilder b = pending_overlapped(CompletionVia::None);
  b.at(2 * ms).op_completed("A.main", "o1", s, 1, 0, CompletionVia::None);
  const auto second = b.next_seq();
  b.op_completed("A.main", "o1", s, 1, 0, CompletionVia::None);
  auto f = check(b, RuleId::R4);
  CHECK_VIOLATED_AT(f, second);
  CHECK(f.failures()[0].message == "o1 completed a second time (first at 2ms)");
}

TEST_CASE("R4 violated: an op never completes though its descriptor was released") {
  TraceBuilder b = pending_overlapped(CompletionVia::None);
  b.at(2 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).fin_sent(1).socket_released(1, RuleId::R7);
  b.handle_released("A", s, 1).provider_close_end("A", s, 1).call_end("A.main", "closesocket", s,
                                                                       1, 0);
  b.at(5 * ms).call("A.main", "SleepEx", 0, 0, 0, 0, 10);
  auto f = check(b, RuleId::R4);
  CHECK_VIOLATED_AT(f, b.last_seq());
}

TEST_CASE("R4 violated: an op completes after its descriptor was released") {
  TraceBuilder b = pending_overlapped(CompletionVia::None);
  b.at(2 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).fin_sent(1).socket_released(1, RuleId::R7);
  b.handle_released("A", s, 1).provider_close_end("A", s, 1).call_end("A.main", "closesocket", s,
                                                                       1, 0);
  const auto late = b.next_seq();
  b.op_completed("A.main", "o1", s, 1, 995, CompletionVia::None, RuleId::R3);
  CHECK_VIOLATED_AT(check(b, RuleId::R4), late);
}

TEST_CASE("R4 violated: a completion routine runs twice") {
  TraceBuilder b = pending_overlapped(CompletionVia::Apc);
  b.at(2 * ms).op_completed("A.main", "o1", s, 1, 0, CompletionVia::Apc).apc_queued("A.main", "o1");
  b.apc_ran("A.main", "o1");
  const auto again = b.next_seq();
  b.apc_ran("A.main", "o1");
  CHECK_VIOLATED_AT(check(b, RuleId::R4), again);
}

TEST_CASE("R4 violated: a completion packet is dequeued twice") {
  TraceBuilder b = pending_overlapped(CompletionVia::Port);
  b.at(2 * ms).op_completed("A.main", "o1", s, 1, 0, CompletionVia::Port).port_posted("o1");
  b.port_dequeued("A.main", "o1");
  const auto again = b.next_seq();
  b.port_dequeued("A.main", "o1");
  CHECK_VIOLATED_AT(check(b, RuleId::R4), again);
}
