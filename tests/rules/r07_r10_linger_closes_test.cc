// R7–R10 — the close of a socket's last reference, by its linger option.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

namespace {

// s connected, 2000 bytes queued and not yet sent, with the given options and linger.
TraceBuilder queued(SocketOptions options = {}, int onoff = 0, int seconds = 0) {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1, options);
  if (onoff != 0) b.set_linger("A.main", s, 1, onoff, seconds);
  b.send("A.main", s, 1, 2000);
  return b;
}

}  // namespace

// --- R7 ---

TEST_CASE("R7 holds: the close returns at once; the data drains, then FIN, then discard") {
  TraceBuilder b = queued();
  b.at(1 * ms).close("A.main", s, 1);
  b.data_sent(1, 2000).fin_sent(1);
  b.at(2 * ms).peer_received(1, 2000).peer_saw_fin(1);
  b.at(3 * ms).data_acked(1, 2000).socket_released(1, RuleId::R7);
  auto f = check(b, RuleId::R7);
  CHECK_HOLDS(f);
  CHECK(f.coverage.branches == std::set<std::string>{"linger off", "blocking", "nonifs", "single"});
}

TEST_CASE("R7 violated: a blocking close under SO_DONTLINGER waits for the drain") {
  TraceBuilder b = queued();
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).blocked("A.main", s, 1, "drain").transmit(1, 2000).fin_sent(1);
  b.at(2 * ms).woken("A.main", s, 1, RuleId::R7, 0).socket_released(1, RuleId::R7);
  b.handle_released("A", s, 1).provider_close_end("A", s, 1);
  const auto end = b.next_seq();
  b.call_end("A.main", "closesocket", s, 1, 0);
  auto f = check(b, RuleId::R7);
  CHECK_VIOLATED_AT(f, end);
  CHECK(f.failures()[0].message ==
        "closesocket(s) under SO_DONTLINGER returned at 2ms; it returns at once (1ms)");
}

TEST_CASE("R7 violated: a non-blocking close under SO_DONTLINGER fails with WSAEWOULDBLOCK") {
  TraceBuilder b = queued({.nonblocking = true});
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.provider_close_end("A", s, 1, WSAEWOULDBLOCK);
  const auto end = b.next_seq();
  b.call_end("A.main", "closesocket", s, 1, -1, WSAEWOULDBLOCK);
  CHECK_VIOLATED_AT(check(b, RuleId::R7), end);
}

TEST_CASE("R7 violated: FIN leaves before the queued data") {
  TraceBuilder b = queued();
  b.at(1 * ms).close("A.main", s, 1);
  b.data_sent(1, 1000);
  const auto fin = b.next_seq();
  b.fin_sent(1);
  CHECK_VIOLATION_AT(check(b, RuleId::R7), fin);
}

TEST_CASE("R7 violated: the state is discarded before the data is acknowledged") {
  TraceBuilder b = queued();
  b.at(1 * ms).close("A.main", s, 1);
  b.data_sent(1, 2000).fin_sent(1);
  const auto discarded = b.next_seq();
  b.socket_released(1, RuleId::R7);
  CHECK_VIOLATED_AT(check(b, RuleId::R7), discarded);
}

TEST_CASE("R7 violated: FIN never follows the drain") {
  TraceBuilder b = queued();
  b.at(1 * ms).close("A.main", s, 1);
  b.transmit(1, 2000);
  CHECK_VIOLATED_AT(check(b, RuleId::R7), b.last_seq());
}

TEST_CASE("R7: a reset instead of FIN; a divergence under windows when data was unread") {
  TraceBuilder b = queued();
  b.local_received(1, 50);
  std::uint64_t rst = 0;
  b.at(1 * ms).close("A.main", s, 1, {.disconnect = [&] {
                                        b.data_discarded(1, 2000);
                                        rst = b.next_seq();
                                        b.rst_sent(1, RuleId::R7).socket_released(1, RuleId::R7);
                                      }});
  CHECK_DIVERGES_AT(check(b, RuleId::R7, ProfileKind::Windows), rst);
  auto documented = check(b, RuleId::R7);
  CHECK_VIOLATED_AT(documented, rst);
}

