// The checker as a whole: formatting, the report's shape, and a long run in which a correct model
// exercises every rule without breaking any.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

namespace {

// A run of a correct non-IFS provider that exercises all fourteen rules, written as the model
// records it (docs/trace.md).
TraceBuilder valid_run() {
  TraceBuilder b;
  constexpr Handle s = 0x10, d = 0x20, u = 0x14, v = 0x18, w = 0x1c, e = 0x24, c = 0x10;
  b.name("A", s, 1, "s").name("B", d, 1, "d").name("A", u, 3, "u").name("A", v, 4, "v");
  b.name("A", w, 5, "w").name("A", e, 6, "e").name("C", c, 7, "c");

  // s: shared with B, a blocked recv and two overlapped receives pending when A closes it.
  b.at(0).open_tcp("A.main", s, 1, {.overlapped = true}).send("A.main", s, 1, 4096);
  b.at(1 * ms).call_begin("A.t2", "recv", s, 1, 1024).blocked("A.t2", s, 1);
  b.call_begin("A.main", "WSARecv", s, 1, 1024)
      .op_issued("A.main", "o1", "WSARecv", s, 1, CompletionVia::Event)
      .call_end("A.main", "WSARecv", s, 1, -1, WSA_IO_PENDING);
  b.call_begin("A.main", "WSARecv", s, 1, 1024)
      .op_issued("A.main", "o2", "WSARecv", s, 1, CompletionVia::Apc)
      .call_end("A.main", "WSARecv", s, 1, -1, WSA_IO_PENDING);
  b.at(2 * ms).call("A.main", "WSADuplicateSocket", s, 1, 0);
  b.duplicate("B.main", d, 1, 2);
  b.at(3 * ms).close("B.main", d, 1, {.refs_left = 1});
  b.at(4 * ms).close("A.main", s, 1,
                     {.aborts = [&] {
                        b.woken("A.t2", s, 1, RuleId::R2, WSAEINTR)
                            .op_completed("A.main", "o1", s, 1, WSA_OPERATION_ABORTED,
                                          CompletionVia::Event, RuleId::R3)
                            .event_signaled("o1")
                            .op_completed("A.main", "o2", s, 1, WSA_OPERATION_ABORTED,
                                          CompletionVia::Apc, RuleId::R3)
                            .apc_queued("A.main", "o2");
                      }});
  b.call_end("A.t2", "recv", s, 1, -1, WSAEINTR);
  b.at(5 * ms).call_begin("A.main", "SleepEx", 0, 0, -1).apc_ran("A.main", "o2");
  b.call_end("A.main", "SleepEx", 0, 0, 192);
  // The background drain of s after its close (R7).
  b.data_sent(1, 4096).fin_sent(1, RuleId::R7);
  b.at(6 * ms).peer_received(1, 4096).peer_saw_fin(1);
  b.at(7 * ms).data_acked(1, 4096).socket_released(1, RuleId::R7);
  // The dead value, then reused by a hard-closed socket (R1, R8).
  b.at(8 * ms).call("A.main", "recv", s, 0, -1, WSAENOTSOCK, 1024);
  b.at(9 * ms).open_tcp("A.main", s, 2).set_linger("A.main", s, 2, 1, 0).send("A.main", s, 2, 1000);
  b.close("A.main", s, 2, {.disconnect = [&] {
                             b.data_discarded(2, 1000).rst_sent(2, RuleId::R8).socket_released(
                                 2, RuleId::R8);
                           }});
  b.at(10 * ms).peer_saw_rst(2);
  // u: linger {1,2} on a blocking socket, drained within the timeout (R9).
  b.at(11 * ms).open_tcp("A.main", u, 3).set_linger("A.main", u, 3, 1, 2).send("A.main", u, 3, 2000);
  b.call_begin("A.main", "closesocket", u, 3).provider_close_begin("A", u, 3).refcount("A", u, 3, 0);
  b.linger_timer_started("A", u, 3, 11 * ms + 2 * kSecond).blocked("A.main", u, 3, "linger");
  b.data_sent(3, 2000).at(12 * ms).peer_received(3, 2000);
  b.at(13 * ms).data_acked(3, 2000).fin_sent(3, RuleId::R9).woken("A.main", u, 3, RuleId::R9, 0);
  b.socket_released(3, RuleId::R9).handle_released("A", u, 3).provider_close_end("A", u, 3);
  b.call_end("A.main", "closesocket", u, 3, 0);
  // v: linger {1,5} on a non-blocking socket: WSAEWOULDBLOCK, then success once drained (R10).
  b.at(20 * ms).open_tcp("A.main", v, 4, {.nonblocking = true}).set_linger("A.main", v, 4, 1, 5);
  b.send("A.main", v, 4, 500);
  b.call_begin("A.main", "closesocket", v, 4).provider_close_begin("A", v, 4);
  b.provider_close_end("A", v, 4, WSAEWOULDBLOCK).call_end("A.main", "closesocket", v, 4, -1,
                                                           WSAEWOULDBLOCK);
  b.at(21 * ms).transmit(4, 500);
  b.at(22 * ms).close("A.main", v, 4, {.disconnect = [&] {
                                         b.fin_sent(4, RuleId::R10).socket_released(4, RuleId::R7);
                                       }});
  // w: shutdown(SD_SEND), then a send fails, then the close (R13).
  b.at(30 * ms).open_tcp("A.main", w, 5).send("A.main", w, 5, 300).shutdown("A.main", w, 5, 1);
  b.transmit(5, 300).fin_sent(5, RuleId::R13);
  b.call("A.main", "send", w, 5, -1, WSAESHUTDOWN, 10);
  b.close("A.main", w, 5, {.disconnect = [&] { b.socket_released(5, RuleId::R7); }});
  // e: event-selected; its own close posts nothing (R12).
  b.at(31 * ms).open_tcp("A.main", e, 6).event_select("A.main", e, 6).network_event("A", e, 6,
                                                                                    "FD_READ");
  b.close("A.main", e, 6, {.disconnect = [&] {
                             b.fin_sent(6, RuleId::R7).socket_released(6, RuleId::R7);
                           }});
  // C: WSACleanup with an operation pending and a connection open (R14).
  b.at(40 * ms).open_tcp("C.main", c, 7, {.overlapped = true}).send("C.main", c, 7, 10);
  b.call_begin("C.main", "WSARecv", c, 7, 64)
      .op_issued("C.main", "o3", "WSARecv", c, 7, CompletionVia::Port)
      .call_end("C.main", "WSARecv", c, 7, -1, WSA_IO_PENDING);
  b.call_begin("C.main", "WSACleanup", 0, 0).cleanup_begin("C");
  b.op_completed("C.main", "o3", c, 7, WSA_OPERATION_ABORTED, CompletionVia::None, RuleId::R14);
  b.refcount("C", c, 7, 0).data_discarded(7, 10).rst_sent(7, RuleId::R14).socket_released(
      7, RuleId::R14);
  b.handle_released("C", c, 7).cleanup_end("C").call_end("C.main", "WSACleanup", 0, 0, 0);
  b.at(41 * ms).call("C.main", "recv", c, 0, -1, WSANOTINITIALISED, 64);
  return b;
}

}  // namespace

