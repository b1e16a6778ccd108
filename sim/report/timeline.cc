// The text timeline of `closesim run`, and its explain mode.
//
// One line per interesting record, in trace order, written in Winsock terms with the script's
// names. Records that belong together are merged into one line: a call that returns at the
// instant it starts ("closesocket(s) = 0"), a call and the block that parks it ("recv(s, 1024)
// blocks: waiting for data"), a wake-up and the return it causes ("recv(s) woken by R2 ->
// SOCKET_ERROR WSAEINTR"), and a burst of data records of one socket (see DataRun). Explain mode
// adds under each line the rule behind it, derived from the record's kind, rule and fields and
// from the socket options the trace has shown so far.
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "closesim/base/errors.h"
#include "closesim/report/report.h"
#include "report/view.h"
#include "report/visible.h"

namespace closesim {

using report::kNone;
using report::RunView;

namespace {

struct Line {
  std::size_t record = kNone;  // where the line sits in the trace
  Time time = 0;
  std::string actor;
  std::string text;
  std::string why;  // "R9: ...", or "" when nothing needs explaining
  RuleId rule = RuleId::None;  // the record's rule, shown as the "[R9]" tag
  std::vector<std::size_t> covers;
};

// What the trace has shown so far about a socket's options (set by the application's calls).
struct SocketOptions {
  bool linger = false;
  std::int64_t linger_seconds = 0;
  bool nonblocking = false;
  bool closing = false;  // a closesocket reached the provider for it and did not fail (R10)
  bool linger_expired = false;
  bool reset = false;  // an RST went out on it
};

// A rule title continuing a sentence after "R7: ": "Default close is graceful" -> "default
// close is graceful"; a title that starts with a name ("WSACleanup ...") keeps its capitals.
std::string sentence_case(std::string title) {
  if (title.size() >= 2 && title[0] >= 'A' && title[0] <= 'Z' && title[1] >= 'a' && title[1] <= 'z')
    title[0] = static_cast<char>(title[0] - 'A' + 'a');
  return title;
}

class TimelineBuilder {
 public:
  explicit TimelineBuilder(const RunView& view) : v_(view) {}

  std::vector<Line> build() {
    const auto& recs = v_.records();
    consumed_.assign(recs.size(), false);
    for (std::size_t i = 0; i < recs.size(); ++i) {
      if (consumed_[i]) continue;
      Line line = describe(i);
      for (std::size_t c : line.covers) consumed_[c] = true;
      update_state(i);
      for (std::size_t c : line.covers)
        if (c != i) update_state(c);
      if (!line.text.empty()) lines_.push_back(std::move(line));
    }
    return std::move(lines_);
  }

 private:
  const TraceRecord& at(std::size_t i) const { return v_.at(i); }