TEST_CASE("R7 violated: a reset instead of FIN with nothing unread, even under windows") {
  TraceBuilder b = queued();
  std::uint64_t rst = 0;
  b.at(1 * ms).close("A.main", s, 1, {.disconnect = [&] {
                                        rst = b.next_seq();
                                        b.rst_sent(1, RuleId::R7).socket_released(1, RuleId::R7);
                                      }});
  CHECK_VIOLATED_AT(check(b, RuleId::R7, ProfileKind::Windows), rst);
}

// --- R8 ---

TEST_CASE("R8 holds: RST, unsent data discarded, state discarded, all at the call") {
  TraceBuilder b = queued({}, 1, 0);
  b.at(1 * ms).close("A.main", s, 1, {.disconnect = [&] {
                                        b.data_discarded(1, 2000).rst_sent(1).socket_released(
                                            1, RuleId::R8);
                                      }});
  b.at(2 * ms).peer_saw_rst(1);
  CHECK_HOLDS(check(b, RuleId::R8));
}

TEST_CASE("R8 violated: the hard close returns without a reset") {
  TraceBuilder b = queued({}, 1, 0);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).socket_released(1, RuleId::R8).handle_released("A", s, 1);
  b.provider_close_end("A", s, 1);
  const auto end = b.next_seq();
  b.call_end("A.main", "closesocket", s, 1, 0);
  auto f = check(b, RuleId::R8);
  CHECK_VIOLATED_AT(f, end);
  CHECK(f.failures()[0].message == "closesocket(s) with linger {1,0} returned without resetting peer(s)");
}

TEST_CASE("R8 violated: queued data still leaves after the hard close") {
  TraceBuilder b = queued({}, 1, 0);
  b.at(1 * ms).close("A.main", s, 1, {.disconnect = [&] {
                                        b.rst_sent(1).socket_released(1, RuleId::R8);
                                      }});
  const auto sent = b.next_seq();
  b.data_sent(1, 2000);
  CHECK_VIOLATED_AT(check(b, RuleId::R8), sent);
}

TEST_CASE("R8: after shutdown(SD_SEND) a graceful hard close diverges under windows") {
  TraceBuilder b = queued({}, 1, 0);
  b.shutdown("A.main", s, 1, 1);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).handle_released("A", s, 1).provider_close_end("A", s, 1);
  const auto end = b.next_seq();
  b.call_end("A.main", "closesocket", s, 1, 0);
  b.transmit(1, 2000).fin_sent(1, RuleId::R13).socket_released(1, RuleId::R7);
  CHECK_DIVERGES_AT(check(b, RuleId::R8, ProfileKind::Windows), end);
  CHECK_VIOLATION_AT(check(b, RuleId::R8), end);
}

// --- R9 ---

TEST_CASE("R9 holds: the linger timer expires; RST before the close returns 0 at the deadline") {
  TraceBuilder b = queued({}, 1, 2);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).linger_timer_started("A", s, 1, 1 * ms + 2 * kSecond);
  b.blocked("A.main", s, 1, "linger");
  b.at(1 * ms + 2 * kSecond).linger_timer_expired("A", s, 1).data_discarded(1, 2000);
  b.rst_sent(1, RuleId::R9).woken("A.main", s, 1, RuleId::R9, 0).socket_released(1, RuleId::R9);
  b.handle_released("A", s, 1).provider_close_end("A", s, 1);
  b.call_end("A.main", "closesocket", s, 1, 0);
  auto f = check(b, RuleId::R9);
  CHECK_HOLDS(f);
  CHECK(f.coverage.branches.count("blocking") == 1);
  CHECK(f.coverage.branches.count("linger {1,t}") == 1);
}

TEST_CASE("R9 holds: the queue drains first; the close returns when FIN is sent") {
  TraceBuilder b = queued({}, 1, 2);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).blocked("A.main", s, 1, "linger").data_sent(1, 2000);
  b.at(3 * ms).peer_received(1, 2000).data_acked(1, 2000).fin_sent(1, RuleId::R9);
  b.woken("A.main", s, 1, RuleId::R9, 0).socket_released(1, RuleId::R9);
  b.handle_released("A", s, 1).provider_close_end("A", s, 1);
  b.call_end("A.main", "closesocket", s, 1, 0);
  CHECK_HOLDS(check(b, RuleId::R9));
}

