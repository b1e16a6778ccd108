// CancelIo / CancelIoEx complete an operation outside any close: R3 and R4 count it as
// completed, so a later close has nothing left to abort, and a second completion is still R4's.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

namespace {

// s connected and overlapped; o1 pending with an event, then cancelled by CancelIoEx at 1ms.
TraceBuilder cancelled() {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1, {.overlapped = true});
  b.call_begin("A.main", "WSARecv", s, 1, 100)
      .op_issued("A.main", "o1", "WSARecv", s, 1, CompletionVia::Event)
      .call_end("A.main", "WSARecv", s, 1, -1, WSA_IO_PENDING);
  b.at(1 * ms).call_begin("A.main", "CancelIoEx", s, 1);
  b.op_completed("A.main", "o1", s, 1, WSA_OPERATION_ABORTED, CompletionVia::Event);
  b.event_signaled("o1");
  b.call_end("A.main", "CancelIoEx", s, 1, 1);
  return b;
}

}  // namespace

TEST_CASE("a cancelled operation is completed: the later close aborts nothing and R3, R4 hold") {
  TraceBuilder b = cancelled();
  b.at(2 * ms).close("A.main", s, 1, {.disconnect = [&] { b.fin_sent(1, RuleId::R7); }});
  CHECK(check(b, RuleId::R3).failures().empty());
  CHECK_HOLDS(check(b, RuleId::R4));
}

TEST_CASE("a cancelled operation completed again by the close breaks R4") {
  TraceBuilder b = cancelled();
  b.at(2 * ms);
  const std::uint64_t again = b.next_seq() + 2;  // CallBegin, ProviderCloseBegin, then this
  b.close("A.main", s, 1, {.aborts = [&] {
                             b.op_completed("A.main", "o1", s, 1, WSA_OPERATION_ABORTED,
                                            CompletionVia::Event, RuleId::R3);
                           },
                           .disconnect = [&] { b.fin_sent(1, RuleId::R7); }});
  CHECK_VIOLATION_AT(check(b, RuleId::R4), again);
}
