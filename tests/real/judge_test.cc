// Judging a trace as a real stack records it: only calls, completions and what the peer saw,
// with wall-clock noise. Expectations hold within the tolerance; what a real stack cannot show is
// listed, never passed.
#include <doctest/doctest.h>

#include "closesim/scenario/parser.h"
#include "closesim/real/judge.h"
#include "closesim/real/real_report.h"

namespace closesim::real {
namespace {

const char* kScenario =
    "rules R7 R11\n"
    "0        A.main   s = socket(tcp)      = ok\n"
    "0        A.main   connect(s)           = 0\n"
    "0        A.main   send(s, 64KiB)       = 65536\n"
    "1ms      A.main   closesocket(s)       = 0\n"
    "+0       expect   WPUCloseSocketHandle(s)\n"
    "63.5ms   expect   peer(s) received 65536 bytes\n"
    "63.5ms   expect   peer(s) sees FIN\n"
    "*        expect   no peer(s) sees RST\n";

Scenario scenario() {
  ParseResult p = parse_scenario("graceful.scn", kScenario);
  REQUIRE(p.ok());
  return p.scenario;
}

// What the runner writes for that scenario; `end` is how the peer's stream ended.
struct RealTrace {
  Time close_took = 100 * kMicrosecond;
  std::string close_result = "0";
  RecordKind end = RecordKind::PeerSawFin;
  Time end_at = 3 * kMillisecond;
  Time close_at = kMillisecond;  // when the runner got round to the close (planned: 1ms)