TEST_CASE("R9 violated: returns before the deadline with data unacknowledged") {
  TraceBuilder b = queued({}, 1, 2);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).handle_released("A", s, 1).provider_close_end("A", s, 1);
  const auto end = b.next_seq();
  b.call_end("A.main", "closesocket", s, 1, 0);
  auto f = check(b, RuleId::R9);
  CHECK_VIOLATED_AT(f, end);
  CHECK(f.failures()[0].message ==
        "closesocket(s) with linger {1,2} returned at 1ms with 2000 of 2000 byte(s) "
        "unacknowledged, before its deadline 2.001s");
}

TEST_CASE("R9 violated: returns at the deadline without resetting") {
  TraceBuilder b = queued({}, 1, 2);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).blocked("A.main", s, 1, "linger");
  b.at(1 * ms + 2 * kSecond).woken("A.main", s, 1, RuleId::R9, 0).socket_released(1, RuleId::R9);
  b.handle_released("A", s, 1).provider_close_end("A", s, 1);
  const auto end = b.next_seq();
  b.call_end("A.main", "closesocket", s, 1, 0);
  CHECK_VIOLATED_AT(check(b, RuleId::R9), end);
}

TEST_CASE("R9 violated: still blocked after the deadline") {
  TraceBuilder b = queued({}, 1, 2);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).blocked("A.main", s, 1, "linger");
  b.at(3 * kSecond);
  const auto late = b.next_seq();
  b.rst_sent(1, RuleId::R9).woken("A.main", s, 1, RuleId::R9, 0).socket_released(1, RuleId::R9);
  b.handle_released("A", s, 1).provider_close_end("A", s, 1);
  b.call_end("A.main", "closesocket", s, 1, 0);
  CHECK_VIOLATED_AT(check(b, RuleId::R9), late);
}

TEST_CASE("R9 violated: lingers on after the data drained") {
  TraceBuilder b = queued({}, 1, 2);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).blocked("A.main", s, 1, "linger").transmit(1, 2000).fin_sent(1);
  b.at(5 * ms).woken("A.main", s, 1, RuleId::R9, 0).socket_released(1, RuleId::R9);
  b.handle_released("A", s, 1).provider_close_end("A", s, 1);
  const auto end = b.next_seq();
  b.call_end("A.main", "closesocket", s, 1, 0);
  CHECK_VIOLATED_AT(check(b, RuleId::R9), end);
}

// --- R10 ---

// A non-blocking lingering close that cannot finish at once, as it must be recorded.
void would_block(TraceBuilder& b) {
  b.call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.provider_close_end("A", s, 1, WSAEWOULDBLOCK);
  b.call_end("A.main", "closesocket", s, 1, -1, WSAEWOULDBLOCK);
}

TEST_CASE("R10 holds: WSAEWOULDBLOCK leaves everything as it was; a later close succeeds") {
  TraceBuilder b = queued({.nonblocking = true}, 1, 5);
  b.at(1 * ms);
  would_block(b);
  b.call("A.main", "send", s, 1, 10, 0, 10).data_queued(1, 10);
  b.at(2 * ms).transmit(1, 2010);
  b.close("A.main", s, 1, {.disconnect = [&] {
                             b.fin_sent(1).socket_released(1, RuleId::R7);
                           }});
  auto f = check(b, RuleId::R10);
  CHECK_HOLDS(f);
  CHECK(f.coverage.branches.count("non-blocking") == 1);
}

TEST_CASE("R10 violated: a close failing with WSAEWOULDBLOCK sends FIN") {
  TraceBuilder b = queued({.nonblocking = true}, 1, 5);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  const auto fin = b.next_seq();
  b.fin_sent(1).provider_close_end("A", s, 1, WSAEWOULDBLOCK);
  b.call_end("A.main", "closesocket", s, 1, -1, WSAEWOULDBLOCK);
  auto f = check(b, RuleId::R10);
  CHECK_VIOLATED_AT(f, fin);
  CHECK(f.failures()[0].message ==
        "closesocket(s) failed with WSAEWOULDBLOCK but sent FIN to peer(s)");
}

TEST_CASE("R10 violated: the close returns 0 at once with data unacknowledged") {
  TraceBuilder b = queued({.nonblocking = true}, 1, 5);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0).handle_released("A", s, 1).provider_close_end("A", s, 1);
  const auto end = b.next_seq();
  b.call_end("A.main", "closesocket", s, 1, 0);
  CHECK_VIOLATED_AT(check(b, RuleId::R10), end);
}

