// The `expect` lines of a scenario, checked against the finished trace. A timed expectation must
// hold at exactly its virtual time; `*` at some point of the run (negated: at no point). Counts
// ("received N bytes") are read at the time given, or at the end of the run for `*`.
#include "run/expectations.h"

#include <fmt/format.h>

#include "closesim/base/errors.h"

namespace closesim {

namespace {

struct Match {
  bool found = false;
  Time first = 0;     // first matching record's time (any time)
  bool any = false;   // matched at some time
};

std::string describe(const Expectation& e) {
  switch (e.kind) {
    case Expectation::Kind::PeerSees: return fmt::format("peer({}) sees {}", e.subject, e.what);
    case Expectation::Kind::PeerReceived:
      return fmt::format("peer({}) received {} bytes{}", e.subject, e.bytes,
                         e.after_close ? " after close" : "");
    case Expectation::Kind::OpCompletes:
      return fmt::format("{} completes{}{}", e.subject,
                         e.any_status ? "" : " " + (e.status ? error_name(e.status) : std::string("0")),
                         e.what.empty() ? "" : " via " + e.what);
    case Expectation::Kind::HandleReturned: return fmt::format("WPUCloseSocketHandle({})", e.subject);
    case Expectation::Kind::FileHandleClosed: return fmt::format("CloseHandle({})", e.subject);
    case Expectation::Kind::HandleReleased: return fmt::format("handle released({})", e.subject);
    case Expectation::Kind::Released: return fmt::format("released({})", e.subject);
    case Expectation::Kind::ThreadWakes: return fmt::format("{} wakes", e.subject);
    case Expectation::Kind::NetworkEvent: return fmt::format("{}({})", e.what, e.subject);
  }
  return "?";
}

std::string times_of(const std::vector<Time>& ts) {
  std::string out;
  for (std::size_t i = 0; i < ts.size() && i < 4; ++i) {
    if (i) out += ", ";
    out += format_time(ts[i]);
  }
  if (ts.size() > 4) out += ", ...";
  return out;
}

}  // namespace

void check_expectations(const Scenario& sc, const Trace& trace, const NameHistory& names,
                        std::vector<ExpectationFailure>& failures) {
  const auto& recs = trace.records();
  for (const Step& st : sc.steps) {
    if (st.actor_kind != Step::ActorKind::Expect) continue;
    const Expectation& e = st.expect;
    const bool timed = !st.time.any;
    const Time at = st.time.start;
    const std::string what = describe(e);
    const std::string when = timed ? "at " + format_time(at) : "at some point";
    auto failure = [&](std::string got) {
      failures.push_back(ExpectationFailure{
          st.line, timed ? at : 0,
          fmt::format("expected {}{} {}, got {}", e.negated ? "no " : "", what,
                      e.negated && !timed ? "at any point" : when, got),
          false});
    };
    const Binding* b = nullptr;
    if (e.kind != Expectation::Kind::OpCompletes && e.kind != Expectation::Kind::ThreadWakes) {
      b = names.at_line(e.subject, st.line);
      if (!b) {
        failure(fmt::format("'{}' was never bound (the step that creates it did not run)", e.subject));
        continue;
      }
    }

    if (e.kind == Expectation::Kind::PeerReceived) {
      std::uint64_t from_seq = 0;
      bool have_close = !e.after_close;
      if (e.after_close) {
        for (const TraceRecord& r : recs)
          if (r.kind == RecordKind::CallBegin && r.call == CallId::CloseSocket && r.process == b->process &&
              r.handle == b->handle && r.seq > b->seq) {
            from_seq = r.seq;
            have_close = true;
            break;
          }
        if (!have_close) {
          failure(fmt::format("{} was never closed", e.subject));
          continue;
        }
      }
      std::int64_t total = 0;
      for (const TraceRecord& r : recs) {
        if (timed && r.time > at) break;
        if (r.kind == RecordKind::PeerReceived && r.socket == b->socket && r.seq > from_seq)
          total += r.bytes;
      }
      const bool holds = (total == e.bytes) != e.negated;
      if (!holds)
        failure(fmt::format("{} bytes{}", total, timed ? " by " + format_time(at) : " in all"));
      continue;
    }

    // Presence expectations: find the matching records.
    std::vector<Time> all;
    bool at_time = false;
    std::string seen;  // what did happen instead, for the message
    std::string note;  // how to write what did happen, when the expectation cannot hold
    for (const TraceRecord& r : recs) {
      bool m = false;
      switch (e.kind) {
        case Expectation::Kind::PeerSees:
          m = r.socket == b->socket &&
              ((e.what == "RST" && r.kind == RecordKind::PeerSawRst) ||
               (e.what == "FIN" && r.kind == RecordKind::PeerSawFin));
          if (r.socket == b->socket && (r.kind == RecordKind::PeerSawRst || r.kind == RecordKind::PeerSawFin) && !m)
            seen = fmt::format("{} at {}", r.kind == RecordKind::PeerSawRst ? "RST" : "FIN", format_time(r.time));
          break;
        case Expectation::Kind::OpCompletes:
          if (r.kind == RecordKind::OpCompleted && r.op == e.subject) {
            const bool status_ok = e.any_status || r.error == e.status;
            const bool via_ok = e.what.empty() || via_name(static_cast<CompletionVia>(r.value)) == e.what;
            m = status_ok && via_ok;
            if (!m)
              seen = fmt::format("{} via {} at {}", r.error ? error_name(r.error) : "0",
                                 via_name(static_cast<CompletionVia>(r.value)), format_time(r.time));
          }
          break;
        case Expectation::Kind::HandleReturned:
          m = r.kind == RecordKind::HandleReleased && r.process == b->process &&
              r.handle == b->handle && r.seq > b->seq &&
              static_cast<HandleKind>(r.value) == HandleKind::Wpu;
          if (r.kind == RecordKind::HandleReleased && r.process == b->process &&
              r.handle == b->handle && !m) {
            seen = fmt::format("CloseHandle({}) at {}", e.subject, format_time(r.time));
            note = fmt::format("; an IFS provider closes its file handle: `handle released({})` holds "
                               "for both kinds", e.subject);
          }
          break;
        case Expectation::Kind::FileHandleClosed:
        case Expectation::Kind::HandleReleased: {
          const bool mine = r.kind == RecordKind::HandleReleased && r.process == b->process &&
                            r.handle == b->handle && r.seq > b->seq;
          const bool file = static_cast<HandleKind>(r.value) == HandleKind::File;
          m = mine && (e.kind == Expectation::Kind::HandleReleased || file);
          if (mine && !m) {
            seen = fmt::format("WPUCloseSocketHandle({}) at {}", e.subject, format_time(r.time));
            note = fmt::format("; a non-IFS provider hands the handle back: `handle released({})` "
                               "holds for both kinds", e.subject);
          }
          break;
        }
        case Expectation::Kind::Released:
          m = r.kind == RecordKind::SocketReleased && r.socket == b->socket;
          break;
        case Expectation::Kind::ThreadWakes:
          m = r.kind == RecordKind::ThreadWoken && r.actor == e.subject;
          break;
        case Expectation::Kind::NetworkEvent:
          m = r.kind == RecordKind::NetworkEvent && r.process == b->process &&
              r.handle == b->handle && r.text == e.what && r.seq > b->seq;
          break;
        case Expectation::Kind::PeerReceived: break;
      }
      if (!m) continue;
      all.push_back(r.time);
      if (r.time == at) at_time = true;
    }
    const bool happened = timed ? at_time : !all.empty();
    if (happened == !e.negated) continue;
    // "expected no X at any point, got it at 2ms"; "expected X at 3ms, got it at 2ms".
    if (!all.empty())
      failure(fmt::format("it at {}", times_of(all)));
    else if (!seen.empty())
      failure(fmt::format("none ({} instead){}", seen, note));
    else
      failure("none");
  }
}

}  // namespace closesim