  std::string actor_of(const TraceRecord& r) const {
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

  std::string layer_suffix(const TraceRecord& r) const {
    ProviderKind p = v_.result().scenario.provider;
    if (p == ProviderKind::LspIfs || p == ProviderKind::LspNonIfs || r.layer != 0)
      return fmt::format(" [layer {}]", r.layer);
    return "";
  }

  static std::string waiting(const std::string& what) { return "blocks" + report::waiting_for(what); }

  std::string status_name(int error) const { return error == 0 ? "success" : error_name(error); }

  SocketOptions& opts(SocketId s) { return sockets_[s]; }

  std::string linger_text(SocketId s) {
    const SocketOptions& o = opts(s);
    if (!o.linger) return "SO_DONTLINGER";
    return fmt::format("linger {{1,{}}}", o.linger_seconds);
  }

  Line describe(std::size_t i) {
    const TraceRecord& r = at(i);
    Line line;
    line.record = i;
    line.time = r.time;
    line.actor = actor_of(r);
    line.covers.push_back(i);
    bool tag_rule = true;

    if (r.kind == RecordKind::DataQueued && v_.call_of[i] != kNone) return Line{};  // in the call's line
    if (v_.run_of[i] != kNone) {
      const report::DataRun& run = v_.runs[v_.run_of[i]];
      line.actor = "link";
      line.text = v_.run_summary(run);
      line.covers = run.records;
      line.why = why_data(run);
      return line;
    }

    switch (r.kind) {
      case RecordKind::CallBegin: {
        const report::CallSpan* c = span(i);
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
          if (c && c->blocked != kNone) break;
        }
        line.why = why_call(i, c);
        break;
      }
      case RecordKind::ThreadBlocked: {
        const report::CallSpan* c = span(i);
        std::string call = c ? v_.call_short(at(c->begin)) : "call";
        line.text = fmt::format("{} {}", call, waiting(r.text));
        line.why = c ? why_call(c->begin, c) : "";
        break;
      }
      case RecordKind::ThreadWoken: {
        const report::CallSpan* c = span(i);
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
        line.why = why_woken(i, c);
        break;
      }
      case RecordKind::CallEnd: {
        const report::CallSpan* c = span(i);
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
        line.why = fmt::format("R4: {} is pending: it must complete exactly once, before {} is "
                               "released (R5)", r.op, v_.handle(r));
        break;
      }
      case RecordKind::OpCompleted: {
        auto via = static_cast<CompletionVia>(r.value);
        line.text = fmt::format("completes {}: {}, {} bytes, {}", r.op, status_name(r.error), r.bytes,
                                via == CompletionVia::None ? std::string("no completion action")
                                                           : "via " + std::string(via_name(via)));
        line.why = why_completed(r);
        break;
      }
      case RecordKind::EventSignaled:
        line.text = fmt::format("signals event {} ({})", r.text, r.op);
        line.why = why_action(r);
        break;
      case RecordKind::ApcQueued:
        line.text = fmt::format("queues {}'s completion routine to {}", r.op, r.actor);
        line.why = why_action(r);
        break;
      case RecordKind::ApcRan:
        line.text = fmt::format("runs {}'s completion routine", r.op);
        line.why = "R4: a completion routine runs on the issuing thread, when it next waits alertably";
        break;
      case RecordKind::PortPacketPosted:
        line.text = fmt::format("posts {}'s packet to port {}", r.op, r.text);
        line.why = why_action(r);
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
        close_begin_[close_key(r)] = r.time;
        if (r.layer == 0 && is_layered())
          line.why = "R11: a layered provider closes the socket it opened below first";
        else
          line.why = "the Winsock DLL routes closesocket to the provider's WSPCloseSocket";
        break;
      case RecordKind::ProviderCloseEnd: {
        auto it = close_begin_.find(close_key(r));
        bool spans_time = it != close_begin_.end() && it->second != r.time;
        if (r.error == 0 && !spans_time && !is_layered()) return Line{};
        line.text = fmt::format("WSPCloseSocket({}) returns {}{}", v_.handle(r),
                                r.error == 0 ? "0" : error_name(r.error), layer_suffix(r));
        if (r.error == WSAEWOULDBLOCK)
          line.why = "R10: the provider refuses to block a non-blocking socket: nothing is "
                     "aborted, disconnected or released";
        break;
      }
      case RecordKind::HandleReleased:
        line.text = static_cast<HandleKind>(r.value) == HandleKind::File
                        ? fmt::format("CloseHandle({}) (IFS file handle)", v_.handle(r))
                        : fmt::format("WPUCloseSocketHandle({})", v_.handle(r));
        if (is_layered()) line.text += layer_suffix(r);
        line.why = why_released(r);
        break;
      case RecordKind::RefCount: {
        // A socket's first count is 1 when the model reports creation, else a change from 1.
        bool known = refcounts_.count(r.socket) > 0;
        std::int64_t before = known ? refcounts_[r.socket] : r.value == 1 ? 0 : 1;
        std::string who = v_.handle(r), sock = v_.socket_name(r.socket);
        std::string by = who.empty() || who == sock ? "" : fmt::format(" (by {})", who);
        if (before == 0) {
          line.text = fmt::format("reference count of {} is 1", sock);
          break;
        }
        line.text = fmt::format("reference count of {} {} to {}{}", sock,
                                r.value < before ? "drops" : "rises", r.value, by);
        if (r.value < before && r.value > 0)
          line.why = "R6: other descriptors still refer to the socket: no FIN, no RST, nothing "
                     "discarded";
        else if (r.value < before)
          line.why = "R6: that was the last reference: this close disconnects and applies linger";
        else
          line.why = "R6: a duplicate adds a reference to the shared socket";
        break;
      }
      case RecordKind::SocketReleased:
        line.text = fmt::format("{} state discarded", v_.socket_name(r.socket));
        line.why = why_by_rule(r.rule, {
            {RuleId::R6, "R6: the last reference is gone and nothing is left to send: the state is discarded"},
            {RuleId::R7, opts(r.socket).reset
                             ? "R7 (windows profile): after the reset the socket's state is discarded at once"
                             : "R7: graceful close: the state is discarded after the last byte and FIN left"},
            {RuleId::R8, "R8: a hard close discards the socket's state at once"},
            {RuleId::R9, "R9: the lingering close has finished: the socket's state is discarded"},
            {RuleId::R14, "R14: cleanup resets the connection and discards the socket's state"},
        });
        break;
      case RecordKind::NetworkEvent:
        line.text = fmt::format("{} posted for {}", r.text, v_.handle(r));
        line.why = "the descriptor is registered with WSAEventSelect (R12: never after its own close)";
        break;
      case RecordKind::LingerTimerStarted:
        line.text = fmt::format("linger timer started for {}: expires at {}", v_.socket_name(r.socket),
                                format_time(r.value));
        line.why = fmt::format("R9: data is still queued at the last close of a blocking socket "
                               "with {}: close waits at most {}s", linger_text(r.socket),
                               opts(r.socket).linger_seconds);
        break;
      case RecordKind::LingerTimerExpired:
        line.text = fmt::format("linger timer expired for {}", v_.socket_name(r.socket));
        line.why = "R9: the linger time passed before the queue drained: the provider resets the "
                   "connection before close returns";
        break;
      case RecordKind::CleanupBegin:
        line.text = fmt::format("WSACleanup of process {}: resetting what is left", r.process);
        line.why = "R14: the WSACleanup that brings the count to zero resets every socket the "
                   "process still holds";
        break;
      case RecordKind::CleanupEnd:
        line.text = fmt::format("cleanup of process {} done", r.process);
        line.why = fmt::format("R14: every descriptor process {} still held has been released",
                               r.process);
        break;
      case RecordKind::ConnectionOpened:
        line.text = fmt::format("{} connected to {}", v_.socket_name(r.socket), v_.peer(r.socket));
        break;
      case RecordKind::DataDiscarded:
        line.text = fmt::format("discards {} {} bytes of {}", r.bytes,
                                r.text == "receive" ? "unread" : "unsent", v_.socket_name(r.socket));
        line.why = why_by_rule(r.rule, {
            {RuleId::R8, "R8: a hard close discards unsent data: it never reaches the peer"},
            {RuleId::R9, "R9: at the linger timeout the unsent data is discarded"},
            {RuleId::R14, "R14: cleanup resets the connection: unsent data is discarded"},
        });
        break;
      case RecordKind::FinSent:
        line.text = fmt::format("FIN sent on {}", v_.socket_name(r.socket));
        line.why = why_by_rule(r.rule, {
            {RuleId::R7, "R7: graceful close: FIN follows the last queued byte"},
            {RuleId::R9, "R9: the queue drained within the linger time: FIN, and close returns 0"},
            {RuleId::R13, "R13: shutdown(SD_SEND) sends FIN after the queued data; the descriptor stays open"},
        });
        break;
      case RecordKind::PeerSawFin:
        line.text = "sees FIN";
        line.why = fmt::format("FIN travels one link latency ({}): the peer's recv now returns 0",
                               format_time(v_.result().scenario.link.latency));
        break;
      case RecordKind::RstSent:
        line.text = fmt::format("RST sent on {}", v_.socket_name(r.socket));
        line.why = why_by_rule(r.rule, {
            {RuleId::R7, "R7 (windows profile): with received data unread or a receive pending, the "
                         "close resets the connection instead of sending FIN"},
            {RuleId::R8, "R8: linger {1,0}: a hard close resets the connection"},
            {RuleId::R9, "R9: linger timeout: the provider resets the connection before close returns"},
            {RuleId::R14, "R14: cleanup resets connections that are still open"},
        });
        break;
      case RecordKind::PeerSawRst:
        line.text = "sees RST";
        line.why = fmt::format("RST travels one link latency ({}): the peer's next recv fails "
                               "with WSAECONNRESET",
                               format_time(v_.result().scenario.link.latency));
        break;
      case RecordKind::PeerAction:
        line.text = r.text;
        if (r.text == "stop_reading")
          line.why = "the peer stops reading: the send queue stops draining";
        else if (r.text == "close")
          line.why = "the peer closes its end: a FIN travels to the local socket";
        else if (r.text == "reset")
          line.why = "the peer resets the connection: an RST travels to the local socket";
        break;
      case RecordKind::LocalSawFin:
        line.text = fmt::format("{}: FIN from {} arrived", v_.socket_name(r.socket), v_.peer(r.socket));
        break;
      case RecordKind::LocalSawRst:
        line.text = fmt::format("{}: RST from {} arrived", v_.socket_name(r.socket), v_.peer(r.socket));
        line.why = "the peer's RST arrived: later calls on the socket fail with WSAECONNRESET";
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
    if (line.why.empty() && r.rule != RuleId::None)
      line.why = fmt::format("{}: {}", rule_name(r.rule), sentence_case(rule_title(r.rule)));
    return line;
  }

  // --- explanations ---

  std::string why_by_rule(RuleId rule, std::initializer_list<std::pair<RuleId, const char*>> known) {
    for (const auto& [id, text] : known)
      if (id == rule) return text;
    return "";
  }

  std::string why_call(std::size_t begin_index, const report::CallSpan* c) {
    const TraceRecord& b = at(begin_index);
    const TraceRecord* end = c && c->end != kNone ? &at(c->end) : nullptr;
    int error = end ? end->error : 0;
    std::string h = v_.handle(b);
    if (b.call == CallId::CloseSocket) {
      if (error == WSAENOTSOCK)
        return fmt::format("R1: {} is not a live descriptor: the DLL answers WSAENOTSOCK without "
                           "calling the provider", h);
      if (error == WSAEWOULDBLOCK)
        return fmt::format("R10: {} on a non-blocking socket with data still queued: the close "
                           "fails at once; {} stays valid and nothing is disconnected",
                           linger_text(b.socket), h);
      std::size_t stop = c && c->end != kNone ? c->end : v_.records().size();
      for (std::size_t k = begin_index; k < stop; ++k) {
        const TraceRecord& r = at(k);
        if (r.kind == RecordKind::RefCount && r.socket == b.socket && r.value > 0)
          return fmt::format("R6: {} still {} to the socket: only {} is released; the "
                             "connection stays up",
                             report::plural(static_cast<std::size_t>(r.value), "other descriptor"),
                             r.value == 1 ? "refers" : "refer", h);
        if (r.kind == RecordKind::CleanupBegin) break;
      }
      const SocketOptions& o = opts(b.socket);
      if (c && c->blocked != kNone)
        return fmt::format("R9: {} on a blocking socket: close waits up to {}s for the queue to "
                           "drain", linger_text(b.socket), o.linger_seconds);
      if (o.linger && o.linger_seconds == 0)
        return "R8: linger {1,0}: a hard close returns at once, discards unsent data and resets "
               "the connection";
      if (o.linger)
        return fmt::format("{}: {} with nothing left to send: the close completes gracefully at "
                           "once", o.nonblocking ? "R10" : "R9", linger_text(b.socket));
      return "R7: SO_DONTLINGER (the default): close returns at once; queued data is still sent "
             "in the background, then FIN";
    }
    if (error == WSAENOTSOCK && b.handle != 0)
      return fmt::format("R1: a closed descriptor is dead: every call naming {} fails with "
                         "WSAENOTSOCK", h);
    if (error == WSAESHUTDOWN)
      return "R13: after shutdown, calls in the shut direction fail with WSAESHUTDOWN";
    if (b.call == CallId::Shutdown)
      return fmt::format("R13: shutdown is not close: {} stays valid and still needs closesocket{}",
                         h, b.value != 0 ? "; FIN follows the queued data" : "");
    if (b.call == CallId::WSACleanup) {
      std::size_t stop = c && c->end != kNone ? c->end : v_.records().size();
      for (std::size_t k = begin_index; k < stop; ++k)
        if (at(k).kind == RecordKind::CleanupBegin)
          return "R14: this WSACleanup brings the count to zero: it resets every socket the "
                 "process still holds";
      return "R14: only the WSACleanup that brings the count to zero does the work";
    }
    if (b.call == CallId::SetSockOpt && b.option == CallOption::SoLinger) {
      if (b.value == 0)
        return "R7: linger off: the last close will be graceful and will not wait";
      if (b.value2 == 0) return "R8: linger {1,0}: the last close will be a hard close";
      return fmt::format("R9/R10: linger {{1,{}}}: the last close will wait up to {}s for queued "
                         "data (fail with WSAEWOULDBLOCK if non-blocking)", b.value2, b.value2);
    }
    if (b.call == CallId::SetSockOpt && b.option == CallOption::SoDontLinger)
      return b.value != 0 ? "R7: SO_DONTLINGER: the last close will be graceful and will not wait"
                          : "";
    if (b.call == CallId::WSASocket && end && end->error == 0)
      return "R6: a socket made from protocol info shares the original socket";
    if (c && c->blocked != kNone)
      return at(c->blocked).text.empty()
                 ? std::string("the call parks the thread until it can go on")
                 : fmt::format("the call parks the thread; it waits for {}", at(c->blocked).text);
    return "";
  }

  std::string why_woken(std::size_t i, const report::CallSpan* c) {
    const TraceRecord& r = at(i);
    std::string call = c ? v_.call_short(at(c->begin)) : "the call";
    switch (r.rule) {
      case RuleId::R2:
        return fmt::format("R2: closing {} in the same process interrupts calls blocked on it: "
                           "{} fails with {}", c ? v_.handle(at(c->begin)) : "the descriptor", call,
                           error_name(r.error));
      case RuleId::R9:
        if (opts(r.socket).linger_expired || (c && opts(at(c->begin).socket).linger_expired))
          return "R9: the linger time ran out: the provider reset the connection, and close "
                 "still returns 0";
        return "R9: the queue drained and FIN was sent before the linger time ran out: close "
               "returns 0";
      case RuleId::R14:
        return "R14: cleanup interrupts calls still blocked in the process";
      case RuleId::None:
        if (c && c->blocked != kNone && !at(c->blocked).text.empty())
          return fmt::format("what the thread waited for happened: {}", at(c->blocked).text);
        return "";
      default:
        return fmt::format("{}: {}", rule_name(r.rule), sentence_case(rule_title(r.rule)));
    }
  }

  std::string why_completed(const TraceRecord& r) {
    if (r.rule == RuleId::R3 && r.error == ERROR_CONNECTION_ABORTED)
      return "R3 (windows profile): a pending receive on a connected TCP socket completes with "
             "ERROR_CONNECTION_ABORTED, not 995";
    if (r.rule == RuleId::R3) {
      auto via = static_cast<CompletionVia>(r.value);
      return fmt::format("R3: closing {} aborts its pending overlapped operations; {} still "
                         "completes through its completion action ({})", v_.handle(r), r.op,
                         via_name(via));
    }
    if (r.rule == RuleId::R14)
      return "R14: cleanup aborts pending operations with 995 but fires no completion action";
    return fmt::format("R4: {} completes exactly once", r.op);
  }

  std::string why_action(const TraceRecord& r) {
    bool aborted = r.rule == RuleId::R3;
    if (!aborted) {
      // The action follows the completion of the same op; look it up through the op pairing.
      for (const report::OpSpan& op : v_.ops)
        if (op.completed != kNone && op.completed < r.seq && at(op.issued).op == r.op &&
            at(op.completed).rule == RuleId::R3)
          aborted = true;
    }
    if (aborted) return "R3: an aborted operation still performs its completion action";
    return "";
  }

  std::string why_released(const TraceRecord& r) {
    if (in_cleanup_) return "R14: cleanup releases descriptors as a close would";
    if (is_layered() && r.layer == 1)
      return "R11: a layered provider hands back its own handle last, after the lower close";
    if (static_cast<HandleKind>(r.value) == HandleKind::File)
      return "R11: an IFS provider closes its file handle instead of calling WPUCloseSocketHandle";
    return fmt::format("R11: a non-IFS provider hands {} back exactly once, as its last call for "
                       "it, after every abort; the value may now be reused (R1)", v_.handle(r));
  }

  std::string why_data(const report::DataRun& run) {
    bool outgoing = std::any_of(run.records.begin(), run.records.end(), [&](std::size_t k) {
      return at(k).kind != RecordKind::LocalReceived;
    });
    if (!outgoing)
      return fmt::format("what the peer sends arrives one latency ({}) later in the local receive buffer",
                         format_time(v_.result().scenario.link.latency));
    const SocketOptions& o = opts(run.socket);
    if (o.closing && o.linger && o.linger_seconds > 0 && !o.nonblocking)
      return "R9: the lingering close waits while the queue drains at the link rate";
    if (o.closing)
      return "R7: data queued before the close is still sent in the background, in order";
    return fmt::format("the link sends queued data at {}/s while the peer reads; each ack comes "
                       "back one latency ({}) after arrival",
                       format_size(v_.result().scenario.link.rate),
                       format_time(v_.result().scenario.link.latency));
  }

  // --- state the explanations read ---

  void update_state(std::size_t i) {
    const TraceRecord& r = at(i);
    switch (r.kind) {
      case RecordKind::CallBegin: {
        const report::CallSpan* c = span(i);
        bool failed = c && c->end != kNone && at(c->end).error != 0;
        if (failed) break;
        if (r.call == CallId::SetSockOpt && r.option == CallOption::SoLinger) {
          opts(r.socket).linger = r.value != 0;
          opts(r.socket).linger_seconds = r.value2;
        } else if (r.call == CallId::SetSockOpt && r.option == CallOption::SoDontLinger) {
          if (r.value != 0) opts(r.socket).linger = false;
        } else if (r.call == CallId::IoctlSocket) {
          opts(r.socket).nonblocking = r.value != 0;
        }
        break;
      }
      case RecordKind::CallEnd: {
        const report::CallSpan* c = span(i);
        if ((r.call == CallId::Socket || r.call == CallId::WSASocket) && r.error == 0 && r.socket != 0 && c &&
            !sockets_.count(r.socket))
          opts(r.socket).nonblocking = at(c->begin).value2 != 0;
        break;
      }
      case RecordKind::ProviderCloseBegin: opts(r.socket).closing = true; break;
      // R10: a close that failed with WSAEWOULDBLOCK changed nothing; no close is in progress.
      case RecordKind::ProviderCloseEnd:
        if (r.error != 0) opts(r.socket).closing = false;
        break;
      case RecordKind::LingerTimerExpired: opts(r.socket).linger_expired = true; break;
      case RecordKind::RstSent: opts(r.socket).reset = true; break;
      case RecordKind::RefCount: refcounts_[r.socket] = r.value; break;
      case RecordKind::CleanupBegin: in_cleanup_ = true; break;
      case RecordKind::CleanupEnd: in_cleanup_ = false; break;
      default: break;
    }
  }

  const report::CallSpan* span(std::size_t i) const {
    std::size_t c = v_.call_of[i];
    return c == kNone ? nullptr : &v_.calls[c];
  }

  bool is_layered() const {
    ProviderKind p = v_.result().scenario.provider;
    return p == ProviderKind::LspIfs || p == ProviderKind::LspNonIfs;
  }

  static std::string close_key(const TraceRecord& r) {
    return fmt::format("{}/{}/{}", r.process, r.handle, r.layer);
  }

  const RunView& v_;
  std::vector<bool> consumed_;
  std::vector<Line> lines_;
  std::map<SocketId, SocketOptions> sockets_;
  std::map<SocketId, std::int64_t> refcounts_;
  std::map<std::string, Time> close_begin_;
  bool in_cleanup_ = false;
};

std::string header(const RunResult& result) {
  const Scenario& s = result.scenario;
  std::string out = fmt::format("scenario: {}\n", s.file);
  if (!s.title.empty()) out += fmt::format("title:    {}\n", s.title);
  if (!result.diagnostics.empty()) return out;
  out += fmt::format("provider: {}, profile {}, link latency {} rate {}/s sndbuf {}\n",
                     provider_name(result.config.provider), profile_name(result.config.profile),
                     format_time(result.config.link.latency), format_size(result.config.link.rate),
                     format_size(result.config.link.sndbuf));
  if (!s.rules.empty()) {
    std::vector<std::string> ids;
    for (int n : s.rules) ids.push_back(rule_name(static_cast<RuleId>(n)));
    out += fmt::format("rules:    {}\n", fmt::join(ids, " "));
  }
  if (s.has_seed || result.config.seed)
    out += fmt::format("seed:     {}\n", result.config.seed.value_or(s.seed));
  if (!result.config.schedule.empty()) out += fmt::format("schedule: {}\n", result.config.schedule);
  if (!result.config.mutant.empty()) out += fmt::format("mutant:   {}\n", result.config.mutant);
  if (!result.config.overrides.empty())
    out += fmt::format("set by the command line: {}\n", fmt::join(result.config.overrides, ", "));
  if (result.rules_mode != RulesMode::On)
    out += fmt::format("rules checked: {}\n", result.rules_mode == RulesMode::Off ? "off" : "warn only");
  return out;
}

// Where the outcome was decided: the first counted violation; else the first failed
// expectation's record; else (stuck) the last record; else, for a pass, the last record that
// closed, reset or ended a connection or released a descriptor.
struct Decision {
  std::size_t record = kNone;
  std::string reason;
};

Decision decide(const RunView& v) {
  const RunResult& result = v.result();
  const auto& recs = v.records();
  Decision d;
  if (recs.empty()) return d;
  for (const Violation& vi : result.rules.violations) {
    if (!report::counts_as_failure(result, vi)) continue;
    d.record = std::min<std::size_t>(vi.seq, recs.size() - 1);
    d.reason = violation_text(vi);
    return d;
  }
  if (!result.failures.empty()) {
    const ExpectationFailure* first = &result.failures.front();
    for (const ExpectationFailure& f : result.failures)
      if (f.time < first->time) first = &f;
    std::size_t by_line = kNone, by_time = kNone;
    for (std::size_t i = 0; i < recs.size(); ++i) {
      if (recs[i].time > first->time) break;
      by_time = i;
      if (recs[i].line == first->line) by_line = i;
    }
    d.record = by_line != kNone ? by_line : by_time != kNone ? by_time : 0;
    d.reason = report::failure_text(result, *first);
    return d;
  }
  if (!result.stuck.empty()) {
    d.record = recs.size() - 1;
    d.reason = "the run could not finish: " + result.stuck.front();
    return d;
  }
  for (std::size_t i = recs.size(); i-- > 0;) {
    const TraceRecord& r = recs[i];
    bool closing = (r.kind == RecordKind::CallEnd && r.call == CallId::CloseSocket) ||
                   r.kind == RecordKind::FinSent || r.kind == RecordKind::RstSent ||
                   r.kind == RecordKind::PeerSawFin || r.kind == RecordKind::PeerSawRst ||
                   r.kind == RecordKind::SocketReleased || r.kind == RecordKind::HandleReleased;
    if (closing) {
      d.record = i;
      break;
    }
  }
  if (d.record == kNone) d.record = recs.size() - 1;
  return d;
}

// The timeline's lines, and the violations each carries.
struct Layout {
  std::vector<Line> lines;
  std::map<std::size_t, std::size_t> line_of;  // record -> line
  // line -> the violations shown under it; kNone: before the first line
  std::map<std::size_t, std::vector<const Violation*>> marks;
};

Layout lay_out(const RunView& view) {
  const RunResult& result = view.result();
  Layout l;
  l.lines = TimelineBuilder(view).build();
  // A violation is shown under the line that covers the record that broke the rule; one whose
  // record no line covers goes under the last line at or before its time.
  for (std::size_t k = 0; k < l.lines.size(); ++k)
    for (std::size_t c : l.lines[k].covers) l.line_of[c] = k;
  if (result.rules_mode != RulesMode::Off) {
    for (const Violation& vi : result.rules.violations) {
      std::size_t k = kNone;
      auto it = l.line_of.find(vi.seq);
      if (it != l.line_of.end()) {
        k = it->second;
      } else {
        for (std::size_t j = 0; j < l.lines.size() && l.lines[j].time <= vi.time; ++j) k = j;
      }
      l.marks[k].push_back(&vi);
    }
  }
  return l;
}

std::string mark_text(const Violation& vi) { return fmt::format("{} (#{})", violation_text(vi), vi.seq); }

// "R9" from "R9: ...", "R9/R10: ..." or "R3 (windows profile): ...".
std::string leading_rule(const std::string& why) {
  if (why.size() < 2 || why[0] != 'R' || why[1] < '0' || why[1] > '9') return "";
  std::size_t end = 1;
  while (end < why.size() && why[end] >= '0' && why[end] <= '9') ++end;
  return why.substr(0, end);
}

}  // namespace

std::vector<TimelineStep> timeline_steps(const RunResult& result) {
  std::vector<TimelineStep> steps;
  if (!result.diagnostics.empty()) return steps;
  RunView view(result);
  Layout layout = lay_out(view);
  for (std::size_t k = 0; k < layout.lines.size(); ++k) {
    const Line& l = layout.lines[k];
    TimelineStep step;
    step.seq = view.at(l.record).seq;
    step.time = l.time;
    step.actor = l.actor;
    step.text = l.text;
    step.rule = l.rule != RuleId::None ? rule_name(l.rule) : leading_rule(l.why);
    step.why = l.why;
    for (std::size_t c : l.covers) step.covers.push_back(view.at(c).seq);
    auto add_marks = [&](std::size_t at) {
      auto it = layout.marks.find(at);
      if (it == layout.marks.end()) return;
      for (const Violation* vi : it->second) step.violations.push_back(mark_text(*vi));
    };
    if (k == 0) add_marks(kNone);  // violations before the first line go with it
    add_marks(k);
    steps.push_back(std::move(step));
  }
  return steps;
}

std::string render_timeline(const RunResult& result, const TimelineOptions& options) {
  // Titles, names and notes come from the file: their control bytes are shown, never obeyed.
  std::string out = report::visible_controls(header(result));
  if (!result.diagnostics.empty()) {
    out += "\n" + render_verdict(result);
    return out;
  }
  RunView view(result);
  Layout layout = lay_out(view);
  const std::vector<Line>& lines = layout.lines;
  const std::map<std::size_t, std::size_t>& line_of = layout.line_of;
  const std::map<std::size_t, std::vector<const Violation*>>& marks = layout.marks;

  std::size_t time_width = 6, actor_width = 8;
  for (const Line& l : lines) {
    time_width = std::max(time_width, format_time(l.time).size());
    actor_width = std::max(actor_width, l.actor.size());
  }
  std::string indent(time_width + 2 + actor_width + 2, ' ');

  out += "\n";
  auto emit_marks = [&](std::size_t k) {
    auto it = marks.find(k);
    if (it == marks.end()) return;
    for (const Violation* vi : it->second) out += fmt::format("{}!! {}\n", indent, mark_text(*vi));
  };
  emit_marks(kNone);
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const Line& l = lines[k];
    out += fmt::format("{:>{}}  {:<{}}  {}\n", format_time(l.time), time_width, l.actor, actor_width,
                       l.text);
    if (options.explain && !l.why.empty()) out += fmt::format("{}why: {}\n", indent, l.why);
    emit_marks(k);
  }

  if (options.explain) {
    Decision d = decide(view);
    if (d.record != kNone) {
      auto it = line_of.find(d.record);
      const TraceRecord& r = view.at(d.record);
      out += fmt::format("\ndecided at #{} ({}):", r.seq, format_time(r.time));
      std::string why = d.reason;
      if (it != line_of.end()) {
        const Line& l = lines[it->second];
        out += fmt::format(" {}  {}\n", l.actor, l.text);
        if (why.empty()) why = l.why;
      } else {
        out += fmt::format(" {}  {}\n", r.actor, kind_name(r.kind));
      }
      if (!why.empty()) out += fmt::format("  why: {}\n", why);
      if (d.reason.empty())
        out += "  outcome: the close finished here; every expectation held and no rule was violated\n";
    }
  }

  out += "\n" + render_verdict(result);
  return report::visible_controls(out);
}

}  // namespace closesim
