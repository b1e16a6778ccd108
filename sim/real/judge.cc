// Judging a real trace. Times on a real stack are wall-clock offsets with scheduler noise, and
// the loopback connection has no latency or rate of its own, so:
//  - a call's duration (return minus its own start) is judged against the script's, within the
//    tolerance; a late start is the runner's lateness, reported as a note;
//  - a timed expectation holds within the tolerance of its time; one about the wire (peer sees,
//    peer received) holds when it happened by then (the real wire is faster than the model's);
//  - WPUCloseSocketHandle, released(s) and network events are not observable.
#include "closesim/real/judge.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "closesim/rules/rules.h"

namespace closesim::real {

namespace {

struct Bound {
  int line = 0;
  std::string process;
  Handle handle = 0;
  SocketId socket = 0;
};

// Names made by socket() steps, from the CallEnd each step's line wrote.
std::map<std::string, std::vector<Bound>> bind_names(const Scenario& sc, const Trace& trace) {
  std::map<int, const TraceRecord*> ends;
  for (const TraceRecord& r : trace.records())
    if (r.kind == RecordKind::CallEnd && r.line) ends.emplace(r.line, &r);
  std::map<std::string, std::vector<Bound>> out;
  for (const Step& st : sc.steps) {
    if (st.actor_kind != Step::ActorKind::Thread || st.call.assign.empty()) continue;
    auto it = ends.find(st.line);
    if (it == ends.end() || it->second->socket == 0) continue;
    out[st.call.assign].push_back(Bound{st.line, st.process, it->second->handle, it->second->socket});
  }
  return out;
}

const Bound* bound_at(const std::map<std::string, std::vector<Bound>>& names, const std::string& name,
                      int line) {
  auto it = names.find(name);
  if (it == names.end()) return nullptr;
  const Bound* best = nullptr;
  for (const Bound& b : it->second)
    if (b.line < line) best = &b;
  return best ? best : &it->second.front();
}

// What a call wrote besides its value, from CallEnd's text as docs/trace.md spells it: the
// `key=value` words after the result (`1 read={s} write={}`, `FALSE ... bytes=0`); a value runs
// to the next key outside braces.
std::map<std::string, std::string> outputs_of(const std::string& text) {
  std::map<std::string, std::string> out;
  std::string key, *value = nullptr;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (depth == 0 && c == ' ') {
      std::size_t j = i + 1;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
      if (j > i + 1 && j < text.size() && text[j] == '=') {
        value = &out[text.substr(i + 1, j - i - 1)];
        i = j;
        continue;
      }
    }
    depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    if (value) *value += c;
  }
  return out;
}

// The result itself: CallEnd's text up to its outputs.
std::string head_of(const std::string& text) {
  const auto out = outputs_of(text);
  if (out.empty()) return text;
  std::size_t cut = text.size();
  for (const auto& [key, v] : out) cut = std::min(cut, text.find(" " + key + "="));
  return text.substr(0, cut);
}

bool outputs_match(const ResultSpec& spec, const TraceRecord& end) {
  if (spec.outputs.empty()) return true;
  const auto got = outputs_of(end.text);
  for (const ResultSpec::Output& o : spec.outputs) {
    auto it = got.find(o.key);
    if ((it == got.end() ? "untouched" : it->second) != o.value) return false;
  }
  return true;
}

bool result_matches(const ResultSpec& spec, const TraceRecord& end) {
  if (!outputs_match(spec, end)) return false;
  switch (spec.kind) {
    case ResultSpec::Kind::Any: return true;
    case ResultSpec::Kind::Value: return end.error == 0 && head_of(end.text) == std::to_string(spec.value);
    case ResultSpec::Kind::Ok: return end.error == 0 && end.text == "ok";
    case ResultSpec::Kind::Error: return end.error == spec.error && end.text != "WSA_IO_PENDING";
    case ResultSpec::Kind::IoPending: return end.text == "WSA_IO_PENDING";
    case ResultSpec::Kind::Wait: return end.text == spec.sentinel;
    case ResultSpec::Kind::Completion:
      return end.op == spec.op && end.error == spec.error && end.bytes == spec.value;
    case ResultSpec::Kind::NetworkEvents: {
      // The record as the trace writes it: `FD_READ 0 FD_CLOSE WSAECONNABORTED`, in bit order.
      static const char* const kNames[] = {"FD_READ",   "FD_WRITE",   "FD_OOB",
                                           "FD_ACCEPT", "FD_CONNECT", "FD_CLOSE"};
      std::string text;
      for (const auto& [bit, code] : spec.events) {
        std::size_t i = 0;
        while (i + 1 < std::size(kNames) && (std::int64_t{1} << i) != bit) ++i;
        text += fmt::format("{}{} {}", text.empty() ? "" : " ", kNames[i],
                            code ? error_name(code) : "0");
      }
      return end.error == 0 && end.text == text;
    }
  }
  return false;
}

std::string call_text(const CallAction& c) {
  std::string args;
  for (const Argument& a : c.args) {
    if (!args.empty()) args += ", ";
    args += a.written();
  }
  return fmt::format("{}{}({})", c.assign.empty() ? "" : c.assign + " = ", c.name, args);
}

bool within(Time a, Time b, Time tol) { return a >= b ? a - b <= tol : b - a <= tol; }

void judge_calls(const Scenario& sc, const Trace& trace, const JudgeOptions& o, RealRun& run) {
  std::map<int, const TraceRecord*> begins, ends;
  for (const TraceRecord& r : trace.records()) {
    if (!r.line) continue;
    if (r.kind == RecordKind::CallBegin) begins.emplace(r.line, &r);
    if (r.kind == RecordKind::CallEnd) ends.emplace(r.line, &r);
  }
  for (const Step& st : sc.steps) {
    if (st.actor_kind != Step::ActorKind::Thread || !st.call.result) continue;
    const ResultSpec& spec = *st.call.result;
    auto fail = [&](Time t, std::string m) {
      run.result.failures.push_back(ExpectationFailure{st.line, t, std::move(m), false});
    };
    auto b = begins.find(st.line);
    auto e = ends.find(st.line);
    if (e == ends.end()) {
      if (st.time.blocking && st.time.end_any) continue;  // may return at any later time
      fail(st.time.start, fmt::format("expected {} = {}, but it never returned ({})", call_text(st.call),
                                      spec.text, b == begins.end() ? "it never started" : "still blocked"));
      continue;
    }
    const TraceRecord& end = *e->second;
    const Time began = b == begins.end() ? end.time : b->second->time;
    if (began > st.time.start + o.tolerance)
      run.notes.push_back(fmt::format("line {}: started {} late ({} instead of {}); judged from its "
                                      "own start", st.line, format_time(began - st.time.start),
                                      format_time(began), format_time(st.time.start)));
    const Time took = end.time - began;
    bool on_time = true;
    std::string when;
    if (!st.time.blocking) {
      on_time = took <= o.tolerance;
      when = "at once";
    } else if (st.time.end_any) {
      when = "at some later time";
    } else {
      on_time = within(took, st.time.end - st.time.start, o.tolerance);
      when = "after " + format_time(st.time.end - st.time.start);
    }
    if (result_matches(spec, end) && on_time) continue;
    fail(end.time, fmt::format("expected {} = {} {}, got {} after {}", call_text(st.call), spec.text,
                               when, end.text, format_time(took)));
  }
}

// How late the runner was by `at`: the lateness of the return of the last call step planned at or
// before it. A real run falls behind its script when a call is slow to return or a thread slow to
// be scheduled; an expectation is judged against the script's time moved by that much, so that
// the runner's lateness is not charged to the stack.
Time lag_before(const Scenario& sc, const Trace& trace, Time at) {
  std::map<int, Time> returned;
  for (const TraceRecord& r : trace.records())
    if (r.kind == RecordKind::CallEnd && r.line) returned.emplace(r.line, r.time);
  Time lag = 0;
  for (const Step& st : sc.steps) {
    if (st.actor_kind != Step::ActorKind::Thread || st.time.start > at) continue;
    auto it = returned.find(st.line);
    if (it == returned.end() || (st.time.blocking && st.time.end_any)) continue;
    const Time planned = st.time.blocking ? st.time.end : st.time.start;
    if (planned <= at) lag = std::max<Time>(0, it->second - planned);
  }
  return lag;
}

// A trace that has the provider's own records (a simulator's, or a harness inside a provider)
// can be judged on the hand-back and the release too.
bool has_provider_records(const Trace& trace) {
  for (const TraceRecord& r : trace.records())
    if (r.kind == RecordKind::HandleCreated || r.kind == RecordKind::HandleReleased) return true;
  return false;
}

void judge_expectations(const Scenario& sc, const Trace& trace, const JudgeOptions& o, RealRun& run) {
  const bool provider_records = has_provider_records(trace);
  const auto names = bind_names(sc, trace);
  const auto& recs = trace.records();
  for (const Step& st : sc.steps) {
    if (st.actor_kind != Step::ActorKind::Expect) continue;
    const Expectation& e = st.expect;
    std::string said = st.source.substr(std::min(st.source.size(), st.source.find("expect") + 6));
    said = said.substr(0, said.find('#'));
    while (!said.empty() && said.back() == ' ') said.pop_back();
    auto unobservable = [&](const std::string& why) {
      run.not_observable.push_back(fmt::format("line {}: {}: {}", st.line,
                                               said.substr(said.find_first_not_of(' ')), why));
    };
    if (e.kind == Expectation::Kind::HandleReturned && !provider_records) {
      unobservable("the provider's hand-back to the Winsock DLL is not observable on a real stack");
      continue;
    }
    if (e.kind == Expectation::Kind::Released && !provider_records) {
      unobservable("when the provider discards a socket's state is not observable on a real stack");
      continue;
    }
    if (e.kind == Expectation::Kind::NetworkEvent) {
      unobservable("the runner does not record network events yet (reading them would consume the "
                   "scenario's own event)");
      continue;
    }
    const bool timed = !st.time.any;
    const Time at = st.time.start;
    const Time lag = timed ? lag_before(sc, trace, at) : 0;
    const bool wire = e.kind == Expectation::Kind::PeerSees || e.kind == Expectation::Kind::PeerReceived;
    auto fail = [&](std::string got) {
      run.result.failures.push_back(ExpectationFailure{
          st.line, timed ? at : 0,
          fmt::format("expected {}{}, got {}", said.substr(said.find_first_not_of(' ')),
                      timed ? " at " + format_time(at) : "", got),
          false});
    };
    const Bound* b = nullptr;
    if (e.kind != Expectation::Kind::OpCompletes && e.kind != Expectation::Kind::ThreadWakes) {
      b = bound_at(names, e.subject, st.line);
      if (!b) {
        fail(fmt::format("'{}' was never made on the real stack", e.subject));
        continue;
      }
    }
    if (e.kind == Expectation::Kind::PeerReceived) {
      std::uint64_t from = 0;
      if (e.after_close) {
        for (const TraceRecord& r : recs)
          if (r.kind == RecordKind::CallBegin && r.call == CallId::CloseSocket && r.socket == b->socket) {
            from = r.seq;
            break;
          }
      }
      std::int64_t total = 0;
      for (const TraceRecord& r : recs) {
        if (timed && r.time > at + lag + o.tolerance) break;
        if (r.kind == RecordKind::PeerReceived && r.socket == b->socket && r.seq > from) total += r.bytes;
      }
      if ((total == e.bytes) == e.negated)
        fail(fmt::format("{} bytes{}", total, timed ? " by then" : " in all"));
      continue;
    }
    std::vector<Time> seen;
    std::string instead;
    for (const TraceRecord& r : recs) {
      bool m = false;
      if (e.kind == Expectation::Kind::PeerSees) {
        const bool end = r.kind == RecordKind::PeerSawRst || r.kind == RecordKind::PeerSawFin;
        m = end && r.socket == b->socket &&
            (r.kind == RecordKind::PeerSawRst) == (e.what == "RST");
        if (end && r.socket == b->socket && !m)
          instead = fmt::format("{} at {}", r.kind == RecordKind::PeerSawRst ? "RST" : "FIN", format_time(r.time));
      } else if (e.kind == Expectation::Kind::OpCompletes) {
        if (r.kind == RecordKind::OpCompleted && r.op == e.subject) {
          const bool via_ok = e.what.empty() || via_name(static_cast<CompletionVia>(r.value)) == e.what;
          m = (e.any_status || r.error == e.status) && via_ok;
          if (!m) instead = fmt::format("{} at {}", r.error ? error_name(r.error) : "0", format_time(r.time));
        }
      } else if (e.kind == Expectation::Kind::HandleReturned) {
        m = r.kind == RecordKind::HandleReleased && r.process == b->process && r.handle == b->handle &&
            static_cast<HandleKind>(r.value) == HandleKind::Wpu;
      } else if (e.kind == Expectation::Kind::Released) {
        m = r.kind == RecordKind::SocketReleased && r.socket == b->socket;
      } else if (e.kind == Expectation::Kind::ThreadWakes) {
        // A real stack shows a wake as the parked call returning.
        m = r.kind == RecordKind::CallEnd && r.actor == e.subject;
      }
      if (m) seen.push_back(r.time);
    }
    bool happened = !seen.empty();
    if (timed && happened) {
      happened = std::any_of(seen.begin(), seen.end(), [&](Time t) {
        return wire ? t <= at + lag + o.tolerance : within(t, at + lag, o.tolerance) || within(t, at, o.tolerance);
      });
    }
    if (happened != e.negated) continue;
    if (e.negated) fail(fmt::format("it happened at {}", format_time(seen.front())));
    else if (!seen.empty()) fail(fmt::format("it happened at {} instead", format_time(seen.front())));
    else if (!instead.empty()) fail(fmt::format("none ({} instead)", instead));
    else fail("it never happened");
  }
}

}  // namespace

