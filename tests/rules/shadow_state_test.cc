// The checker's own reconstruction of the world from the trace: options from the application's
// calls, references from descriptors, layered handles paired.
#include <doctest/doctest.h>

#include "rules/shadow_state.h"
#include "../support/trace_builder.h"

using namespace closesim;
using namespace closesim::rules;
using namespace closesim::testing;

namespace {

void replay(const TraceBuilder& b, ShadowState& shadow) {
  for (const TraceRecord& r : b.trace().records()) shadow.apply(r);
}

}  // namespace

TEST_CASE("socket options come from the application's successful calls") {
  TraceBuilder b;
  b.open_tcp("A.main", 0x10, 1, {.overlapped = true, .nonblocking = true});
  ShadowState shadow;
  replay(b, shadow);
  CHECK(shadow.socket(1).overlapped);
  CHECK(shadow.socket(1).nonblocking);
  CHECK_FALSE(shadow.socket(1).udp);
  CHECK(shadow.socket(1).connected);
  CHECK(shadow.socket(1).linger() == LingerMode::Off);

  SUBCASE("SO_LINGER, then SO_DONTLINGER 1 and 0 keeps the seconds") {
    b.set_linger("A.main", 0x10, 1, 1, 7);
    ShadowState s1;
    replay(b, s1);
    CHECK(s1.socket(1).linger() == LingerMode::Timeout);
    CHECK(s1.socket(1).linger_seconds == 7);
    b.set_dontlinger("A.main", 0x10, 1, 1);
    ShadowState s2;
    replay(b, s2);
    CHECK(s2.socket(1).linger() == LingerMode::Off);
    b.set_dontlinger("A.main", 0x10, 1, 0);
    ShadowState s3;
    replay(b, s3);
    CHECK(s3.socket(1).linger() == LingerMode::Timeout);
    CHECK(s3.socket(1).linger_seconds == 7);
  }
  SUBCASE("a failed setsockopt changes nothing") {
    b.set_linger("A.main", 0x10, 1, 1, 0, WSAENOPROTOOPT);
    ShadowState s1;
    replay(b, s1);
    CHECK(s1.socket(1).linger() == LingerMode::Off);
  }
  SUBCASE("FIONBIO 0 makes it blocking; WSAEventSelect non-blocking again") {
    b.set_nonblocking("A.main", 0x10, 1, false);
    ShadowState s1;
    replay(b, s1);
    CHECK_FALSE(s1.socket(1).nonblocking);
    b.event_select("A.main", 0x10, 1);
    ShadowState s2;
    replay(b, s2);
    CHECK(s2.socket(1).nonblocking);
    CHECK(s2.socket(1).event_select);
  }
}

TEST_CASE("a duplicate shares its socket's options and adds a reference") {
  TraceBuilder b;
  b.open_tcp("A.main", 0x10, 1).set_linger("A.main", 0x10, 1, 1, 0);
  b.duplicate("B.main", 0x20, 1, 2);
  ShadowState shadow;
  replay(b, shadow);
  CHECK(shadow.socket(1).linger() == LingerMode::Hard);
  CHECK(shadow.references(1) == 2);
  CHECK(shadow.socket(1).shared());
  REQUIRE(shadow.live("B", 0x20) != nullptr);
  CHECK(shadow.live("B", 0x20)->socket == 1);
}

TEST_CASE("a close in progress knows whether it holds the last reference") {
  TraceBuilder b;
  b.open_tcp("A.main", 0x10, 1).duplicate("B.main", 0x20, 1, 2);
  b.call_begin("B.main", "closesocket", 0x20, 1);
  ShadowState shadow;
  replay(b, shadow);
  const CloseShadow* c = shadow.close_by_thread("B.main");
  REQUIRE(c != nullptr);
  CHECK_FALSE(c->last);
  CHECK(c->branches.names().count("shared") == 1);
  CHECK(shadow.remaining_references(1) == 1);  // A's; B's is being closed
  b.refcount("B", 0x20, 1, 1);
  ShadowState after_drop;
  replay(b, after_drop);
  CHECK(after_drop.references(1) == 1);
}

TEST_CASE("a layered provider's handle is paired with the one below it") {
  TraceBuilder b;
  b.open_layered_tcp("A.main", 0x14, 0x10, 1);
  ShadowState shadow;
  replay(b, shadow);
  CHECK(shadow.references(1) == 1);
  REQUIRE(shadow.live("A", 0x10) != nullptr);
  CHECK_FALSE(shadow.live("A", 0x10)->app());
  CHECK(shadow.app_of("A", 0x10) == shadow.live("A", 0x14));
  CHECK(shadow.live("A", 0x14)->provider() == "lsp");
}

TEST_CASE("unread data: received bytes not taken by recv or WSARecv") {
  TraceBuilder b;
  b.open_tcp("A.main", 0x10, 1, {.overlapped = true}).local_received(1, 100);
  b.call("A.main", "recv", 0x10, 1, 60, 0, 60);
  ShadowState s1;
  replay(b, s1);
  CHECK(s1.socket(1).unread());
  b.call_begin("A.main", "WSARecv", 0x10, 1, 40)
      .op_issued("A.main", "o1", "WSARecv", 0x10, 1, CompletionVia::None)
      .op_completed("A.main", "o1", 0x10, 1, 0, CompletionVia::None, RuleId::None, 40)
      .call_end("A.main", "WSARecv", 0x10, 1, 0);
  ShadowState s2;
  replay(b, s2);
  CHECK_FALSE(s2.socket(1).unread());
}

TEST_CASE("an accepted socket is overlapped like its listener, has its linger (C9), otherwise from the defaults") {
  TraceBuilder b;
  b.open("A.main", 0x10, 1, "tcp", {.overlapped = true, .nonblocking = true});
  b.set_linger("A.main", 0x10, 1, 1, 0).call("A.main", "listen", 0x10, 1, 0);
  b.call_begin("A.main", "accept", 0x10, 1).handle_created("A", 0x14, 2).refcount("A", 0x14, 2, 1);
  b.call_end("A.main", "accept", 0x14, 2, 0x14);
  ShadowState shadow;
  replay(b, shadow);
  const SocketShadow& accepted = shadow.socket(2);
  CHECK(accepted.overlapped);
  CHECK_FALSE(accepted.nonblocking);
  CHECK(accepted.linger() == LingerMode::Hard);  // the listener's {1,0}
  CHECK(accepted.connected);
  CHECK_FALSE(accepted.udp);
}

TEST_CASE("a socket whose protocol the trace does not give counts as TCP") {
  TraceBuilder b;
  b.handle_created("A", 0x10, 1).connection_opened(1);
  ShadowState shadow;
  replay(b, shadow);
  CHECK_FALSE(shadow.socket(1).udp);
}
