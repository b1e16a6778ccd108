// R2 — Close interrupts blocking calls in the same process.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

namespace {

// s connected; A.t2 blocked in recv(s) since 1ms.
TraceBuilder blocked_recv() {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1);
  b.at(1 * ms).call_begin("A.t2", "recv", s, 1, 1024).blocked("A.t2", s, 1);
  return b;
}


}  // namespace

TEST_CASE("R2 holds: the blocked recv is woken with WSAEINTR before the release") {
  TraceBuilder b = blocked_recv();
  b.at(2 * ms).close("A.main", s, 1,
                     {.aborts = [&] { b.woken("A.t2", s, 1, RuleId::R2, WSAEINTR); },
                      .disconnect = [&] { fin_and_release(b); }});
  b.call_end("A.t2", "recv", s, 1, -1, WSAEINTR);
  auto f = check(b, RuleId::R2);
  CHECK_HOLDS(f);
  CHECK(f.coverage.branches.count("blocking") == 1);
}

TEST_CASE("R2 violated: the descriptor is released while the recv is still blocked") {
  TraceBuilder b = blocked_recv();
  b.at(2 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0);
  fin_and_release(b);
  const auto released = b.next_seq();
  b.handle_released("A", s, 1).provider_close_end("A", s, 1);
  b.woken("A.t2", s, 1, RuleId::R2, WSAEINTR).call_end("A.main", "closesocket", s, 1, 0);
  b.call_end("A.t2", "recv", s, 1, -1, WSAEINTR);
  auto f = check(b, RuleId::R2);
  CHECK_VIOLATED_AT(f, released);
  CHECK(f.failures()[0].message ==
        "closesocket(s) released s while A.t2 was still blocked in recv(s)");
}

TEST_CASE("R2 violated: the woken recv returns something other than WSAEINTR") {
  TraceBuilder b = blocked_recv();
  std::uint64_t woken = 0;
  b.at(2 * ms).close("A.main", s, 1, {.aborts = [&] {
                                        woken = b.next_seq();
                                        b.woken("A.t2", s, 1, RuleId::R2, WSAECONNABORTED);
                                      },
                                      .disconnect = [&] { fin_and_release(b); }});
  b.call_end("A.t2", "recv", s, 1, -1, WSAECONNABORTED);
  CHECK_VIOLATED_AT(check(b, RuleId::R2), woken);
}

TEST_CASE("R2 violated: the woken recv returns only after the close returned") {
  TraceBuilder b = blocked_recv();
  b.at(2 * ms).close("A.main", s, 1,
                     {.aborts = [&] { b.woken("A.t2", s, 1, RuleId::R2, WSAEINTR); },
                      .disconnect = [&] { fin_and_release(b); }});
  b.at(3 * ms);
  const auto late = b.next_seq();
  b.call_end("A.t2", "recv", s, 1, -1, WSAEINTR);
  CHECK_VIOLATED_AT(check(b, RuleId::R2), late);
}

TEST_CASE("R2: a non-last close leaves a thread blocked on a duplicate alone") {
  TraceBuilder b;
  b.name("A", s, 1, "s").name("B", 0x20, 1, "d");
  b.open_tcp("A.main", s, 1).duplicate("B.main", 0x20, 1, 2);
  b.at(1 * ms).call_begin("B.t2", "recv", 0x20, 1, 10).blocked("B.t2", 0x20, 1);
  b.call_begin("A.t2", "recv", s, 1, 10).blocked("A.t2", s, 1);
  SUBCASE("holds") {
    b.at(2 * ms).close("A.main", s, 1, {.refs_left = 1, .aborts = [&] {
                                          b.woken("A.t2", s, 1, RuleId::R2, WSAEINTR);
                                        }});
    b.call_end("A.t2", "recv", s, 1, -1, WSAEINTR);
    CHECK_HOLDS(check(b, RuleId::R2));
  }
  SUBCASE("violated") {
    std::uint64_t woken = 0;
    b.at(2 * ms).close("A.main", s, 1, {.refs_left = 1, .aborts = [&] {
                                          b.woken("A.t2", s, 1, RuleId::R2, WSAEINTR);
                                          woken = b.next_seq();
                                          b.woken("B.t2", 0x20, 1, RuleId::R2, WSAEINTR);
                                        }});
    b.call_end("A.t2", "recv", s, 1, -1, WSAEINTR).call_end("B.t2", "recv", 0x20, 1, -1, WSAEINTR);
    CHECK_VIOLATED_AT(check(b, RuleId::R2), woken);
  }
}