  Trace build() const {
    Trace t;
    auto add = [&](Time at, RecordKind k, int line, std::string call, std::string text, std::int64_t bytes = 0) {
      TraceRecord r;
      r.time = at;
      r.kind = k;
      r.actor = k == RecordKind::PeerReceived || k == RecordKind::PeerSawFin || k == RecordKind::PeerSawRst ? "peer#1" : "A.main";
      r.process = "A";
      r.handle = 0x100;
      r.socket = 1;
      r.call = call.empty() ? CallId::None : *find_call_id(call);
      r.text = std::move(text);
      r.bytes = bytes;
      r.line = line;
      t.append(r);
    };
    add(10'000, RecordKind::CallBegin, 2, "socket", "tcp");
    add(20'000, RecordKind::CallEnd, 2, "socket", "ok");
    add(30'000, RecordKind::CallBegin, 3, "connect", "s");
    add(40'000, RecordKind::CallEnd, 3, "connect", "0");
    add(50'000, RecordKind::CallBegin, 4, "send", "s, 65536");
    add(60'000, RecordKind::CallEnd, 4, "send", "65536");
    add(close_at, RecordKind::CallBegin, 5, "closesocket", "s");
    add(close_at + close_took, RecordKind::CallEnd, 5, "closesocket", close_result);
    add(close_at + kMillisecond + close_took, RecordKind::PeerReceived, 0, "", "", 65536);
    add(end_at + close_took, end, 0, "", "");
    t.names().sockets[1] = "s";
    return t;
  }
};

RealRun judge(const RealTrace& t) {
  Scenario sc = scenario();
  return judge_trace(&sc, t.build(), JudgeOptions{10 * kMillisecond, ProfileKind::Documented});
}

TEST_CASE("a real trace that did what the script says passes; the hand-back is not observable") {
  RealRun run = judge(RealTrace{});
  CHECK(run.result.failures.empty());
  CHECK(run.result.verdict() == Verdict::Pass);
  bool hand_back = false, rules = false;
  for (const std::string& s : run.not_observable) {
    hand_back |= s.find("line 6") != std::string::npos && s.find("not observable") != std::string::npos;
    rules |= s.find("R7 R11") != std::string::npos;
  }
  CHECK(hand_back);
  CHECK(rules);
  std::string text = render_real_text(run, {});
  CHECK(text.find("not observable on a real stack:") != std::string::npos);
  CHECK(text.find("PASS") != std::string::npos);
}

TEST_CASE("a reset instead of a FIN fails the peer expectations") {
  RealTrace t;
  t.end = RecordKind::PeerSawRst;
  RealRun run = judge(t);
  REQUIRE(run.result.failures.size() == 2);
  CHECK(run.result.failures[0].line == 8);
  CHECK(run.result.failures[0].message.find("RST") != std::string::npos);
  CHECK(run.result.failures[1].line == 9);
  CHECK(outcome_signature(run).find("line 8") != std::string::npos);
}

TEST_CASE("a close that blocks beyond the tolerance, or fails, is a failed call step") {
  RealTrace slow;
  slow.close_took = 30 * kMillisecond;
  RealRun a = judge(slow);
  REQUIRE_FALSE(a.result.failures.empty());
  CHECK(a.result.failures[0].line == 5);
  CHECK(a.result.failures[0].message.find("at once") != std::string::npos);

  RealTrace failed;
  failed.close_result = "SOCKET_ERROR WSAENOTSOCK";
  RealRun b = judge(failed);
  REQUIRE_FALSE(b.result.failures.empty());
  CHECK(b.result.failures[0].line == 5);
}

TEST_CASE("wire expectations hold when the event came by their time: a loopback is faster than the model") {
  RealTrace late;
  late.end_at = 90 * kMillisecond;  // beyond 63.5ms + 10ms
  RealRun run = judge(late);
  REQUIRE(run.result.failures.size() == 1);
  CHECK(run.result.failures[0].line == 8);
}

TEST_CASE("the runner's own lateness moves the expectations with it; the stack is not charged") {
  RealTrace late;
  late.close_at = 40 * kMillisecond;  // a loaded machine scheduled the close 39ms late
  late.end_at = 100 * kMillisecond;   // and the FIN came 60ms after it
  RealRun run = judge(late);
  CHECK(run.result.failures.empty());
  REQUIRE_FALSE(run.notes.empty());
  CHECK(run.notes[0].find("late") != std::string::npos);
  late.end_at = 120 * kMillisecond;  // 40ms + 63.5ms + 10ms tolerance is the latest a FIN may come
  CHECK_FALSE(judge(late).result.failures.empty());
}

TEST_CASE("outcome signatures ignore timing, so repeated runs tally by behaviour") {
  RealTrace a, b;
  a.end = b.end = RecordKind::PeerSawRst;
  b.end_at = 5 * kMillisecond;
  CHECK(outcome_signature(judge(a)) == outcome_signature(judge(b)));
  CHECK(outcome_signature(judge(RealTrace{})) == "pass");
}

}  // namespace
}  // namespace closesim::real

namespace closesim::real {
namespace {

TEST_CASE("a trace with the provider's records is judged in full: hand-back, release and every rule") {
  RealTrace t;
  Trace trace = t.build();
  TraceRecord released;
  released.time = trace.records().back().time;
  released.kind = RecordKind::HandleReleased;
  released.actor = "provider";
  released.process = "A";
  released.handle = 0x100;
  released.socket = 1;
  released.value = static_cast<std::int64_t>(HandleKind::Wpu);
  trace.append(released);
  Scenario sc = scenario();
  RealRun run = judge_trace(&sc, std::move(trace), JudgeOptions{10 * kMillisecond, ProfileKind::Documented});
  for (const std::string& s : run.not_observable) CHECK(s.find("line 6") == std::string::npos);
  for (const ExpectationFailure& f : run.result.failures) CHECK(f.line != 6);
  CHECK(run.result.rules.coverage.size() == static_cast<std::size_t>(kRuleCount));
}

}  // namespace
}  // namespace closesim::real

namespace closesim::real {
namespace {

// A select, a getsockopt and a WSAGetOverlappedResult as the runner records them: the result,
// then what the call wrote (docs/trace.md, CallEnd).
RealRun judge_outputs(const std::string& select_text, const std::string& optval_text,
                      const std::string& overlapped_text) {
  ParseResult p = parse_scenario(
      "outputs.scn",
      "0   A.main  s = socket(tcp)                                      = ok\n"
      "0   A.main  select(read={s}, write={s}, except={s}, 10ms)        = 1 read={} write={s} except={}\n"
      "0   A.main  getsockopt(s, SO_LINGER)                             = 0 optval={1, 5}\n"
      "0   A.main  WSAGetOverlappedResult(s, o1)                        = FALSE WSAECONNABORTED bytes=0\n");
  REQUIRE(p.ok());
  Trace t;
  const std::pair<const char*, std::string> ends[] = {
      {"socket", "ok"}, {"select", select_text}, {"getsockopt", optval_text}, {"WSAGetOverlappedResult", overlapped_text}};
  Time at = 0;
  int line = 1;
  for (const auto& [call, text] : ends) {
    TraceRecord r;
    r.actor = "A.main";
    r.process = "A";
    r.handle = 0x100;
    r.socket = 1;
    r.call = *find_call_id(call);
    r.line = line++;
    r.time = at += 1000;
    r.kind = RecordKind::CallBegin;
    t.append(r);
    r.time = at += 1000;
    r.kind = RecordKind::CallEnd;
    r.text = text;
    r.error = text.find("WSAECONNABORTED") != std::string::npos ? 10053 : 0;
    r.value = text.rfind("FALSE", 0) == 0 ? 0 : text[0] - '0';
    t.append(r);
  }
  return judge_trace(&p.scenario, std::move(t), JudgeOptions{10 * kMillisecond, ProfileKind::Documented});
}

TEST_CASE("a real call's outputs are judged as the script states them: sets, optval, bytes") {
  CHECK(judge_outputs("1 read={} write={s} except={}", "0 optval={1, 5}", "FALSE WSAECONNABORTED bytes=0")
            .result.failures.empty());
  RealRun sets = judge_outputs("1 read={s} write={} except={}", "0 optval={1, 5}", "FALSE WSAECONNABORTED bytes=0");
  REQUIRE(sets.result.failures.size() == 1);
  CHECK(sets.result.failures[0].line == 2);
  RealRun optval = judge_outputs("1 read={} write={s} except={}", "0 optval={0, 0}", "FALSE WSAECONNABORTED bytes=0");
  REQUIRE(optval.result.failures.size() == 1);
  CHECK(optval.result.failures[0].line == 3);
  CHECK(optval.result.failures[0].message.find("optval={0, 0}") != std::string::npos);
  RealRun bytes = judge_outputs("1 read={} write={s} except={}", "0 optval={1, 5}", "FALSE WSAECONNABORTED bytes=7");
  REQUIRE(bytes.result.failures.size() == 1);
  CHECK(bytes.result.failures[0].line == 4);
  // An output the call did not write is `untouched`; the value alone must still match.
  RealRun bare = judge_outputs("1 read={} write={s} except={}", "0", "FALSE WSAECONNABORTED bytes=0");
  REQUIRE(bare.result.failures.size() == 1);
  CHECK(bare.result.failures[0].line == 3);
}

}  // namespace
}  // namespace closesim::real
