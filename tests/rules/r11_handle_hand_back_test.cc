// R11 — A non-IFS provider hands each handle back exactly once.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

TEST_CASE("R11 holds: one hand-back of the kind the handle was created with") {
  SUBCASE("nonifs: WPUCloseSocketHandle") {
    TraceBuilder b;
    b.name("A", s, 1, "s").open_tcp("A.main", s, 1);
    b.at(1 * ms).close("A.main", s, 1, {.disconnect = [&] { fin_and_release(b); }});
    auto f = check(b, RuleId::R11);
    CHECK_HOLDS(f);
    CHECK(f.coverage.branches.count("nonifs") == 1);
  }
  SUBCASE("ifs: the file handle is closed instead") {
    TraceBuilder b;
    b.name("A", s, 1, "s").open_tcp("A.main", s, 1, {}, HandleKind::File);
    b.at(1 * ms).close("A.main", s, 1, {.kind = HandleKind::File,
                                        .disconnect = [&] { fin_and_release(b); }});
    auto f = check(b, RuleId::R11);
    CHECK_HOLDS(f);
    CHECK(f.coverage.branches.count("ifs") == 1);
  }
}

TEST_CASE("R11 holds: a layered provider closes the layer below, then hands back its own") {
  TraceBuilder b;
  b.name("A", 0x14, 1, "s").open_layered_tcp("A.main", 0x14, 0x10, 1, HandleKind::File);
  b.at(1 * ms).call_begin("A.main", "closesocket", 0x14, 1).provider_close_begin("A", 0x14, 1, 1);
  b.provider_close_begin("A", 0x10, 1, 0).refcount("A", 0x10, 1, 0);
  fin_and_release(b);
  b.handle_released("A", 0x10, 1, HandleKind::File, 0).provider_close_end("A", 0x10, 1, 0, 0);
  b.handle_released("A", 0x14, 1, HandleKind::Wpu, 1).provider_close_end("A", 0x14, 1, 0, 1);
  b.call_end("A.main", "closesocket", 0x14, 1, 0);
  auto f = check(b, RuleId::R11);
  CHECK_HOLDS(f);
  CHECK(f.coverage.branches.count("lsp") == 1);
  CHECK(check_rules(b.trace(), {}).violations.empty());
}

TEST_CASE("R11 violated: a layered provider hands back its handle before the layer below closes") {
  TraceBuilder b;
  b.open_layered_tcp("A.main", 0x14, 0x10, 1, HandleKind::Wpu);
  b.at(1 * ms).call_begin("A.main", "closesocket", 0x14, 1).provider_close_begin("A", 0x14, 1, 1);
  b.refcount("A", 0x14, 1, 0);
  fin_and_release(b);
  const auto upper = b.next_seq();
  b.handle_released("A", 0x14, 1, HandleKind::Wpu, 1);
  b.provider_close_begin("A", 0x10, 1, 0).handle_released("A", 0x10, 1, HandleKind::Wpu, 0);
  b.provider_close_end("A", 0x10, 1, 0, 0).provider_close_end("A", 0x14, 1, 0, 1);
  b.call_end("A.main", "closesocket", 0x14, 1, 0);
  CHECK_VIOLATED_AT(check(b, RuleId::R11), upper);
}

TEST_CASE("R11 holds: the hand-back waits for aborts that finish after close returned") {
  TraceBuilder b;
  b.open_tcp("A.main", s, 1, {.overlapped = true});
  b.call_begin("A.main", "WSASend", s, 1, 10)
      .op_issued("A.main", "o1", "WSASend", s, 1, CompletionVia::None)
      .call_end("A.main", "WSASend", s, 1, -1, WSA_IO_PENDING);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0);
  fin_and_release(b);
  b.provider_close_end("A", s, 1).call_end("A.main", "closesocket", s, 1, 0);
  b.at(2 * ms).op_completed("A.main", "o1", s, 1, 995, CompletionVia::None, RuleId::R3);
  b.handle_released("A", s, 1);
  CHECK_HOLDS(check(b, RuleId::R11));
}

TEST_CASE("R11 violated: the handle is handed back twice") {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1);
  b.at(1 * ms).close("A.main", s, 1, {.disconnect = [&] { fin_and_release(b); }});
  const auto again = b.next_seq();
  b.handle_released("A", s, 1);
  auto f = check(b, RuleId::R11);
  CHECK_VIOLATED_AT(f, again);
  CHECK(f.failures()[0].message == "WPUCloseSocketHandle(s) handed s back a second time");
}

