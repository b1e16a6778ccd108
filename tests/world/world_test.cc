// World behaviour per rule: build a world, make a few calls on virtual time, assert on the trace.
// No scenario syntax here — the world is driven through its own API, as the runner drives it.
#include <doctest/doctest.h>

#include <map>
#include <optional>

#include "closesim/engine/engine.h"
#include "closesim/base/errors.h"
#include "closesim/base/trace.h"
#include "closesim/world/world.h"

namespace closesim {
namespace {

class Harness : public WorldListener {
 public:
  explicit Harness(WorldConfig config = {}) : engine(choices), world(engine, trace, config, *this) {}

  ThreadId thread(const std::string& process, const std::string& name) {
    std::string label = process + "." + name;
    if (!lanes.count(label)) lanes[label] = engine.add_lane(label);
    return world.thread(process, name, lanes[label]);
  }
  void on_return(ThreadId t, const ApiResult& r) override { returned[t] = r; }

  // Makes the call at time `at` and runs the world until then; returns the result if the call
  // returned by the time the engine is idle or `until` is reached.
  std::optional<ApiResult> call(ThreadId t, ApiCall c, Time at) {
    returned.erase(t);
    engine.at(at, lanes.begin()->second, [this, t, c] { world.call(t, c); });
    engine.run(at);
    auto it = returned.find(t);
    if (it == returned.end()) return std::nullopt;
    return it->second;
  }
  void run_until(Time t) { engine.run(t); }
  void run_all() { engine.run(); }

  static ApiCall make(CallId f, Handle h = 0, std::int64_t n = 0, std::int64_t n2 = 0,
                      CallOption option = CallOption::None) {
    ApiCall c;
    c.call = f;
    c.option = option;
    c.handle = h;
    c.count = n;
    c.count2 = n2;
    return c;
  }

  Handle open_connected(ThreadId t, Time at, bool overlapped = false) {
    ApiCall s = make(CallId::Socket);
    s.overlapped = overlapped;
    Handle h = call(t, s, at)->handle;
    REQUIRE(call(t, make(CallId::Connect, h), at)->value == 0);
    return h;
  }

  int count(RecordKind k, SocketId s = 0) const {
    int n = 0;
    for (const TraceRecord& r : trace.records())
      if (r.kind == k && (s == 0 || r.socket == s)) ++n;
    return n;
  }
  std::optional<TraceRecord> first(RecordKind k) const {
    for (const TraceRecord& r : trace.records())
      if (r.kind == k) return r;
    return std::nullopt;
  }
  // Position of the first record of a kind, for order assertions.
  std::uint64_t seq_of(RecordKind k) const {
    auto r = first(k);
    REQUIRE(r.has_value());
    return r->seq;
  }