TEST_CASE("format_violation names the rule, the time and the profile of a divergence") {
  Violation v{RuleId::R5, 3 * ms, 7, "o1 completed after its descriptor s was released", false};
  CHECK(format_violation(v) == "R5 violated at 3ms: o1 completed after its descriptor s was released");
  v.rule = RuleId::R3;
  v.divergence = true;
  v.time = 2500 * kMicrosecond;
  v.message = "m";
  CHECK(format_violation(v) == "R3 diverges at 2.5ms (windows profile): m");
}

TEST_CASE("a report is violated by a violation, not by a divergence") {
  RuleReport report;
  CHECK_FALSE(report.violated());
  report.violations.push_back({RuleId::R3, 0, 0, "d", true});
  CHECK_FALSE(report.violated());
  report.violations.push_back({RuleId::R7, 0, 1, "v", false});
  CHECK(report.violated());
}

TEST_CASE("an empty trace breaks nothing and exercises nothing; coverage lists R1..R14 in order") {
  Trace trace;
  RuleReport report = check_rules(trace, {});
  CHECK(report.violations.empty());
  REQUIRE(report.coverage.size() == 14);
  for (int i = 0; i < 14; ++i) {
    CHECK(report.coverage[i].rule == static_cast<RuleId>(i + 1));
    CHECK_FALSE(report.coverage[i].exercised);
  }
}

TEST_CASE("make_monitors builds one monitor per rule, in order") {
  auto monitors = make_monitors({});
  REQUIRE(monitors.size() == 14);
  for (int i = 0; i < 14; ++i) CHECK(monitors[i]->rule() == static_cast<RuleId>(i + 1));
}