TEST_CASE("R11 violated: a successful close never hands the handle back") {
  TraceBuilder b;
  b.open_tcp("A.main", s, 1);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0);
  fin_and_release(b);
  b.provider_close_end("A", s, 1).call_end("A.main", "closesocket", s, 1, 0);
  CHECK_VIOLATED_AT(check(b, RuleId::R11), b.last_seq());
}

TEST_CASE("R11 violated: the hand-back comes before a pending op is aborted") {
  TraceBuilder b;
  b.open_tcp("A.main", s, 1, {.overlapped = true});
  b.call_begin("A.main", "WSARecv", s, 1, 10)
      .op_issued("A.main", "o1", "WSARecv", s, 1, CompletionVia::None)
      .call_end("A.main", "WSARecv", s, 1, -1, WSA_IO_PENDING);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0);
  fin_and_release(b);
  const auto released = b.next_seq();
  b.handle_released("A", s, 1);
  b.op_completed("A.main", "o1", s, 1, 995, CompletionVia::None, RuleId::R3);
  b.provider_close_end("A", s, 1).call_end("A.main", "closesocket", s, 1, 0);
  auto f = check(b, RuleId::R11);
  // The hand-back before the abort, and the abort naming the handle after it.
  CHECK_VIOLATION_AT(f, released);
  CHECK_VIOLATION_AT(f, released + 1);
}

TEST_CASE("R11 violated: an IFS provider calls WPUCloseSocketHandle") {
  TraceBuilder b;
  b.open_tcp("A.main", s, 1, {}, HandleKind::File);
  std::uint64_t released = 0;
  b.at(1 * ms).close("A.main", s, 1, {.disconnect = [&] {
                                        fin_and_release(b);
                                        released = b.next_seq();
                                      }});
  CHECK_VIOLATED_AT(check(b, RuleId::R11), released);
}

TEST_CASE("R11 violated: a close that fails hands the handle back") {
  TraceBuilder b;
  b.open_tcp("A.main", s, 1, {.nonblocking = true}).set_linger("A.main", s, 1, 1, 5);
  b.send("A.main", s, 1, 100);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  const auto released = b.next_seq();
  b.handle_released("A", s, 1).provider_close_end("A", s, 1, WSAEWOULDBLOCK);
  b.call_end("A.main", "closesocket", s, 1, -1, WSAEWOULDBLOCK);
  CHECK_VIOLATION_AT(check(b, RuleId::R11), released);
}

TEST_CASE("R11: a second closesocket while the first lingers is answered WSAENOTSOCK, not a close") {
  TraceBuilder b;
  b.open_tcp("A.main", s, 1).set_linger("A.main", s, 1, 1, 2).send("A.main", s, 1, 100);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).blocked("A.main", s, 1, "linger");
  b.at(2 * ms).close_dead("A.t2", s);
  b.transmit(1, 100).fin_sent(1, RuleId::R9).woken("A.main", s, 1, RuleId::R9, 0);
  b.socket_released(1, RuleId::R9).handle_released("A", s, 1).provider_close_end("A", s, 1);
  b.call_end("A.main", "closesocket", s, 1, 0);
  RuleReport report = check_rules(b.trace(), {});
  INFO(describe(report));
  CHECK(report.violations.empty());
}

TEST_CASE("R11 violated: the hand-back comes before the disconnect started") {
  TraceBuilder b;
  b.open_tcp("A.main", s, 1);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0);
  const auto released = b.next_seq();
  b.handle_released("A", s, 1).provider_close_end("A", s, 1);
  b.call_end("A.main", "closesocket", s, 1, 0);
  b.fin_sent(1).socket_released(1, RuleId::R7);
  CHECK_VIOLATED_AT(check(b, RuleId::R11), released);
}

TEST_CASE("R11 violated: the hand-back comes before the close dropped its reference") {
  TraceBuilder b;
  b.open_tcp("A.main", s, 1);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.fin_sent(1);
  const auto released = b.next_seq();
  b.handle_released("A", s, 1).refcount("A", s, 1, 0).socket_released(1, RuleId::R7);
  b.provider_close_end("A", s, 1).call_end("A.main", "closesocket", s, 1, 0);
  CHECK_VIOLATION_AT(check(b, RuleId::R11), released);
}

TEST_CASE("R11 violated: a handle is handed back with no close or cleanup under way") {
  TraceBuilder b;
  b.open_tcp("A.main", s, 1);
  const auto released = b.next_seq();
  b.at(1 * ms).handle_released("A", s, 1);
  CHECK_VIOLATED_AT(check(b, RuleId::R11), released);
}