TEST_CASE("R10 violated: the close blocks on a non-blocking socket") {
  TraceBuilder b = queued({.nonblocking = true}, 1, 5);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0);
  const auto blocked = b.next_seq();
  b.blocked("A.main", s, 1, "linger").transmit(1, 2000).fin_sent(1);
  b.at(2 * ms).woken("A.main", s, 1, RuleId::R9, 0).socket_released(1, RuleId::R9);
  b.handle_released("A", s, 1).provider_close_end("A", s, 1).call_end("A.main", "closesocket", s,
                                                                       1, 0);
  CHECK_VIOLATED_AT(check(b, RuleId::R10), blocked);
}

TEST_CASE("R10 violated: after WSAEWOULDBLOCK the descriptor no longer works") {
  TraceBuilder b = queued({.nonblocking = true}, 1, 5);
  b.at(1 * ms);
  would_block(b);
  b.call_begin("A.main", "send", s, 1, 10);
  const auto end = b.next_seq();
  b.call_end("A.main", "send", s, 1, -1, WSAENOTSOCK);
  CHECK_VIOLATED_AT(check(b, RuleId::R10), end);
}

TEST_CASE("R10: closing a duplicate never blocks and never fails with WSAEWOULDBLOCK") {
  TraceBuilder b = queued({}, 1, 5);
  b.name("B", 0x20, 1, "d").duplicate("B.main", 0x20, 1, 2);
  SUBCASE("holds") {
    b.at(1 * ms).close("B.main", 0x20, 1, {.refs_left = 1});
    auto f = check(b, RuleId::R10);
    CHECK_HOLDS(f);
    CHECK(f.coverage.branches.count("shared") == 1);
  }
  SUBCASE("violated") {
    b.at(1 * ms).call_begin("B.main", "closesocket", 0x20, 1).provider_close_begin("B", 0x20, 1);
    b.provider_close_end("B", 0x20, 1, WSAEWOULDBLOCK);
    const auto end = b.next_seq();
    b.call_end("B.main", "closesocket", 0x20, 1, -1, WSAEWOULDBLOCK);
    CHECK_VIOLATED_AT(check(b, RuleId::R10), end);
  }
}

TEST_CASE("R7 makes no claim once the peer reset the connection") {
  TraceBuilder b = queued();
  b.at(1 * ms).close("A.main", s, 1);
  b.at(2 * ms).local_saw_rst(1).data_discarded(1, 2000).socket_released(1, RuleId::None);
  CHECK_HOLDS(check(b, RuleId::R7));
}

TEST_CASE("R10 violated: WSAEWOULDBLOCK although everything queued had been acknowledged") {
  TraceBuilder b = queued({.nonblocking = true}, 1, 5);
  b.transmit(1, 2000);
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.provider_close_end("A", s, 1, WSAEWOULDBLOCK);
  const auto end = b.next_seq();
  b.call_end("A.main", "closesocket", s, 1, -1, WSAEWOULDBLOCK);
  CHECK_VIOLATED_AT(check(b, RuleId::R10), end);
}

TEST_CASE("R10: after shutdown(SD_SEND) the close may succeed at once, data still in flight") {
  TraceBuilder b = queued({.nonblocking = true}, 1, 5);
  b.shutdown("A.main", s, 1, 1).data_sent(1, 2000).fin_sent(1, RuleId::R13);
  b.at(1 * ms).close("A.main", s, 1);
  b.at(3 * ms).peer_received(1, 2000).data_acked(1, 2000).socket_released(1, RuleId::R7);
  CHECK_HOLDS(check(b, RuleId::R10));
}

TEST_CASE("R10: a UDP close never blocks, whatever linger says") {
  TraceBuilder b;
  b.open("A.main", s, 1, "udp").set_linger("A.main", s, 1, 1, 5);  // documented: accepted
  b.at(1 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  b.refcount("A", s, 1, 0);
  const auto blocked = b.next_seq();
  b.blocked("A.main", s, 1, "linger").at(2 * ms).woken("A.main", s, 1, RuleId::R9, 0);
  b.socket_released(1, RuleId::R6).handle_released("A", s, 1).provider_close_end("A", s, 1);
  b.call_end("A.main", "closesocket", s, 1, 0);
  CHECK_VIOLATED_AT(check(b, RuleId::R10), blocked);
}