  FirstChoice choices;
  Engine engine;
  Trace trace;
  World world;
  std::map<std::string, Lane> lanes;
  std::map<ThreadId, ApiResult> returned;
};

TEST_CASE("handle values are reused lowest-free-first (R1's caveat)") {
  Harness h;
  ThreadId t = h.thread("A", "main");
  Handle a = h.call(t, Harness::make(CallId::Socket), 0)->handle;
  Handle b = h.call(t, Harness::make(CallId::Socket), 0)->handle;
  CHECK(a == 0x4);
  CHECK(b == 0x8);
  CHECK(h.call(t, Harness::make(CallId::CloseSocket, a), 0)->value == 0);
  Handle c = h.call(t, Harness::make(CallId::Socket), 0)->handle;
  CHECK(c == a);
}

TEST_CASE("R1: calls on a closed descriptor fail with WSAENOTSOCK, a second close too") {
  Harness h;
  ThreadId t = h.thread("A", "main");
  Handle s = h.open_connected(t, 0);
  CHECK(h.call(t, Harness::make(CallId::CloseSocket, s), kMillisecond)->value == 0);
  auto send = h.call(t, Harness::make(CallId::Send, s, 10), 2 * kMillisecond);
  CHECK(send->error == WSAENOTSOCK);
  auto again = h.call(t, Harness::make(CallId::CloseSocket, s), 2 * kMillisecond);
  CHECK(again->error == WSAENOTSOCK);
  CHECK(h.count(RecordKind::HandleReleased) == 1);
}

TEST_CASE("R2: close wakes a thread of the same process blocked in recv, with WSAEINTR") {
  Harness h;
  ThreadId main = h.thread("A", "main");
  ThreadId reader = h.thread("A", "reader");
  Handle s = h.open_connected(main, 0);
  CHECK_FALSE(h.call(reader, Harness::make(CallId::Recv, s, 100), kMillisecond));
  CHECK(h.world.busy(reader));
  CHECK(h.call(main, Harness::make(CallId::CloseSocket, s), 5 * kMillisecond)->value == 0);
  h.run_until(5 * kMillisecond);
  REQUIRE(h.returned.count(reader));
  CHECK(h.returned[reader].error == WSAEINTR);
  auto woken = h.first(RecordKind::ThreadWoken);
  REQUIRE(woken);
  CHECK(woken->rule == RuleId::R2);
  CHECK(woken->seq < h.seq_of(RecordKind::HandleReleased));  // R5: wake before release
}

TEST_CASE("R3: close aborts a pending WSARecv with 995 and signals its event before release") {
  Harness h;
  ThreadId t = h.thread("A", "main");
  Handle s = h.open_connected(t, 0, true);
  ObjectId e = h.call(t, Harness::make(CallId::WSACreateEvent), 0)->object;
  ApiCall recv = Harness::make(CallId::WSARecv, s, 100);
  recv.op = "o1";
  recv.via = CompletionVia::Event;
  recv.object = e;
  CHECK(h.call(t, recv, 0)->io_pending);
  CHECK(h.call(t, Harness::make(CallId::CloseSocket, s), kMillisecond)->value == 0);
  auto done = h.first(RecordKind::OpCompleted);
  REQUIRE(done);
  CHECK(done->error == WSA_OPERATION_ABORTED);
  CHECK(done->rule == RuleId::R3);
  CHECK(h.seq_of(RecordKind::EventSignaled) < h.seq_of(RecordKind::HandleReleased));
  ApiCall wait = Harness::make(CallId::WaitForSingleObject);
  wait.object = e;
  wait.timeout = 0;
  CHECK(h.call(t, wait, 2 * kMillisecond)->wait == "WAIT_OBJECT_0");
}

TEST_CASE("R6: closing one of two duplicates keeps the connection; the last close disconnects") {
  Harness h;
  ThreadId a = h.thread("A", "main");
  ThreadId b = h.thread("B", "main");
  Handle s = h.open_connected(a, 0);
  ApiCall dup = Harness::make(CallId::WSADuplicateSocket, s);
  dup.target_process = "B";
  ObjectId info = h.call(a, dup, 0)->object;
  ApiCall make = Harness::make(CallId::WSASocket);
  make.object = info;
  Handle d = h.call(b, make, 0)->handle;
  CHECK(d != 0);
  CHECK(h.call(a, Harness::make(CallId::CloseSocket, s), kMillisecond)->value == 0);
  h.run_until(10 * kMillisecond);
  CHECK(h.count(RecordKind::FinSent) == 0);
  CHECK(h.count(RecordKind::SocketReleased) == 0);
  CHECK(h.call(b, Harness::make(CallId::Send, d, 100), 10 * kMillisecond)->value == 100);
  CHECK(h.call(b, Harness::make(CallId::CloseSocket, d), 20 * kMillisecond)->value == 0);
  h.run_all();
  CHECK(h.count(RecordKind::FinSent) == 1);
  CHECK(h.count(RecordKind::SocketReleased) == 1);
}

TEST_CASE("R7: default close returns at once and the queue drains in the background") {
  Harness h;
  ThreadId t = h.thread("A", "main");
  Handle s = h.open_connected(t, 0);
  CHECK(h.call(t, Harness::make(CallId::Send, s, 64 * 1024), 0)->value == 65536);
  CHECK(h.call(t, Harness::make(CallId::CloseSocket, s), kMillisecond)->value == 0);
  h.run_all();
  auto fin = h.first(RecordKind::PeerSawFin);
  REQUIRE(fin);
  CHECK(fin->time == 63500 * kMicrosecond);  // 62.5ms on the wire + 1ms latency
  std::int64_t received = 0;
  for (const TraceRecord& r : h.trace.records())
    if (r.kind == RecordKind::PeerReceived && r.seq < fin->seq) received += r.bytes;
  CHECK(received == 65536);
  CHECK(h.first(RecordKind::SocketReleased)->time == 64500 * kMicrosecond);
}

TEST_CASE("R8: linger {1,0} discards the queue and resets") {
  Harness h;
  ThreadId t = h.thread("A", "main");
  Handle s = h.open_connected(t, 0);
  h.world.peer_act(1, World::PeerDoes::StopReading, 0, 0);
  CHECK(h.call(t, Harness::make(CallId::SetSockOpt, s, 1, 0, CallOption::SoLinger), 0)->value == 0);
  CHECK(h.call(t, Harness::make(CallId::Send, s, 1000), 0)->value == 1000);
  CHECK(h.call(t, Harness::make(CallId::CloseSocket, s), kMillisecond)->value == 0);
  h.run_all();
  CHECK(h.count(RecordKind::PeerSawRst) == 1);
  CHECK(h.count(RecordKind::PeerSawFin) == 0);
  CHECK(h.first(RecordKind::DataDiscarded)->bytes == 1000);
}

TEST_CASE("R9: a blocking lingering close returns at the timeout after resetting") {
  Harness h;
  ThreadId t = h.thread("A", "main");
  Handle s = h.open_connected(t, 0);
  h.world.peer_act(1, World::PeerDoes::StopReading, 0, 0);
  h.call(t, Harness::make(CallId::SetSockOpt, s, 1, 2, CallOption::SoLinger), 0);
  h.call(t, Harness::make(CallId::Send, s, 1000), 0);
  CHECK_FALSE(h.call(t, Harness::make(CallId::CloseSocket, s), kMillisecond));
  h.run_all();
  REQUIRE(h.returned.count(t));
  CHECK(h.returned[t].value == 0);
  auto end = h.trace.records().back();
  CHECK(h.first(RecordKind::RstSent)->time == 2001 * kMillisecond);
  CHECK(h.seq_of(RecordKind::RstSent) < h.seq_of(RecordKind::HandleReleased));
  (void)end;
}

TEST_CASE("R10: a non-blocking lingering close fails with WSAEWOULDBLOCK and changes nothing") {
  Harness h;
  ThreadId t = h.thread("A", "main");
  Handle s = h.open_connected(t, 0);
  h.world.peer_act(1, World::PeerDoes::StopReading, 0, 0);
  h.call(t, Harness::make(CallId::IoctlSocket, s, 1), 0);
  h.call(t, Harness::make(CallId::SetSockOpt, s, 1, 5, CallOption::SoLinger), 0);
  h.call(t, Harness::make(CallId::Send, s, 1000), 0);
  auto r = h.call(t, Harness::make(CallId::CloseSocket, s), kMillisecond);
  REQUIRE(r);
  CHECK(r->error == WSAEWOULDBLOCK);
  CHECK(h.count(RecordKind::HandleReleased) == 0);
  CHECK(h.count(RecordKind::FinSent) == 0);
  CHECK(h.call(t, Harness::make(CallId::Send, s, 10), kMillisecond)->value == 10);
}

TEST_CASE("R11: non-IFS hands back once; IFS never; a layered provider hands back lower first") {
  SUBCASE("nonifs") {
    Harness h;
    ThreadId t = h.thread("A", "main");
    Handle s = h.open_connected(t, 0);
    h.call(t, Harness::make(CallId::CloseSocket, s), 0);
    CHECK(h.count(RecordKind::HandleReleased) == 1);
    CHECK(static_cast<HandleKind>(h.first(RecordKind::HandleReleased)->value) == HandleKind::Wpu);
  }
  SUBCASE("ifs") {
    WorldConfig c;
    c.provider = ProviderKind::Ifs;
    Harness h(c);
    ThreadId t = h.thread("A", "main");
    Handle s = h.open_connected(t, 0);
    h.call(t, Harness::make(CallId::CloseSocket, s), 0);
    CHECK(static_cast<HandleKind>(h.first(RecordKind::HandleReleased)->value) == HandleKind::File);
  }
  SUBCASE("lsp over ifs") {
    WorldConfig c;
    c.provider = ProviderKind::LspIfs;
    Harness h(c);
    ThreadId t = h.thread("A", "main");
    Handle s = h.open_connected(t, 0);
    h.call(t, Harness::make(CallId::CloseSocket, s), 0);
    std::vector<TraceRecord> released;
    for (const TraceRecord& r : h.trace.records())
      if (r.kind == RecordKind::HandleReleased) released.push_back(r);
    REQUIRE(released.size() == 2);
    CHECK(released[0].layer == 0);
    CHECK(static_cast<HandleKind>(released[0].value) == HandleKind::File);
    CHECK(released[1].layer == 1);
    CHECK(released[1].handle == s);
    CHECK(static_cast<HandleKind>(released[1].value) == HandleKind::Wpu);
  }
}

TEST_CASE("R12: after its own close a descriptor gets no network events") {
  Harness h;
  ThreadId t = h.thread("A", "main");
  Handle s = h.open_connected(t, 0);
  ObjectId e = h.call(t, Harness::make(CallId::WSACreateEvent), 0)->object;
  ApiCall sel = Harness::make(CallId::WSAEventSelect, s, 1 | 32);
  sel.object = e;
  h.call(t, sel, 0);
  h.call(t, Harness::make(CallId::Send, s, 30000), 0);
  h.call(t, Harness::make(CallId::CloseSocket, s), kMillisecond);
  h.world.peer_act(1, World::PeerDoes::Close, 0, 0);
  h.run_all();
  CHECK(h.count(RecordKind::LocalSawFin) == 1);  // the FIN did reach the draining socket
  CHECK(h.count(RecordKind::NetworkEvent) == 0);
}

TEST_CASE("R13: shutdown(SD_SEND) sends FIN after the queue and keeps the descriptor") {
  Harness h;
  ThreadId t = h.thread("A", "main");
  Handle s = h.open_connected(t, 0);
  h.call(t, Harness::make(CallId::Send, s, 3000), 0);
  CHECK(h.call(t, Harness::make(CallId::Shutdown, s, 1), 0)->value == 0);
  CHECK(h.call(t, Harness::make(CallId::Send, s, 1), 0)->error == WSAESHUTDOWN);
  h.run_until(kSecond);
  CHECK(h.count(RecordKind::FinSent) == 1);
  CHECK(h.count(RecordKind::HandleReleased) == 0);
  CHECK(h.world.socket_of("A", s) != 0);
}

TEST_CASE("R14: cleanup resets, aborts silently, releases; then WSANOTINITIALISED") {
  Harness h;
  ThreadId t = h.thread("A", "main");
  Handle s = h.open_connected(t, 0, true);
  ObjectId e = h.call(t, Harness::make(CallId::WSACreateEvent), 0)->object;
  ApiCall recv = Harness::make(CallId::WSARecv, s, 100);
  recv.op = "o1";
  recv.via = CompletionVia::Event;
  recv.object = e;
  h.call(t, recv, 0);
  CHECK(h.call(t, Harness::make(CallId::WSACleanup), kMillisecond)->value == 0);
  auto done = h.first(RecordKind::OpCompleted);
  REQUIRE(done);
  CHECK(static_cast<CompletionVia>(done->value) == CompletionVia::None);
  CHECK(h.count(RecordKind::EventSignaled) == 0);
  CHECK(h.count(RecordKind::RstSent) == 1);
  CHECK(h.call(t, Harness::make(CallId::Send, s, 1), 2 * kMillisecond)->error == WSANOTINITIALISED);
}

TEST_CASE("mutants change what the world does") {
  WorldConfig c;
  c.mutant = Mutant::HandBackTwice;
  Harness h(c);
  ThreadId t = h.thread("A", "main");
  Handle s = h.open_connected(t, 0);
  h.call(t, Harness::make(CallId::CloseSocket, s), 0);
  CHECK(h.count(RecordKind::HandleReleased) == 2);
  CHECK(parse_mutant("hand-back-twice") == Mutant::HandBackTwice);
  CHECK_FALSE(parse_mutant("no-such-bug"));
  CHECK(mutant_catalogue().size() >= 12);
}

}  // namespace
}  // namespace closesim

