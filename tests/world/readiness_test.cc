// select, WSAPoll, getsockopt and the overlapped results, driven through the world's own API:
// what each answers at once, how a parked one ends (data, timeout, a close by another thread),
// and how the profile decides what a close reports (C28, C30, C32, C34, C1, C8, C14, C40).
#include <doctest/doctest.h>

#include <map>
#include <optional>

#include "closesim/base/errors.h"
#include "closesim/base/trace.h"
#include "closesim/engine/engine.h"
#include "closesim/world/world.h"

namespace closesim {
namespace {

// (Named apart from world_test.cc's Harness: the two files share a unity batch.)
class CallHarness : public WorldListener {
 public:
  explicit CallHarness(ProfileKind profile = ProfileKind::Windows, Mutant mutant = Mutant::None)
      : engine(choices), world(engine, trace, config(profile, mutant), *this) {}

  static WorldConfig config(ProfileKind profile, Mutant mutant) {
    WorldConfig c;
    c.profile = profile;
    c.mutant = mutant;
    return c;
  }
  ThreadId thread(const std::string& name) {
    if (!lanes.count(name)) lanes[name] = engine.add_lane(name);
    return world.thread("A", name, lanes[name]);
  }
  void on_return(ThreadId t, const ApiResult& r) override { returned[t] = r; }
  std::optional<ApiResult> call(ThreadId t, ApiCall c, Time at) {
    returned.erase(t);
    engine.at(at, lanes.begin()->second, [this, t, c] { world.call(t, c); });
    engine.run(at);
    auto it = returned.find(t);
    if (it == returned.end()) return std::nullopt;
    return it->second;
  }
  static ApiCall make(CallId f, Handle h = 0, std::int64_t n = 0, std::int64_t n2 = 0) {
    ApiCall c;
    c.call = f;
    c.handle = h;
    c.count = n;
    c.count2 = n2;
    return c;
  }
  Handle open(ThreadId t, bool connected, bool udp = false, bool overlapped = false) {
    ApiCall s = make(CallId::Socket);
    s.udp = udp;
    s.overlapped = overlapped;
    Handle h = call(t, s, engine.now())->handle;
    if (connected) REQUIRE(call(t, make(CallId::Connect, h), engine.now())->value == 0);
    return h;
  }
  static std::string output(const ApiResult& r, const std::string& key) {
    for (const auto& [k, v] : r.outputs)
      if (k == key) return v;
    return "untouched";
  }

