// Explain mode (timeline_lines.h): under each line of the timeline, the rule behind it, derived
// from the record's kind, rule and fields and from the socket options the trace has shown so far.
// Every sentence `closesim run --explain` prints under a line is here.
#include <algorithm>
#include <initializer_list>
#include <utility>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "report/timeline_lines.h"

namespace closesim::report {

namespace {

// A rule title continuing a sentence after "R7: ": "Default close is graceful" -> "default
// close is graceful"; a title that starts with a name ("WSACleanup ...") keeps its capitals.
std::string sentence_case(std::string title) {
  if (title.size() >= 2 && title[0] >= 'A' && title[0] <= 'Z' && title[1] >= 'a' && title[1] <= 'z')
    title[0] = static_cast<char>(title[0] - 'A' + 'a');
  return title;
}

std::string why_by_rule(RuleId rule, std::initializer_list<std::pair<RuleId, const char*>> known) {
  for (const auto& [id, text] : known)
    if (id == rule) return text;
  return "";
}

}  // namespace

std::string TimelineExplainer::why(std::size_t i) const {
  const TraceRecord& r = at(i);
  if (v_.run_of[i] != kNone) return why_data(v_.runs[v_.run_of[i]]);
  std::string why = why_record(i);
  if (why.empty() && r.rule != RuleId::None)
    why = fmt::format("{}: {}", rule_name(r.rule), sentence_case(rule_title(r.rule)));
  return why;
}

std::string TimelineExplainer::why_record(std::size_t i) const {
  const TraceRecord& r = at(i);
  switch (r.kind) {
    case RecordKind::CallBegin: {
      const CallSpan* c = span(i);
      // A call that parks only after the provider's records is explained at its "blocks" line.
      if (c && c->blocked != kNone && c->blocked != i + 1) return "";
      return why_call(i, c);
    }
    case RecordKind::ThreadBlocked: {
      const CallSpan* c = span(i);
      return c ? why_call(c->begin, c) : "";
    }
    case RecordKind::ThreadWoken: return why_woken(i, span(i));
    case RecordKind::OpIssued:
      return fmt::format("R4: {} is pending: it must complete exactly once, before {} is "
                         "released (R5)", r.op, v_.handle(r));
    case RecordKind::OpCompleted: return why_completed(r);
    case RecordKind::EventSignaled:
    case RecordKind::ApcQueued:
    case RecordKind::PortPacketPosted:
      return why_action(r);
    case RecordKind::ApcRan:
      return "R4: a completion routine runs on the issuing thread, when it next waits alertably";
    case RecordKind::ProviderCloseBegin:
      if (r.layer == 0 && v_.layered())
        return "R11: a layered provider closes the socket it opened below first";
      return "the Winsock DLL routes closesocket to the provider's WSPCloseSocket";
    case RecordKind::ProviderCloseEnd:
      if (r.error == WSAEWOULDBLOCK)
        return "R10: the provider refuses to block a non-blocking socket: nothing is "
               "aborted, disconnected or released";
      return "";
    case RecordKind::HandleReleased: return why_released(i);
    case RecordKind::RefCount: {
      const std::int64_t before = v_.refs_before(i);
      if (before == 0) return "";
      if (r.value < before && r.value > 0)
        return "R6: other descriptors still refer to the socket: no FIN, no RST, nothing "
               "discarded";
      if (r.value < before)
        return "R6: that was the last reference: this close disconnects and applies linger";
      return "R6: a duplicate adds a reference to the shared socket";
    }
    case RecordKind::SocketReleased:
      return why_by_rule(r.rule, {
          {RuleId::R6, "R6: the last reference is gone and nothing is left to send: the state is discarded"},
          {RuleId::R7, opts(i, r.socket).reset
                           ? "R7 (windows profile): after the reset the socket's state is discarded at once"
                           : "R7: graceful close: the state is discarded after the last byte and FIN left"},
          {RuleId::R8, "R8: a hard close discards the socket's state at once"},
          {RuleId::R9, "R9: the lingering close has finished: the socket's state is discarded"},
          {RuleId::R14, "R14: cleanup resets the connection and discards the socket's state"},
      });
    case RecordKind::NetworkEvent:
      return "the descriptor is registered with WSAEventSelect (R12: never after its own close)";
    case RecordKind::LingerTimerStarted:
      return fmt::format("R9: data is still queued at the last close of a blocking socket "
                         "with {}: close waits at most {}s", linger_text(i, r.socket),
                         opts(i, r.socket).options.linger_seconds);
    case RecordKind::LingerTimerExpired:
      return "R9: the linger time passed before the queue drained: the provider resets the "
             "connection before close returns";
    case RecordKind::CleanupBegin:
      return "R14: the WSACleanup that brings the count to zero resets every socket the "
             "process still holds";
    case RecordKind::CleanupEnd:
      return fmt::format("R14: every descriptor process {} still held has been released",
                         r.process);
    case RecordKind::DataDiscarded:
      return why_by_rule(r.rule, {
          {RuleId::R8, "R8: a hard close discards unsent data: it never reaches the peer"},
          {RuleId::R9, "R9: at the linger timeout the unsent data is discarded"},
          {RuleId::R14, "R14: cleanup resets the connection: unsent data is discarded"},
      });
    case RecordKind::FinSent:
      return why_by_rule(r.rule, {
          {RuleId::R7, "R7: graceful close: FIN follows the last queued byte"},
          {RuleId::R9, "R9: the queue drained within the linger time: FIN, and close returns 0"},
          {RuleId::R13, "R13: shutdown(SD_SEND) sends FIN after the queued data; the descriptor stays open"},
      });
    case RecordKind::PeerSawFin:
      return fmt::format("FIN travels one link latency ({}): the peer's recv now returns 0",
                         format_time(v_.result().config.link.latency));
    case RecordKind::RstSent:
      return why_by_rule(r.rule, {
          {RuleId::R7, "R7 (windows profile): with received data unread or a receive pending, the "
                       "close resets the connection instead of sending FIN"},
          {RuleId::R8, "R8: linger {1,0}: a hard close resets the connection"},
          {RuleId::R9, "R9: linger timeout: the provider resets the connection before close returns"},
          {RuleId::R14, "R14: cleanup resets connections that are still open"},
      });
    case RecordKind::PeerSawRst:
      return fmt::format("RST travels one link latency ({}): the peer's next recv fails "
                         "with WSAECONNRESET",
                         format_time(v_.result().config.link.latency));
    case RecordKind::PeerAction:
      if (r.text == "stop_reading") return "the peer stops reading: the send queue stops draining";
      if (r.text == "close") return "the peer closes its end: a FIN travels to the local socket";
      if (r.text == "reset")
        return "the peer resets the connection: an RST travels to the local socket";
      return "";
    case RecordKind::LocalSawRst:
      return "the peer's RST arrived: later calls on the socket fail with WSAECONNRESET";
    default:
      return "";
  }
}

std::string TimelineExplainer::why_call(std::size_t begin_index, const CallSpan* c) const {
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
                         linger_text(begin_index, b.socket), h);
    std::size_t stop = c && c->end != kNone ? c->end : v_.records().size();
    for (std::size_t k = begin_index; k < stop; ++k) {
      const TraceRecord& r = at(k);
      if (r.kind == RecordKind::RefCount && r.socket == b.socket && r.value > 0)
        return fmt::format("R6: {} still {} to the socket: only {} is released; the "
                           "connection stays up",
                           plural(static_cast<std::size_t>(r.value), "other descriptor"),
                           r.value == 1 ? "refers" : "refer", h);
      if (r.kind == RecordKind::CleanupBegin) break;
    }
    const rules::SocketOptions o = opts(begin_index, b.socket).options;
    if (c && c->blocked != kNone)
      return fmt::format("R9: {} on a blocking socket: close waits up to {}s for the queue to "
                         "drain", linger_text(begin_index, b.socket), o.linger_seconds);
    if (o.linger_on && o.linger_seconds == 0)
      return "R8: linger {1,0}: a hard close returns at once, discards unsent data and resets "
             "the connection";
    if (o.linger_on)
      return fmt::format("{}: {} with nothing left to send: the close completes gracefully at "
                         "once", o.nonblocking ? "R10" : "R9", linger_text(begin_index, b.socket));
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

std::string TimelineExplainer::why_woken(std::size_t i, const CallSpan* c) const {
  const TraceRecord& r = at(i);
  std::string call = c ? v_.call_short(at(c->begin)) : "the call";
  switch (r.rule) {
    case RuleId::R2:
      return fmt::format("R2: closing {} in the same process interrupts calls blocked on it: "
                         "{} fails with {}", c ? v_.handle(at(c->begin)) : "the descriptor", call,
                         error_name(r.error));
    case RuleId::R9:
      if (opts(i, r.socket).linger_expired || (c && opts(i, at(c->begin).socket).linger_expired))
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

std::string TimelineExplainer::why_completed(const TraceRecord& r) const {
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

std::string TimelineExplainer::why_action(const TraceRecord& r) const {
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

std::string TimelineExplainer::why_released(std::size_t i) const {
  const TraceRecord& r = at(i);
  if (v_.in_cleanup(i)) return "R14: cleanup releases descriptors as a close would";
  if (v_.layered() && r.layer == 1)
    return "R11: a layered provider hands back its own handle last, after the lower close";
  if (static_cast<HandleKind>(r.value) == HandleKind::File)
    return "R11: an IFS provider closes its file handle instead of calling WPUCloseSocketHandle";
  return fmt::format("R11: a non-IFS provider hands {} back exactly once, as its last call for "
                     "it, after every abort; the value may now be reused (R1)", v_.handle(r));
}

std::string TimelineExplainer::why_data(const DataRun& run) const {
  bool outgoing = std::any_of(run.records.begin(), run.records.end(), [&](std::size_t k) {
    return at(k).kind != RecordKind::LocalReceived;
  });
  if (!outgoing)
    return fmt::format("what the peer sends arrives one latency ({}) later in the local receive buffer",
                       format_time(v_.result().config.link.latency));
  const SocketState st = opts(run.records.front(), run.socket);
  const rules::SocketOptions& o = st.options;
  if (st.closing && o.linger_on && o.linger_seconds > 0 && !o.nonblocking)
    return "R9: the lingering close waits while the queue drains at the link rate";
  if (st.closing)
    return "R7: data queued before the close is still sent in the background, in order";
  return fmt::format("the link sends queued data at {}/s while the peer reads; each ack comes "
                     "back one latency ({}) after arrival",
                     format_size(v_.result().config.link.rate),
                     format_time(v_.result().config.link.latency));
}

std::string TimelineExplainer::linger_text(std::size_t i, SocketId s) const {
  const rules::SocketOptions o = opts(i, s).options;
  if (!o.linger_on) return "SO_DONTLINGER";
  return fmt::format("linger {{1,{}}}", o.linger_seconds);
}

const CallSpan* TimelineExplainer::span(std::size_t i) const {
  std::size_t c = v_.call_of[i];
  return c == kNone ? nullptr : &v_.calls[c];
}

}  // namespace closesim::report