namespace closesim {

TEST_CASE("CloseHandle of an IFS socket: the socket goes, Winsock's entry and its value stay (C54)") {
  WorldConfig config;
  config.provider = ProviderKind::Ifs;
  Harness w(config);
  ThreadId t = w.thread("A", "main");
  Handle s = w.open_connected(t, 0);
  std::optional<ApiResult> closed = w.call(t, Harness::make(CallId::CloseHandle, s), 1);
  REQUIRE(closed);
  CHECK(closed->value == 1);
  CHECK(w.count(RecordKind::HandleReleased) == 0);  // the DLL never released the value
  CHECK(w.count(RecordKind::FinSent) == 1);         // the last handle ended the connection
  CHECK(w.call(t, Harness::make(CallId::CloseSocket, s), 2)->error == WSAENOTSOCK);
  CHECK(w.call(t, Harness::make(CallId::CloseHandle, s), 2)->error == ERROR_INVALID_HANDLE);
  // The value is not handed to the next socket: the stale entry still holds it.
  ApiCall next = Harness::make(CallId::Socket);
  CHECK(w.call(t, next, 3)->handle != s);
}

TEST_CASE("CloseHandle of a non-IFS socket's WPU handle leaves the provider's socket working") {
  Harness w;  // nonifs
  ThreadId t = w.thread("A", "main");
  Handle s = w.open_connected(t, 0);
  CHECK(w.call(t, Harness::make(CallId::CloseHandle, s), 1)->value == 1);
  CHECK(w.count(RecordKind::FinSent) == 0);
  CHECK(w.call(t, Harness::make(CallId::CloseHandle, s), 1)->error == ERROR_INVALID_HANDLE);
  CHECK(w.call(t, Harness::make(CallId::CloseSocket, s), 2)->value == 0);
  CHECK(w.count(RecordKind::HandleReleased) == 1);  // R11: the one hand-back, at closesocket
}

}  // namespace closesim
