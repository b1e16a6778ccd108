// R6 — Shared sockets are reference-counted.
#include <doctest/doctest.h>

#include "rule_fixture.h"

using namespace closesim;
using namespace closesim::testing;

namespace {

constexpr Handle d = 0x20;

// s in A, duplicated into B as d; 1000 bytes queued and not yet sent.
TraceBuilder shared_socket() {
  TraceBuilder b;
  b.name("A", s, 1, "s").name("B", d, 1, "d");
  b.open_tcp("A.main", s, 1).send("A.main", s, 1, 1000);
  b.at(1 * ms).call("A.main", "WSADuplicateSocket", s, 1, 0);
  b.duplicate("B.main", d, 1, 2);
  return b;
}

}  // namespace

TEST_CASE("R6 holds: closing a duplicate puts nothing on the wire; the last close disconnects") {
  TraceBuilder b = shared_socket();
  b.at(2 * ms).close("A.main", s, 1, {.refs_left = 1});
  b.at(3 * ms).call("B.main", "send", d, 1, 10, 0, 10);
  b.at(4 * ms).close("B.main", d, 1);
  b.transmit(1, 1000).fin_sent(1).socket_released(1, RuleId::R7);
  auto f = check(b, RuleId::R6);
  CHECK_HOLDS(f);
  CHECK(f.coverage.branches.count("shared") == 1);
}

TEST_CASE("R6 holds: shutdown(SD_SEND) sends FIN while references remain") {
  TraceBuilder b = shared_socket();
  b.at(2 * ms).shutdown("B.main", d, 1, 1).transmit(1, 1000).fin_sent(1, RuleId::R13);
  b.close("B.main", d, 1, {.refs_left = 1});
  CHECK_HOLDS(check(b, RuleId::R6));
}

TEST_CASE("R6 violated: closing one of two references sends FIN") {
  TraceBuilder b = shared_socket();
  std::uint64_t fin = 0;
  b.at(2 * ms).close("A.main", s, 1, {.refs_left = 1, .disconnect = [&] {
                                        b.transmit(1, 1000);
                                        fin = b.next_seq();
                                        b.fin_sent(1);
                                      }});
  auto f = check(b, RuleId::R6);
  CHECK_VIOLATED_AT(f, fin);
  CHECK(f.failures()[0].message == "FIN was sent to peer(s) while d still referenced the socket");
}

TEST_CASE("R6 violated: the socket's state is discarded while a duplicate holds it") {
  TraceBuilder b = shared_socket();
  std::uint64_t discarded = 0;
  b.at(2 * ms).close("A.main", s, 1, {.refs_left = 1, .disconnect = [&] {
                                        discarded = b.next_seq();
                                        b.socket_released(1, RuleId::R7);
                                      }});
  CHECK_VIOLATED_AT(check(b, RuleId::R6), discarded);
}

TEST_CASE("R6 violated: RefCount disagrees with the descriptors that hold the socket") {
  TraceBuilder b = shared_socket();
  std::uint64_t count = 0;
  b.at(2 * ms).call_begin("A.main", "closesocket", s, 1).provider_close_begin("A", s, 1);
  count = b.next_seq();
  b.refcount("A", s, 1, 0);  // B's d still holds it
  b.handle_released("A", s, 1).provider_close_end("A", s, 1).call_end("A.main", "closesocket", s,
                                                                       1, 0);
  auto f = check(b, RuleId::R6);
  CHECK_VIOLATED_AT(f, count);
  CHECK(f.failures()[0].message ==
        "RefCount says the socket of peer(s) has 0 reference(s), but 1 descriptor(s) hold it");
}

TEST_CASE("R6 violated: the last close never disconnects") {
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1);
  b.at(1 * ms).close("A.main", s, 1);
  b.at(2 * ms).call("A.main", "SleepEx", 0, 0, 0, 0, 1);
  CHECK_VIOLATED_AT(check(b, RuleId::R6), b.last_seq());
}

TEST_CASE("R6 violated: RST while a duplicate holds the socket, whatever the rule given") {
  TraceBuilder b = shared_socket();
  b.at(2 * ms).shutdown("A.main", s, 1, 1);
  const auto rst = b.next_seq();
  b.rst_sent(1, RuleId::R13);
  CHECK_VIOLATED_AT(check(b, RuleId::R6), rst);
}
