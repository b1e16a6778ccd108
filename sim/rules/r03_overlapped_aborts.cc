// R3 — Close aborts pending overlapped operations, and still performs their completion action.
// Every operation pending on the descriptor when the provider starts closing it (or when
// CloseHandle closes a socket's last kernel handle, C15) completes once,
// with WSA_OPERATION_ABORTED, before the descriptor is released, through the completion action it
// was issued with (an APC goes to the issuing thread). Operations issued through another
// descriptor of the socket are not this close's business.
//
// windows profile: a connected TCP WSARecv aborted with ERROR_CONNECTION_ABORTED, and operations
// left pending by the close of a duplicate (Windows cancels them at the last close), are
// divergences; so are the Win32 codes of receives failed by the peer's RST or by a connection
// aborted from outside (C5, C6, C17).
#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

RecordKind action_kind(CompletionVia via) {
  switch (via) {
    case CompletionVia::Event: return RecordKind::EventSignaled;
    case CompletionVia::Apc: return RecordKind::ApcQueued;
    case CompletionVia::Port: return RecordKind::PortPacketPosted;
    case CompletionVia::None: break;
  }
  return RecordKind::Note;
}

CompletionVia via_of(const TraceRecord& r) { return static_cast<CompletionVia>(r.value); }

class OverlappedAbortsMonitor final : public ShadowedMonitor {
 public:
  explicit OverlappedAbortsMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R3, options) {}

  void finish(const Trace& trace) override {
    for (const auto& [name, a] : awaiting_) {
      violation_at_end(fmt::format("{} aborted {} but its completion action ({}) never happened",
                                   call_text(trace, *a.close), name, via_name(via_of(*a.issued))));
    }
    for (const auto& [id, c] : closes_) {
      if (!c.ended) continue;
      for (const auto& [name, issued] : c.pending) {
        violation_at_end(fmt::format("{} pending on {} was never aborted after {} succeeded", name,
                                     trace.handle_name(c.close.key.first, c.close.key.second),
                                     call_text(trace, *c.close.begin)));
      }
    }
  }

 private:
  struct Close {
    CloseShadow close;
    std::map<std::string, const TraceRecord*> pending;  // op name -> its OpIssued
    bool had_pending = false;  // the premise: ops were pending when it began
    bool provider_started = false;  // ProviderCloseBegin seen
    bool ended = false;
  };
  struct AwaitingAction {
    const TraceRecord* issued = nullptr;
    const TraceRecord* close = nullptr;  // the CallBegin of the close that aborted it
  };

  void refresh(Close& c) {
    c.pending.clear();
    for (const OpShadow* op : shadow().pending_ops(c.close.descriptor))
      c.pending[op->issued->op] = op->issued;
    c.had_pending = c.had_pending || !c.pending.empty();
  }

  RecordKinds before_kinds() const override {
    return {RecordKind::OpCompleted, RecordKind::EventSignaled, RecordKind::ApcQueued,
            RecordKind::PortPacketPosted, RecordKind::HandleReleased, RecordKind::CallEnd};
  }
  RecordKinds after_kinds() const override {
    return {RecordKind::OpCompleted, RecordKind::CallBegin, RecordKind::ProviderCloseBegin};
  }

  void before(const TraceRecord& r, const Trace& trace) override {
    switch (r.kind) {
      case RecordKind::OpCompleted: {
        const OpShadow* op = shadow().op_for_completion(r.op);
        if (op == nullptr || op->completed) break;
        bool mine = false;
        for (auto& [id, c] : closes_) {
          auto it = c.pending.find(r.op);
          if (it == c.pending.end() || it->second->seq != op->issued->seq) continue;
          const TraceRecord& issued = *it->second;  // the trace's: outlives the erase
          c.pending.erase(it);
          mine = true;
          // Before the provider starts closing, an op may still complete on its own.
          const bool abort = r.error == WSA_OPERATION_ABORTED ||
                             r.error == ERROR_CONNECTION_ABORTED || r.rule == RuleId::R3;
          if (c.provider_started || abort) check_abort(r, issued, c, trace);
          break;
        }
        if (!mine) check_not_aborted(r, *op, trace);
        break;
      }
      case RecordKind::EventSignaled:
      case RecordKind::ApcQueued:
      case RecordKind::PortPacketPosted: {
        auto it = awaiting_.find(r.op);
        if (it == awaiting_.end()) break;
        const TraceRecord& issued = *it->second.issued;
        if (r.kind != action_kind(via_of(issued))) {
          violation(r, fmt::format("the abort of {} was reported by {} though it was issued to "
                                   "complete via {}",
                                   r.op, kind_name(r.kind), via_name(via_of(issued))));
        } else if (r.kind == RecordKind::ApcQueued && r.actor != issued.actor) {
          violation(r, fmt::format("the completion routine of {} was queued to {}, not to its "
                                   "issuing thread {}",
                                   r.op, r.actor, issued.actor));
        }
        awaiting_.erase(it);
        break;
      }
      case RecordKind::HandleReleased: {
        const DescriptorShadow* d = shadow().live(r.process, r.handle);
        if (d == nullptr) break;
        auto it = closes_.find(d->id);
        if (it == closes_.end()) break;
        const Close& c = it->second;
        if (c.had_pending) exercise(c.close.branches);
        for (const auto& [name, issued] : c.pending) {
          if (windows() && !c.close.last) {
            divergence(r, fmt::format("{} issued through {} stayed pending when {} released it; "
                                      "Windows cancels it only at the socket's last close "
                                      "(C38, C39)",
                                      name, trace.handle_name(r.process, r.handle, r.socket),
                                      call_text(trace, *c.close.begin)));
          } else {
            violation(r, fmt::format("{} released the handle while {} was still pending",
                                     release_text(trace, r.process, r.handle, r.socket, d->kind), name));
          }
        }
        closes_.erase(it);
        break;
      }
      case RecordKind::CallEnd: {
        auto by = by_thread_.find(r.actor);
        if (by == by_thread_.end()) break;
        if (auto it = closes_.find(by->second); it != closes_.end()) {
          if (r.error != 0) {
            closes_.erase(it);  // a failed close aborts nothing (R10)
          } else {
            it->second.ended = true;  // the hand-back may come later (R11)
            if (it->second.had_pending) exercise(it->second.close.branches);
          }
        }
        by_thread_.erase(by);
        break;
      }
      default: break;
    }
  }

  void check_abort(const TraceRecord& r, const TraceRecord& issued, const Close& c,
                   const Trace& trace) {
    if (r.error == ERROR_CONNECTION_ABORTED && issued.call == CallId::WSARecv && !c.close.udp &&
        c.close.connected) {
      departure(r, fmt::format("{} (WSARecv on a connected TCP socket) was aborted by {} with "
                               "ERROR_CONNECTION_ABORTED, not WSA_OPERATION_ABORTED ({})",
                               r.op, call_text(trace, *c.close.begin),
                               c.close.begin->call == CallId::CloseHandle ? "C15" : "C14"));
    } else if (r.error != WSA_OPERATION_ABORTED) {
      violation(r, fmt::format("{} pending on {} when {} began completed with {}, not "
                               "WSA_OPERATION_ABORTED",
                               r.op, trace.handle_name(issued.process, issued.handle, issued.socket),
                               call_text(trace, *c.close.begin), error_name(r.error)));
    }
    if (via_of(r) != via_of(issued)) {
      violation(r, fmt::format("{} was issued to complete via {} but its abort completed via {}",
                               r.op, via_name(via_of(issued)), via_name(via_of(r))));
    } else if (via_of(issued) != CompletionVia::None) {
      awaiting_[r.op] = {&issued, c.close.begin};
    }
  }

  // An op issued through another descriptor that is still open is not aborted by this close.
  void check_not_aborted(const TraceRecord& r, const OpShadow& op, const Trace& trace) {
    const bool aborted = r.error == WSA_OPERATION_ABORTED || r.error == ERROR_CONNECTION_ABORTED ||
                         r.rule == RuleId::R3;
    if (!aborted || op.descriptor == 0 || shadow().released(op.descriptor)) return;
    for (const auto& [id, c] : closes_) {
      if (c.ended || c.close.socket != op.issued->socket || c.close.descriptor == op.descriptor)
        continue;
      violation(r, fmt::format("{} aborted {}, issued through {}, which stays open",
                               call_text(trace, *c.close.begin), r.op,
                               trace.handle_name(op.issued->process, op.issued->handle,
                                                 op.issued->socket)));
      return;
    }
  }

  // The peer's side of a close (C5, C6, C17), not a close's abort: a receive failed by the peer's
  // RST completes with WSAECONNRESET in the documents, ERROR_NETNAME_DELETED on Windows; one on a
  // connection aborted from outside with WSAECONNABORTED, ERROR_CONNECTION_ABORTED on Windows.
  void peer_side(const TraceRecord& r) {
    if (r.kind != RecordKind::OpCompleted || r.rule != RuleId::None) return;
    if (r.error == ERROR_NETNAME_DELETED && shadow().socket(r.socket).local_saw_rst)
      departure(r, fmt::format("{}, failed by the peer's RST, completed with "
                               "ERROR_NETNAME_DELETED, not WSAECONNRESET (C5, C6)", r.op));
    else if (r.error == ERROR_CONNECTION_ABORTED && !shadow().socket(r.socket).local_saw_rst)
      departure(r, fmt::format("{}, on a connection aborted from outside, completed with "
                               "ERROR_CONNECTION_ABORTED, not WSAECONNABORTED (C17)", r.op));
  }

  void after(const TraceRecord& r, const Trace&) override {
    peer_side(r);
    if (r.kind == RecordKind::CallBegin) {
      const CloseShadow* close = shadow().close_by_thread(r.actor);
      // CloseHandle of a socket's last handle aborts as a close does (C15); with another handle
      // left it aborts nothing (C39), and no release ends it: what it left pending at its end
      // is reported by finish().
      if (close == nullptr) {
        close = shadow().handle_close_by_thread(r.actor);
        if (close != nullptr && !close->last) return;
      }
      if (close == nullptr) return;
      Close c;
      c.close = *close;
      refresh(c);
      closes_[close->descriptor] = std::move(c);
      by_thread_[r.actor] = close->descriptor;
    } else if (r.kind == RecordKind::ProviderCloseBegin) {
      // Operations that completed between the call and the provider's close were not aborted by
      // it; take the set again where the provider starts.
      const DescriptorShadow* d = shadow().live(r.process, r.handle);
      if (d == nullptr) return;
      auto it = closes_.find(d->id);
      if (it != closes_.end() && !it->second.ended && !it->second.provider_started) {
        it->second.provider_started = true;
        refresh(it->second);
      }
    }
  }

  std::map<std::uint64_t, Close> closes_;           // by descriptor id
  std::map<std::string, std::uint64_t> by_thread_;  // closing thread -> descriptor id
  std::map<std::string, AwaitingAction> awaiting_;  // aborted ops whose action has not happened
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r3_monitor(const CheckerOptions& options) {
  return std::make_unique<OverlappedAbortsMonitor>(options);
}

}  // namespace closesim::rules
