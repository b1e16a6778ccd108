// R5 — Abort before release.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

namespace {

// closesocket(s) at 2ms that hands s back without touching o1, then `late` records.
void close_without_abort(TraceBuilder& b) {
  b.at(2 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).fin_sent(1).socket_released(1, RuleId::R7);
  b.handle_released("A", s, 1).provider_close_end("A", s, 1).call_end("A.main", "closesocket", s,
                                                                       1, 0);
}

}  // namespace

TEST_CASE("R5 holds: the pending op and the blocked call end before the release") {
  TraceBuilder b = pending_overlapped(CompletionVia::Event);
  b.call_begin("A.t2", "recv", s, 1, 10).blocked("A.t2", s, 1);
  b.at(2 * ms).close("A.main", s, 1, {.aborts = [&] {
                                        b.woken("A.t2", s, 1, RuleId::R2, WSAEINTR)
                                            .op_completed("A.main", "o1", s, 1, 995,
                                                          CompletionVia::Event, RuleId::R3)
                                            .event_signaled("o1");
                                      },
                                      .disconnect = [&] {
                                        b.fin_sent(1).socket_released(1, RuleId::R7);
                                      }});
  b.call_end("A.t2", "recv", s, 1, -1, WSAEINTR);
  CHECK_HOLDS(check(b, RuleId::R5));
}

TEST_CASE("R5 violated: a completion reaches the value after it was reused") {
  TraceBuilder b = pending_overlapped(CompletionVia::None);
  close_without_abort(b);
  b.at(3 * ms).open_tcp("A.main", s, 2);
  const auto late = b.next_seq();
  b.op_completed("A.main", "o1", s, 1, 995, CompletionVia::None, RuleId::R3);
  auto f = check(b, RuleId::R5);
  CHECK_VIOLATED_AT(f, late);
  CHECK(f.failures()[0].message == "o1 completed after its descriptor s was released and its "
                                   "value reused");
}

TEST_CASE("R5 violated: the event of an op completed in time is signalled after the release") {
  TraceBuilder b = pending_overlapped(CompletionVia::Event);
  b.at(2 * ms).close("A.main", s, 1, {.aborts = [&] {
                                        b.op_completed("A.main", "o1", s, 1, 995,
                                                       CompletionVia::Event, RuleId::R3);
                                      },
                                      .disconnect = [&] {
                                        b.fin_sent(1).socket_released(1, RuleId::R7);
                                      }});
  const auto late = b.next_seq();
  b.event_signaled("o1");
  CHECK_VIOLATED_AT(check(b, RuleId::R5), late);
}

TEST_CASE("R5 violated: a blocked recv is woken after the release") {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1);
  b.at(1 * ms).call_begin("A.t2", "recv", s, 1, 10).blocked("A.t2", s, 1);
  close_without_abort(b);
  const auto late = b.next_seq();
  b.woken("A.t2", s, 1, RuleId::R2, WSAEINTR).call_end("A.t2", "recv", s, 1, -1, WSAEINTR);
  CHECK_VIOLATED_AT(check(b, RuleId::R5), late);
}