bool rule_observable_on_real_stack(RuleId rule) {
  // R4's ledger is kept in calls and completions; every other monitor needs the provider's own
  // records (handles created and released, reference counts, FIN and RST sent, linger timers).
  return rule == RuleId::R4;
}

RealRun judge_trace(const Scenario* sc, Trace trace, const JudgeOptions& o) {
  RealRun run;
  run.result.trace = std::move(trace);
  run.result.rules_mode = o.rules;
  if (sc) run.result.scenario = *sc;
  run.result.scenario.profile = o.profile;
  for (const TraceRecord& r : run.result.trace.records()) {
    run.result.end_time = r.time;
    if (r.kind == RecordKind::Note) run.notes.push_back(r.text);
  }
  if (sc) {
    judge_calls(*sc, run.result.trace, o, run);
    judge_expectations(*sc, run.result.trace, o, run);
    std::stable_sort(run.result.failures.begin(), run.result.failures.end(),
                     [](const ExpectationFailure& a, const ExpectationFailure& b) { return a.line < b.line; });
  }
  if (o.rules != RulesMode::Off) {
    CheckerOptions co;
    co.profile = o.profile;
    RuleReport all = check_rules(run.result.trace, co);
    if (has_provider_records(run.result.trace)) {
      run.result.rules = std::move(all);  // every monitor's premises are in the trace
      return run;
    }
    for (const Violation& v : all.violations)
      if (rule_observable_on_real_stack(v.rule)) run.result.rules.violations.push_back(v);
    for (const RuleCoverage& c : all.coverage)
      if (rule_observable_on_real_stack(c.rule)) run.result.rules.coverage.push_back(c);
    std::string unjudged;
    const std::vector<int>& wanted = sc ? sc->rules : std::vector<int>{};
    for (int i : wanted)
      if (!rule_observable_on_real_stack(static_cast<RuleId>(i)))
        unjudged += (unjudged.empty() ? "" : " ") + rule_name(static_cast<RuleId>(i));
    if (!unjudged.empty())
      run.not_observable.push_back(fmt::format(
          "rules {}: their monitors need the provider's own records (handles, reference counts, "
          "FIN/RST sent): not observable on a real stack; the expectations judge what the "
          "application and the peer saw", unjudged));
  }
  return run;
}

std::string outcome_signature(const RealRun& run) {
  // A failure without its times, so runs that differ only by noise count as one outcome.
  static const std::regex times(R"(( at| after| by) [0-9.]+(ns|us|ms|s)\b( instead)?)");
  std::string out = run.result.verdict() == Verdict::Pass ? "pass" : "fail";
  for (const ExpectationFailure& f : run.result.failures) {
    const std::string& m = f.message;
    auto got = m.find(", got ");
    std::string what = got == std::string::npos ? m : m.substr(got + 6);
    out += fmt::format("; line {}: {}", f.line, std::regex_replace(what, times, ""));
  }
  return out;
}

}  // namespace closesim::real