TEST_CASE("a long correct run breaks no rule and exercises every one") {
  TraceBuilder b = valid_run();
  for (ProfileKind profile : {ProfileKind::Documented, ProfileKind::Windows}) {
    RuleReport report = check_rules(b.trace(), CheckerOptions{profile});
    INFO(describe(report));
    CHECK(report.violations.empty());
    for (const RuleCoverage& c : report.coverage) {
      INFO(rule_name(c.rule));
      CHECK(c.exercised);
    }
  }
  RuleReport report = check_rules(b.trace(), {});
  const auto& r7 = report.coverage[6].branches;
  CHECK(r7.count("linger off") == 1);
  CHECK(r7.count("blocking") == 1);
  CHECK(r7.count("nonifs") == 1);
  CHECK(r7.count("shared") == 1);  // s had been duplicated before its last close
  CHECK(report.coverage[5].branches.count("shared") == 1);
  CHECK(report.coverage[9].branches.count("non-blocking") == 1);
  CHECK(report.coverage[8].branches.count("linger {1,t}") == 1);
  CHECK(report.coverage[7].branches.count("linger {1,0}") == 1);
}

TEST_CASE("violations are gathered in trace order, then by rule") {
  // One record breaks R4 and R5 at once: o1 completes after its descriptor was released.
  TraceBuilder b;
  b.open_tcp("A.main", 0x10, 1, {.overlapped = true});
  b.call_begin("A.main", "WSARecv", 0x10, 1, 10)
      .op_issued("A.main", "o1", "WSARecv", 0x10, 1, CompletionVia::None)
      .call_end("A.main", "WSARecv", 0x10, 1, -1, WSA_IO_PENDING);
  b.at(1 * ms).close("A.main", 0x10, 1, {.disconnect = [&] { b.fin_sent(1).socket_released(1, RuleId::R7); }});
  const std::uint64_t late = b.next_seq();
  b.op_completed("A.main", "o1", 0x10, 1, WSA_OPERATION_ABORTED, CompletionVia::None, RuleId::R3);
  RuleReport report = check_rules(b.trace(), {});
  INFO(describe(report));
  REQUIRE(report.violations.size() >= 2);
  for (std::size_t i = 1; i < report.violations.size(); ++i) {
    const Violation& a = report.violations[i - 1];
    const Violation& c = report.violations[i];
    CHECK((a.seq < c.seq || (a.seq == c.seq && static_cast<int>(a.rule) <= static_cast<int>(c.rule))));
  }
  bool r4 = false, r5 = false;
  for (const Violation& v : report.violations) {
    r4 = r4 || (v.rule == RuleId::R4 && v.seq == late);
    r5 = r5 || (v.rule == RuleId::R5 && v.seq == late);
  }
  CHECK(r4);
  CHECK(r5);
  CHECK(report.violated());
}

TEST_CASE("closing sockets that never connected, TCP and UDP, breaks no rule") {
  TraceBuilder b;
  b.open("A.main", 0x10, 1, "tcp").open("A.main", 0x14, 2, "udp");
  b.set_linger("A.main", 0x14, 2, 1, 0, WSAENOPROTOOPT);  // linger does not apply to UDP
  b.at(1 * ms).close("A.main", 0x10, 1, {.disconnect = [&] { b.socket_released(1, RuleId::R7); }});
  b.close("A.main", 0x14, 2, {.disconnect = [&] { b.socket_released(2, RuleId::R7); }});
  RuleReport report = check_rules(b.trace(), {});
  INFO(describe(report));
  CHECK(report.violations.empty());
}

TEST_CASE("a thousand sockets on one reused value, each with an aborted op, break nothing") {
  TraceBuilder b;
  for (SocketId id = 1; id <= 1000; ++id) {
    b.at(static_cast<Time>(id) * ms);
    b.open_tcp("A.main", 0x10, id, {.overlapped = true}).send("A.main", 0x10, id, 100);
    b.call_begin("A.main", "WSARecv", 0x10, id, 10)
        .op_issued("A.main", "o1", "WSARecv", 0x10, id, CompletionVia::Event)
        .call_end("A.main", "WSARecv", 0x10, id, -1, WSA_IO_PENDING);
    b.close("A.main", 0x10, id, {.aborts = [&] {
                                   b.op_completed("A.main", "o1", 0x10, id, 995,
                                                  CompletionVia::Event, RuleId::R3)
                                       .event_signaled("o1");
                                 },
                                 .disconnect = [&] { b.transmit(id, 100).fin_sent(id); }});
    b.socket_released(id, RuleId::R7);
  }
  RuleReport report = check_rules(b.trace(), {});
  INFO(describe(report));
  CHECK(report.violations.empty());
  CHECK(report.coverage[0].exercised);  // R1: the value was reused
}
