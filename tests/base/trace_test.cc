// The trace: dense sequence numbers, names for handles and peers, and a hash that sees every
// field (determinism checks compare runs by it).
#include <doctest/doctest.h>

#include "closesim/base/check.h"
#include "closesim/base/trace.h"

using namespace closesim;

namespace {

TraceRecord call_begin(Time t, CallId call, CallOption option = CallOption::None) {
  TraceRecord r;
  r.time = t;
  r.kind = RecordKind::CallBegin;
  r.actor = "A.main";
  r.process = "A";
  r.handle = 4;
  r.socket = 1;
  r.call = call;
  r.option = option;
  return r;
}

}  // namespace

TEST_CASE("append numbers records densely from 0") {
  Trace t;
  CHECK(t.append(call_begin(0, CallId::Socket)).seq == 0);
  CHECK(t.append(call_begin(5, CallId::Connect)).seq == 1);
  CHECK(t.size() == 2);
  CHECK_THROWS_AS(t.append(call_begin(4, CallId::Send)), InternalError);  // time went backwards
}

TEST_CASE("equal traces hash equal; the call, its option and the text each change the hash") {
  auto make = [](CallId call, CallOption option, const std::string& text) {
    Trace t;
    TraceRecord r = call_begin(1, call, option);
    r.text = text;
    t.append(r);
    return t.hash();
  };
  const std::uint64_t base = make(CallId::SetSockOpt, CallOption::SoLinger, "s, SO_LINGER, 1, 0");
  CHECK(make(CallId::SetSockOpt, CallOption::SoLinger, "s, SO_LINGER, 1, 0") == base);
  CHECK(make(CallId::IoctlSocket, CallOption::SoLinger, "s, SO_LINGER, 1, 0") != base);
  CHECK(make(CallId::SetSockOpt, CallOption::SoDontLinger, "s, SO_LINGER, 1, 0") != base);
  CHECK(make(CallId::SetSockOpt, CallOption::SoLinger, "s, SO_LINGER, 1, 1") != base);
}

TEST_CASE("handles and peers are named by the run's names, else by number") {
  Trace t;
  t.names().handles[{"A", 4}] = "s";
  t.names().descriptors[{"A", 4, 1}] = "s";
  t.names().descriptors[{"A", 4, 2}] = "d";  // the value reused for another socket
  t.names().sockets[1] = "s";
  CHECK(t.handle_name("A", 4) == "s");
  CHECK(t.handle_name("A", 4, 2) == "d");
  CHECK(t.handle_name("A", 8) == "0x8");
  CHECK(t.peer_name(1) == "peer(s)");
  CHECK(t.peer_name(3) == "peer#3");
}
