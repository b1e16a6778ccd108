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

TEST_CASE("records stay where they were written and read back in order across chunks") {
  // Past the growing chunks (64 ... 8192 records, 16320 in all) into the fixed-size ones.
  constexpr std::size_t kCount = 40'000;
  Trace t;
  const TraceRecord* first = &t.append(call_begin(0, CallId::Socket));
  const TraceRecord* at_boundary = nullptr;
  for (std::size_t i = 1; i < kCount; ++i) {
    TraceRecord r = call_begin(static_cast<Time>(i), CallId::Send);
    r.value = static_cast<std::int64_t>(i);
    const TraceRecord& kept = t.append(std::move(r));
    if (i == 64) at_boundary = &kept;
  }
  REQUIRE(t.size() == kCount);
  CHECK(&t.records().front() == first);  // appending never moved a record
  CHECK(&t.records()[64] == at_boundary);
  CHECK(t.records().back().value == static_cast<std::int64_t>(kCount - 1));
  std::size_t i = 0;
  bool in_order = true;
  for (const TraceRecord& r : t.records()) {
    in_order = in_order && r.seq == i && r.time == static_cast<Time>(i) && &r == &t.records()[i];
    ++i;
  }
  CHECK(in_order);
  CHECK(i == kCount);
  CHECK(t.records().end() - t.records().begin() == static_cast<std::ptrdiff_t>(kCount));
  CHECK(t.records().capacity_bytes() >= kCount * sizeof(TraceRecord));
}
