// R3 — Close aborts pending overlapped operations, and still performs their completion action.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

TEST_CASE("R3 holds: each pending op is aborted with 995 through its own completion action") {
  SUBCASE("event") {
    TraceBuilder b = pending_overlapped(CompletionVia::Event);
    b.at(2 * ms).close("A.main", s, 1, {.aborts = [&] {
                                          b.op_completed("A.main", "o1", s, 1, 995,
                                                         CompletionVia::Event, RuleId::R3)
                                              .event_signaled("o1");
                                        },
                                        .disconnect = [&] { fin_and_release(b); }});
    CHECK_HOLDS(check(b, RuleId::R3));
  }
  SUBCASE("apc, queued to the issuing thread") {
    TraceBuilder b = pending_overlapped(CompletionVia::Apc);
    b.at(2 * ms).close("A.t9", s, 1, {.aborts = [&] {
                                        b.op_completed("A.main", "o1", s, 1, 995,
                                                       CompletionVia::Apc, RuleId::R3)
                                            .apc_queued("A.main", "o1");
                                      },
                                      .disconnect = [&] { fin_and_release(b); }});
    CHECK_HOLDS(check(b, RuleId::R3));
  }
  SUBCASE("port, with the completion after close returned but before the hand-back") {
    TraceBuilder b = pending_overlapped(CompletionVia::Port);
    b.at(2 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
    b.refcount("A", s, 1, 0);
    fin_and_release(b);
    b.provider_close_end("A", s, 1).call_end("A.main", "closesocket", s, 1, 0);
    b.at(3 * ms).op_completed("A.main", "o1", s, 1, 995, CompletionVia::Port, RuleId::R3);
    b.port_posted("o1").handle_released("A", s, 1);
    CHECK_HOLDS(check(b, RuleId::R3));
  }
}

TEST_CASE("R3 violated: the op completes with another status") {
  TraceBuilder b = pending_overlapped(CompletionVia::Event);
  std::uint64_t done = 0;
  b.at(2 * ms).close("A.main", s, 1, {.aborts = [&] {
                                        done = b.next_seq();
                                        b.op_completed("A.main", "o1", s, 1, 0,
                                                       CompletionVia::Event, RuleId::R3)
                                            .event_signaled("o1");
                                      },
                                      .disconnect = [&] { fin_and_release(b); }});
  CHECK_VIOLATED_AT(check(b, RuleId::R3), done);
}

TEST_CASE("R3 violated: the abort completes through another completion action") {
  TraceBuilder b = pending_overlapped(CompletionVia::Event);
  std::uint64_t done = 0;
  b.at(2 * ms).close("A.main", s, 1, {.aborts = [&] {
                                        done = b.next_seq();
                                        b.op_completed("A.main", "o1", s, 1, 995,
                                                       CompletionVia::None, RuleId::R3);
                                      },
                                      .disconnect = [&] { fin_and_release(b); }});
  CHECK_VIOLATED_AT(check(b, RuleId::R3), done);
}

TEST_CASE("R3 violated: the completion routine is queued to another thread") {
  TraceBuilder b = pending_overlapped(CompletionVia::Apc);
  std::uint64_t queued = 0;
  b.at(2 * ms).close("A.t9", s, 1, {.aborts = [&] {
                                      b.op_completed("A.main", "o1", s, 1, 995, CompletionVia::Apc,
                                                     RuleId::R3);
                                      queued = b.next_seq();
                                      b.apc_queued("A.t9", "o1");
                                    },
                                    .disconnect = [&] { fin_and_release(b); }});
  CHECK_VIOLATED_AT(check(b, RuleId::R3), queued);
}

TEST_CASE("R3 violated: the event of an aborted op is never signalled") {
  TraceBuilder b = pending_overlapped(CompletionVia::Event);
  b.at(2 * ms).close("A.main", s, 1, {.aborts = [&] {
                                        b.op_completed("A.main", "o1", s, 1, 995,
                                                       CompletionVia::Event, RuleId::R3);
                                      },
                                      .disconnect = [&] { fin_and_release(b); }});
  CHECK_VIOLATED_AT(check(b, RuleId::R3), b.last_seq());
}

TEST_CASE("R3 violated: the handle is handed back with the op still pending") {
  TraceBuilder b = pending_overlapped(CompletionVia::Event);
  b.at(2 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0);
  fin_and_release(b);
  const auto released = b.next_seq();
  b.handle_released("A", s, 1).provider_close_end("A", s, 1).call_end("A.main", "closesocket", s,
                                                                       1, 0);
  auto f = check(b, RuleId::R3);
  CHECK_VIOLATED_AT(f, released);
  CHECK(f.failures()[0].message ==
        "WPUCloseSocketHandle(s) released the handle while o1 was still pending");
}

TEST_CASE("R3: ERROR_CONNECTION_ABORTED for a connected TCP WSARecv diverges under windows") {
  TraceBuilder b = pending_overlapped(CompletionVia::Event);
  std::uint64_t done = 0;
  b.at(2 * ms).close("A.main", s, 1, {.aborts = [&] {
                                        done = b.next_seq();
                                        b.op_completed("A.main", "o1", s, 1,
                                                       ERROR_CONNECTION_ABORTED,
                                                       CompletionVia::Event, RuleId::R3)
                                            .event_signaled("o1");
                                      },
                                      .disconnect = [&] { fin_and_release(b); }});
  CHECK_DIVERGES_AT(check(b, RuleId::R3, ProfileKind::Windows), done);
  CHECK_VIOLATED_AT(check(b, RuleId::R3), done);
}

TEST_CASE("R3: ops issued through a duplicate are not this close's business") {
  TraceBuilder b;
  b.name("A", s, 1, "s").name("B", 0x20, 1, "d");
  b.open_tcp("A.main", s, 1, {.overlapped = true}).duplicate("B.main", 0x20, 1, 2);
  b.at(1 * ms).call_begin("B.main", "WSARecv", 0x20, 1, 10)
      .op_issued("B.main", "o2", "WSARecv", 0x20, 1, CompletionVia::Event)
      .call_end("B.main", "WSARecv", 0x20, 1, -1, WSA_IO_PENDING);
  b.call_begin("A.main", "WSARecv", s, 1, 10)
      .op_issued("A.main", "o1", "WSARecv", s, 1, CompletionVia::Event)
      .call_end("A.main", "WSARecv", s, 1, -1, WSA_IO_PENDING);
  SUBCASE("closing s aborts o1 only") {
    b.at(2 * ms).close("A.main", s, 1, {.refs_left = 1, .aborts = [&] {
                                          b.op_completed("A.main", "o1", s, 1, 995,
                                                         CompletionVia::Event, RuleId::R3)
                                              .event_signaled("o1");
                                        }});
    CHECK_HOLDS(check(b, RuleId::R3));
  }
  SUBCASE("closing d without aborting o2: a divergence under windows, a violation otherwise") {
    b.at(2 * ms).call_begin("B.main", "closesocket", 0x20, 1).provider_close_begin("B", 0x20, 1);
    b.refcount("B", 0x20, 1, 1);
    const auto released = b.next_seq();
    b.handle_released("B", 0x20, 1).provider_close_end("B", 0x20, 1);
    b.call_end("B.main", "closesocket", 0x20, 1, 0);
    CHECK_DIVERGES_AT(check(b, RuleId::R3, ProfileKind::Windows), released);
    CHECK_VIOLATED_AT(check(b, RuleId::R3), released);
    // Windows cancels o2 at the last close; R4 and R5 accept its late completion there.
    b.at(3 * ms).close("A.main", s, 1, {.aborts = [&] {
                                          b.op_completed("A.main", "o1", s, 1, 995,
                                                         CompletionVia::Event, RuleId::R3)
                                              .event_signaled("o1")
                                              .op_completed("B.main", "o2", 0x20, 1, 995,
                                                            CompletionVia::Event, RuleId::R3)
                                              .event_signaled("o2");
                                        },
                                        .disconnect = [&] { fin_and_release(b); }});
    auto windows = check(b, RuleId::R3, ProfileKind::Windows);
    CHECK(windows.failures().empty());
    CHECK(check(b, RuleId::R4, ProfileKind::Windows).failures().empty());
    CHECK(check(b, RuleId::R5, ProfileKind::Windows).failures().empty());
    CHECK(check(b, RuleId::R11, ProfileKind::Windows).failures().empty());
  }
}

TEST_CASE("R3 violated: closing s aborts an op issued through a duplicate that stays open") {
  TraceBuilder b;
  b.name("A", s, 1, "s").name("A", 0x14, 1, "d");
  b.open_tcp("A.main", s, 1, {.overlapped = true}).duplicate("A.main", 0x14, 1, 2);
  b.at(1 * ms).call_begin("A.main", "WSARecv", 0x14, 1, 10)
      .op_issued("A.main", "o2", "WSARecv", 0x14, 1, CompletionVia::None)
      .call_end("A.main", "WSARecv", 0x14, 1, -1, WSA_IO_PENDING);
  std::uint64_t aborted = 0;
  b.at(2 * ms).close("A.main", s, 1, {.refs_left = 1, .aborts = [&] {
                                        aborted = b.next_seq();
                                        b.op_completed("A.main", "o2", 0x14, 1, 995,
                                                       CompletionVia::None, RuleId::R3);
                                      }});
  auto f = check(b, RuleId::R3);
  CHECK_VIOLATED_AT(f, aborted);
  CHECK(f.failures()[0].message == "closesocket(s) aborted o2, issued through d, which stays open");
}

TEST_CASE("R3: an op that completes normally before the provider's close began was not aborted") {
  TraceBuilder b = pending_overlapped(CompletionVia::Event);
  b.at(2 * ms).call_begin("A.main", "closesocket", s, 1);
  b.local_received(1, 100).op_completed("A.main", "o1", s, 1, 0, CompletionVia::Event,
                                        RuleId::None, 100);
  b.event_signaled("o1").provider_close_begin("A", s, 1).refcount("A", s, 1, 0);
  fin_and_release(b);
  b.handle_released("A", s, 1).provider_close_end("A", s, 1);
  b.call_end("A.main", "closesocket", s, 1, 0);
  CHECK(check(b, RuleId::R3).violations.empty());
}

namespace {

// As pending(), on an IFS socket (its descriptor is the provider's file handle).
TraceBuilder pending_on_file_handle() {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1, {.overlapped = true}, HandleKind::File);
  b.at(1 * ms).call_begin("A.main", "WSARecv", s, 1, 100)
      .op_issued("A.main", "o1", "WSARecv", s, 1, CompletionVia::Event)
      .call_end("A.main", "WSARecv", s, 1, -1, WSA_IO_PENDING);
  return b;
}

}  // namespace

TEST_CASE("R3 counts a CloseHandle of the last handle: it aborts what is pending (C15)") {
  SUBCASE("aborted with 995 through the event: holds") {
    TraceBuilder b = pending_on_file_handle();
    b.at(2 * ms).call_begin("A.main", "CloseHandle", s, 1);
    b.op_completed("A.main", "o1", s, 1, 995, CompletionVia::Event, RuleId::R3).event_signaled("o1");
    b.refcount("A", s, 1, 0).fin_sent(1).socket_released(1, RuleId::R7);
    b.call_end("A.main", "CloseHandle", s, 1, 1);
    CHECK_HOLDS(check(b, RuleId::R3));
  }
  SUBCASE("left pending: violated") {
    TraceBuilder b = pending_on_file_handle();
    b.at(2 * ms).call_begin("A.main", "CloseHandle", s, 1);
    b.refcount("A", s, 1, 0).fin_sent(1).socket_released(1, RuleId::R7);
    b.call_end("A.main", "CloseHandle", s, 1, 1);
    auto f = check(b, RuleId::R3);
    REQUIRE(f.failures().size() == 1);
    CHECK(f.failures()[0].message ==
          "o1 pending on s was never aborted after CloseHandle(s) succeeded");
  }
}