  FirstChoice choices;
  Engine engine;
  Trace trace;
  World world;
  std::map<std::string, Lane> lanes;
  std::map<ThreadId, ApiResult> returned;
};

ApiCall select_call(std::vector<WatchedSocket> watched, Time timeout) {
  ApiCall c = CallHarness::make(CallId::Select, watched.empty() ? 0 : watched.front().handle);
  c.watched = std::move(watched);
  c.timeout = timeout;
  return c;
}

ApiCall poll_call(std::vector<WatchedSocket> watched, Time timeout) {
  ApiCall c = select_call(std::move(watched), timeout);
  c.call = CallId::WSAPoll;
  return c;
}

}  // namespace

TEST_CASE("select answers at once with what is ready, and 0 when the timeout is 0") {
  CallHarness h;
  ThreadId t = h.thread("main");
  Handle s = h.open(t, true);
  auto r = h.call(t, select_call({{s, "s", 0, 0}, {s, "s", 1, 0}, {s, "s", 2, 0}}, 0), 0);
  REQUIRE(r);
  CHECK(r->value == 1);  // writable only
  CHECK(CallHarness::output(*r, "read") == "{}");
  CHECK(CallHarness::output(*r, "write") == "{s}");
  CHECK(r->text == "1 read={} write={s} except={}");
  auto none = h.call(t, select_call({{s, "s", 0, 0}}, 0), 0);
  CHECK(none->value == 0);
}

TEST_CASE("C30: select with a closed socket fails with WSAENOTSOCK, the sets left as given") {
  CallHarness h;
  ThreadId t = h.thread("main");
  Handle w = h.open(t, true);
  Handle r = h.open(t, true);
  REQUIRE(h.call(t, CallHarness::make(CallId::CloseSocket, r), kMillisecond)->value == 0);
  auto res = h.call(t, select_call({{w, "w", 0, 0}, {r, "r", 0, 0}, {w, "w", 2, 0}, {r, "r", 2, 0}}, kSecond),
                    2 * kMillisecond);
  REQUIRE(res);
  CHECK(res->error == WSAENOTSOCK);
  CHECK(CallHarness::output(*res, "read") == "{r, w}");
  CHECK(CallHarness::output(*res, "except") == "{r, w}");
}

TEST_CASE("the select-skips-closed mutant treats the closed socket as not ready") {
  CallHarness h(ProfileKind::Windows, Mutant::SelectSkipsClosed);
  ThreadId t = h.thread("main");
  Handle w = h.open(t, true);
  Handle r = h.open(t, true);
  REQUIRE(h.call(t, CallHarness::make(CallId::CloseSocket, r), kMillisecond)->value == 0);
  auto res = h.call(t, select_call({{r, "r", 0, 0}, {w, "w", 1, 0}}, 0), 2 * kMillisecond);
  REQUIRE(res);
  CHECK(res->error == 0);
  CHECK(res->value == 1);
}

TEST_CASE("C28: a close by another thread ends select: readable on Windows, WSAEINTR documented") {
  for (ProfileKind profile : {ProfileKind::Windows, ProfileKind::Documented}) {
    CallHarness h(profile);
    ThreadId main = h.thread("main");
    ThreadId t1 = h.thread("t1");
    Handle s = h.open(main, true);
    CHECK_FALSE(h.call(t1, select_call({{s, "s", 0, 0}, {s, "s", 2, 0}}, 1250 * kMillisecond), 0));
    CHECK(h.world.busy(t1));
    CHECK(h.call(main, CallHarness::make(CallId::CloseSocket, s), 500 * kMillisecond)->value == 0);
    h.engine.run(500 * kMillisecond);
    REQUIRE(h.returned.count(t1));
    const ApiResult& r = h.returned[t1];
    if (profile == ProfileKind::Windows) {
      CHECK(r.value == 1);
      CHECK(CallHarness::output(r, "read") == "{s}");
      CHECK(CallHarness::output(r, "except") == "{}");
    } else {
      CHECK(r.error == WSAEINTR);
    }
  }
}

TEST_CASE("select parked on a listener returns when a connection arrives; a timeout gives 0") {
  CallHarness h;
  ThreadId t = h.thread("main");
  Handle l = h.open(t, false);
  REQUIRE(h.call(t, CallHarness::make(CallId::Listen, l), 0)->value == 0);
  CHECK_FALSE(h.call(t, select_call({{l, "l", 0, 0}}, 10 * kMillisecond), 0));
  h.engine.run(10 * kMillisecond);
  REQUIRE(h.returned.count(t));
  CHECK(h.returned[t].value == 0);
  CHECK(h.returned[t].text == "0 read={} write={} except={}");
  CHECK_FALSE(h.call(t, select_call({{l, "l", 0, 0}}, -1), 20 * kMillisecond));
  REQUIRE(h.world.peer_act(h.world.socket_of("A", l), World::PeerDoes::Connect, 0, 0));
  h.engine.run(30 * kMillisecond);
  REQUIRE(h.returned.count(t));
  CHECK(CallHarness::output(h.returned[t], "read") == "{l}");
}

TEST_CASE("C32: WSAPoll ended by a close reports POLLNVAL on Windows; a closed value is POLLNVAL") {
  CallHarness h;
  ThreadId main = h.thread("main");
  ThreadId t1 = h.thread("t1");
  Handle c = h.open(main, true);
  CHECK_FALSE(h.call(main, poll_call({{c, "c", 0, 0x300}}, 2 * kSecond), 0));
  CHECK(h.call(t1, CallHarness::make(CallId::CloseSocket, c), 500 * kMillisecond)->value == 0);
  h.engine.run(500 * kMillisecond);
  REQUIRE(h.returned.count(main));
  CHECK(h.returned[main].value == 1);
  CHECK(CallHarness::output(h.returned[main], "c") == "POLLNVAL");
  auto later = h.call(main, poll_call({{c, "c", 0, 0x300}}, 0), 600 * kMillisecond);
  CHECK(later->value == 1);
  CHECK(later->error == 0);
  CHECK(CallHarness::output(*later, "c") == "POLLNVAL");
}

TEST_CASE("C34: after the peer's FIN WSAPoll reports POLLHUP whatever was asked") {
  CallHarness h;
  ThreadId t = h.thread("main");
  Handle s = h.open(t, true);
  REQUIRE(h.world.peer_act(h.world.socket_of("A", s), World::PeerDoes::Close, 0, 0));
  h.engine.run(10 * kMillisecond);
  auto empty = h.call(t, poll_call({{s, "s", 0, 0}}, 0), 10 * kMillisecond);
  CHECK(empty->value == 1);
  CHECK(CallHarness::output(*empty, "s") == "POLLHUP");
  auto full = h.call(t, poll_call({{s, "s", 0, 0x310}}, 0), 10 * kMillisecond);
  CHECK(CallHarness::output(*full, "s") == "POLLWRNORM|POLLHUP");
}

TEST_CASE("C1, C8: getsockopt reads linger back; a failure writes nothing") {
  CallHarness h;
  ThreadId t = h.thread("main");
  Handle s = h.open(t, false);
  ApiCall get = CallHarness::make(CallId::GetSockOpt, s);
  get.option = CallOption::SoLinger;
  ApiCall set = CallHarness::make(CallId::SetSockOpt, s, 0, 73);
  set.option = CallOption::SoLinger;
  REQUIRE(h.call(t, set, 0)->value == 0);
  CHECK(CallHarness::output(*h.call(t, get, 0), "optval") == "{0, 73}");
  get.option = CallOption::SoDontLinger;
  CHECK(CallHarness::output(*h.call(t, get, 0), "optval") == "1");
  Handle u = h.open(t, false, true);
  ApiCall udp = CallHarness::make(CallId::GetSockOpt, u);
  udp.option = CallOption::SoLinger;
  auto refused = h.call(t, udp, 0);
  CHECK(refused->error == WSAENOPROTOOPT);
  CHECK(CallHarness::output(*refused, "optval") == "untouched");
  REQUIRE(h.call(t, CallHarness::make(CallId::CloseSocket, s), kMillisecond)->value == 0);
  get.option = CallOption::SoError;
  auto dead = h.call(t, get, kMillisecond);
  CHECK(dead->error == WSAENOTSOCK);
  CHECK(CallHarness::output(*dead, "optval") == "untouched");
}

TEST_CASE("C14, C40: one aborted receive, two surfaces") {
  CHECK(win32_error_of(ERROR_CONNECTION_ABORTED) == 1236);
  CHECK(winsock_error_of(ERROR_CONNECTION_ABORTED) == WSAECONNABORTED);
  CHECK(winsock_error_of(WSA_OPERATION_ABORTED) == WSA_OPERATION_ABORTED);
  CHECK(win32_error_of(WSAECONNRESET) == ERROR_NETNAME_DELETED);
  CallHarness h;
  ThreadId main = h.thread("main");
  ThreadId t1 = h.thread("t1");
  Handle s = h.open(main, true, false, true);
  ApiCall recv = CallHarness::make(CallId::WSARecv, s, 100);
  recv.op = "o1";
  REQUIRE(h.call(main, recv, 0)->io_pending);
  ApiCall result = CallHarness::make(CallId::GetOverlappedResult, s);
  result.op = "o1";
  CHECK(h.call(main, result, 0)->error == WSA_IO_INCOMPLETE);
  ApiCall wait = result;
  wait.count = 1;
  CHECK_FALSE(h.call(t1, wait, 0));  // parks until o1 completes
  REQUIRE(h.call(main, CallHarness::make(CallId::CloseSocket, s), kMillisecond)->value == 0);
  h.engine.run(kMillisecond);
  REQUIRE(h.returned.count(t1));
  CHECK(h.returned[t1].error == ERROR_CONNECTION_ABORTED);
  CHECK(h.returned[t1].text == "FALSE ERROR_CONNECTION_ABORTED bytes=0");
  CHECK(h.call(main, result, kMillisecond)->error == ERROR_CONNECTION_ABORTED);
  ApiCall winsock = result;
  winsock.call = CallId::WSAGetOverlappedResult;
  CHECK(h.call(main, winsock, kMillisecond)->error == WSAENOTSOCK);  // C40: no longer a socket
}

}  // namespace closesim
