// The text of each line of the timeline (timeline_lines.h): one line per interesting record, in
// trace order, written in Winsock terms with the script's names; records that belong together
// share one line. What a line means, by rule, is timeline_explain.cc's.
#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "report/timeline_lines.h"

namespace closesim::report {

namespace {

std::string waiting(const std::string& what) { return "blocks" + waiting_for(what); }

}  // namespace

std::string TimelineRows::actor_of(const TraceRecord& r) const {
  switch (r.kind) {
    case RecordKind::OpCompleted:
    case RecordKind::EventSignaled:
    case RecordKind::ApcQueued:
    case RecordKind::PortPacketPosted:
      return "provider";
    case RecordKind::PeerSawFin:
    case RecordKind::PeerSawRst:
    case RecordKind::PeerAction:
      return v_.peer(r.socket);
    case RecordKind::HandleCreated:  // the provider asks the DLL for a handle (or, IFS, makes one)
      return "provider";
    default:
      break;
  }
  if (r.actor.rfind("peer", 0) == 0) return v_.peer(r.socket);
  if (r.actor.empty()) return "-";
  return r.actor;
}

std::string TimelineRows::layer_suffix(const TraceRecord& r) const {
  if (v_.layered() || r.layer != 0) return fmt::format(" [layer {}]", r.layer);
  return "";
}

std::string TimelineRows::status_name(int error) const {
  return error == 0 ? "success" : error_name(error);
}

const CallSpan* TimelineRows::span(std::size_t i) const {
  std::size_t c = v_.call_of[i];
  return c == kNone ? nullptr : &v_.calls[c];
}

TimelineLine TimelineRows::describe(std::size_t i) const {
  const TraceRecord& r = at(i);
  TimelineLine line;
  line.record = i;
  line.time = r.time;
  line.actor = actor_of(r);
  line.covers.push_back(i);
  bool tag_rule = true;

  if (r.kind == RecordKind::DataQueued && v_.call_of[i] != kNone) return TimelineLine{};  // in the call's line
  if (v_.run_of[i] != kNone) {
    const DataRun& run = v_.runs[v_.run_of[i]];
    line.actor = "link";
    line.text = v_.run_summary(run);
    line.covers = run.records;
    return line;
  }

  switch (r.kind) {
    case RecordKind::CallBegin: {
      const CallSpan* c = span(i);
      const TraceRecord* end = c && c->end != kNone ? &at(c->end) : nullptr;
      if (c && c->blocked == kNone && end && end->time == r.time) {
        line.text = fmt::format("{}{} = {}", v_.call_assign(*end), v_.call_with_args(r),
                                v_.call_result(*end));
        line.covers.push_back(c->end);
      } else if (c && c->blocked == i + 1) {
        line.text = fmt::format("{} {}", v_.call_with_args(r), waiting(at(c->blocked).text));
        line.covers.push_back(c->blocked);
      } else {
        // A call that parks only after the provider's records (a lingering close: its
        // WSPCloseSocket and linger timer come first) shows its "blocks" line after them, where
        // the block happened, and explains it there.
        line.text = v_.call_with_args(r);
      }
      break;
    }
    case RecordKind::ThreadBlocked: {
      const CallSpan* c = span(i);
      std::string call = c ? v_.call_short(at(c->begin)) : "call";
      line.text = fmt::format("{} {}", call, waiting(r.text));
      break;
    }
    case RecordKind::ThreadWoken: {
      const CallSpan* c = span(i);
      std::string call = c ? v_.call_short(at(c->begin)) : "call";
      line.text = r.rule != RuleId::None ? fmt::format("{} woken by {}", call, rule_name(r.rule))
                                         : fmt::format("{} wakes", call);
      // A woken call's return is shown on the same line, except a close's: its return comes
      // after the hand-back (R11), and the timeline keeps that order visible.
      if (c && c->end != kNone && at(c->end).time == r.time && at(c->begin).call != CallId::CloseSocket) {
        const TraceRecord& end = at(c->end);
        line.text += " -> " + v_.call_result(end);
        std::string assigned = v_.call_assign(end);
        if (!assigned.empty() && end.handle != 0) line.text += " (" + v_.handle(end) + ")";
        line.covers.push_back(c->end);
      }
      tag_rule = false;
      break;
    }
    case RecordKind::CallEnd: {
      const CallSpan* c = span(i);
      std::string call = c ? v_.call_short(at(c->begin)) : fmt::format("{}({})", r.call, v_.handle(r));
      line.text = fmt::format("{}{} returns {}", v_.call_assign(r), call, v_.call_result(r));
      break;
    }
    case RecordKind::OpIssued: {
      auto via = static_cast<CompletionVia>(r.value);
      std::string how;
      switch (via) {
        case CompletionVia::None: how = "no completion action"; break;
        case CompletionVia::Event: how = "completion via event " + r.text; break;
        case CompletionVia::Apc: how = "completion via apc to " + (r.text.empty() ? r.actor : r.text); break;
        case CompletionVia::Port: how = "completion via port " + r.text; break;
      }
      line.text = fmt::format("{} pending: {}({}), {}", r.op, r.call, v_.handle(r), how);
      break;
    }
    case RecordKind::OpCompleted: {
      auto via = static_cast<CompletionVia>(r.value);
      line.text = fmt::format("completes {}: {}, {} bytes, {}", r.op, status_name(r.error), r.bytes,
                              via == CompletionVia::None ? std::string("no completion action")
                                                         : "via " + std::string(via_name(via)));
      break;
    }
    case RecordKind::EventSignaled:
      line.text = fmt::format("signals event {} ({})", r.text, r.op);
      break;
    case RecordKind::ApcQueued:
      line.text = fmt::format("queues {}'s completion routine to {}", r.op, r.actor);
      break;
    case RecordKind::ApcRan:
      line.text = fmt::format("runs {}'s completion routine", r.op);
      break;
    case RecordKind::PortPacketPosted:
      line.text = fmt::format("posts {}'s packet to port {}", r.op, r.text);
      break;
    case RecordKind::PortPacketDequeued:
      line.text = fmt::format("dequeues {}'s packet from port {}", r.op, r.text);
      break;
    case RecordKind::HandleCreated:
      line.text = static_cast<HandleKind>(r.value) == HandleKind::File
                      ? fmt::format("creates file handle {}", v_.handle(r))
                      : fmt::format("WPUCreateSocketHandle -> {}", v_.handle(r));
      // The raw values, once, where the descriptor is born: handle values are per process and
      // reused, socket numbers are what duplicates share.
      line.text += fmt::format(" (handle {:#x} in {}, socket #{})", r.handle, r.process, r.socket);
      line.text += layer_suffix(r);
      break;
    case RecordKind::ProviderCloseBegin:
      line.text = fmt::format("WSPCloseSocket({}){}", v_.handle(r), layer_suffix(r));
      break;
    case RecordKind::ProviderCloseEnd: {
      // Said only when it is news: a failure, a close that took time, or a layered provider's.
      const std::size_t close = v_.close_of[i];
      const bool spans_time = close != kNone && at(v_.closes[close].begin).time != r.time;
      if (r.error == 0 && !spans_time && !v_.layered()) return TimelineLine{};
      line.text = fmt::format("WSPCloseSocket({}) returns {}{}", v_.handle(r),
                              r.error == 0 ? "0" : error_name(r.error), layer_suffix(r));
      break;
    }
    case RecordKind::HandleReleased:
      line.text = static_cast<HandleKind>(r.value) == HandleKind::File
                      ? fmt::format("CloseHandle({}) (IFS file handle)", v_.handle(r))
                      : fmt::format("WPUCloseSocketHandle({})", v_.handle(r));
      if (v_.layered()) line.text += layer_suffix(r);
      break;
    case RecordKind::RefCount: {
      const std::int64_t before = v_.refs_before(i);
      std::string who = v_.handle(r), sock = v_.socket_name(r.socket);
      std::string by = who.empty() || who == sock ? "" : fmt::format(" (by {})", who);
      if (before == 0) {
        line.text = fmt::format("reference count of {} is 1", sock);
        break;
      }
      line.text = fmt::format("reference count of {} {} to {}{}", sock,
                              r.value < before ? "drops" : "rises", r.value, by);
      break;
    }
    case RecordKind::SocketReleased:
      line.text = fmt::format("{} state discarded", v_.socket_name(r.socket));
      break;
    case RecordKind::NetworkEvent:
      line.text = fmt::format("{} posted for {}", r.text, v_.handle(r));
      break;
    case RecordKind::LingerTimerStarted:
      line.text = fmt::format("linger timer started for {}: expires at {}", v_.socket_name(r.socket),
                              format_time(r.value));
      break;
    case RecordKind::LingerTimerExpired:
      line.text = fmt::format("linger timer expired for {}", v_.socket_name(r.socket));
      break;
    case RecordKind::CleanupBegin:
      line.text = fmt::format("WSACleanup of process {}: resetting what is left", r.process);
      break;
    case RecordKind::CleanupEnd:
      line.text = fmt::format("cleanup of process {} done", r.process);
      break;
    case RecordKind::ConnectionOpened:
      line.text = fmt::format("{} connected to {}", v_.socket_name(r.socket), v_.peer(r.socket));
      break;
    case RecordKind::DataDiscarded:
      line.text = fmt::format("discards {} {} bytes of {}", r.bytes,
                              r.text == "receive" ? "unread" : "unsent", v_.socket_name(r.socket));
      break;
    case RecordKind::FinSent:
      line.text = fmt::format("FIN sent on {}", v_.socket_name(r.socket));
      break;
    case RecordKind::PeerSawFin:
      line.text = "sees FIN";
      break;
    case RecordKind::RstSent:
      line.text = fmt::format("RST sent on {}", v_.socket_name(r.socket));
      break;
    case RecordKind::PeerSawRst:
      line.text = "sees RST";
      break;
    case RecordKind::PeerAction:
      line.text = r.text;
      break;
    case RecordKind::LocalSawFin:
      line.text = fmt::format("{}: FIN from {} arrived", v_.socket_name(r.socket), v_.peer(r.socket));
      break;
    case RecordKind::LocalSawRst:
      line.text = fmt::format("{}: RST from {} arrived", v_.socket_name(r.socket), v_.peer(r.socket));
      break;
    case RecordKind::Note:
      line.text = "note: " + r.text;
      break;
    default:
      line.text = std::string(kind_name(r.kind));
      break;
  }
  if (tag_rule && r.rule != RuleId::None) {
    line.text += fmt::format("  [{}]", rule_name(r.rule));
    line.rule = r.rule;
  }
  return line;
}

}  // namespace closesim::report
