// R12 — No FD_CLOSE for one's own close.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

namespace {

TraceBuilder selected() {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1).event_select("A.main", s, 1);
  b.network_event("A", s, 1, "FD_WRITE");
  return b;
}

}  // namespace

TEST_CASE("R12 holds: the close posts nothing for its own descriptor") {
  TraceBuilder b = selected();
  b.at(1 * ms).close("A.main", s, 1, {.disconnect = [&] {
                                        b.fin_sent(1).socket_released(1, RuleId::R7);
                                      }});
  b.at(2 * ms).peer_saw_fin(1);
  CHECK_HOLDS(check(b, RuleId::R12));
}

TEST_CASE("R12 holds: after a failed close the descriptor gets events again") {
  TraceBuilder b = selected();
  b.set_linger("A.main", s, 1, 1, 5).send("A.main", s, 1, 100);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.provider_close_end("A", s, 1, WSAEWOULDBLOCK).call_end("A.main", "closesocket", s, 1, -1,
                                                            WSAEWOULDBLOCK);
  b.at(2 * ms).local_saw_fin(1).network_event("A", s, 1, "FD_CLOSE");
  CHECK_HOLDS(check(b, RuleId::R12));
}

TEST_CASE("R12 violated: FD_CLOSE is posted for the descriptor being closed") {
  TraceBuilder b = selected();
  std::uint64_t event = 0;
  b.at(1 * ms).close("A.main", s, 1, {.aborts = [&] {
                                        event = b.next_seq();
                                        b.network_event("A", s, 1, "FD_CLOSE");
                                      },
                                      .disconnect = [&] {
                                        b.fin_sent(1).socket_released(1, RuleId::R7);
                                      }});
  auto f = check(b, RuleId::R12);
  CHECK_VIOLATED_AT(f, event);
  CHECK(f.failures()[0].message == "FD_CLOSE was posted for s after closesocket(s) was called");
}

TEST_CASE("R12 violated: a network event for a descriptor after its process's WSACleanup began") {
  TraceBuilder b = selected();
  b.at(1 * ms).call_begin("A.main", "WSACleanup", 0, 0).cleanup_begin("A");
  b.refcount("A", s, 1, 0);
  const auto event = b.next_seq();
  b.network_event("A", s, 1, "FD_CLOSE").rst_sent(1, RuleId::R14).socket_released(1, RuleId::R14);
  b.handle_released("A", s, 1).cleanup_end("A").call_end("A.main", "WSACleanup", 0, 0, 0);
  CHECK_VIOLATION_AT(check(b, RuleId::R12), event);
}
