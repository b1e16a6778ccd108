// R10 — the close of a non-blocking socket's last reference with linger {1,t} never blocks: it
// fails with WSAEWOULDBLOCK changing nothing, or returns 0 once the data has drained. Also:
// closing a non-last reference, or a UDP socket, never blocks and never fails with
// WSAEWOULDBLOCK (the decided reading; docs/rules.md). Shared with R7–R9: rules/linger_close.h.
#include <optional>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "rules/linger_close.h"
#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

class NonBlockingLingerMonitor final : public ShadowedMonitor {
 public:
  explicit NonBlockingLingerMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R10, options) {}

 private:
  struct Close {
    CloseShadow close;
    bool lingering = false;  // last reference, TCP, {1,t}, non-blocking
    bool blocked_reported = false;
    bool rst = false;
    std::vector<std::pair<const TraceRecord*, std::string>> effects;  // what a failure may not do
  };

  // What the close did to the connection, the descriptor or its operations, if anything.
  std::optional<std::string> effect(const TraceRecord& r, const CloseShadow& c,
                                    const Trace& trace) const {
    const auto peer = [&] { return trace.peer_name(c.socket); };
    switch (r.kind) {
      case RecordKind::FinSent:
        if (r.socket == c.socket) return fmt::format("sent FIN to {}", peer());
        break;
      case RecordKind::RstSent:
        if (r.socket == c.socket) return fmt::format("reset {}", peer());
        break;
      case RecordKind::DataDiscarded:
        if (r.socket == c.socket) return fmt::format("discarded {} byte(s)", r.bytes);
        break;
      case RecordKind::SocketReleased:
        if (r.socket == c.socket) return std::string("discarded the socket");
        break;
      case RecordKind::HandleReleased:
        if (r.socket == c.socket && r.process == c.key.first)
          return fmt::format("released {}", trace.handle_name(r.process, r.handle, r.socket));
        break;
      case RecordKind::RefCount:
        if (r.socket == c.socket) return std::string("dropped its reference");
        break;
      case RecordKind::OpCompleted: {
        const OpShadow* op = shadow().op_for_completion(r.op);
        if (op != nullptr && op->issued->socket == c.socket &&
            (r.error == WSA_OPERATION_ABORTED || r.error == ERROR_CONNECTION_ABORTED ||
             r.rule == RuleId::R3))
          return fmt::format("aborted {}", r.op);
        break;
      }
      case RecordKind::ThreadWoken: {
        const CallShadow* call = shadow().call(r.actor);
        if (r.rule == RuleId::R2 && call != nullptr && call->begin->socket == c.socket)
          return fmt::format("interrupted {}", r.actor);
        break;
      }
      default: break;
    }
    return std::nullopt;
  }

  RecordKinds before_kinds() const override {
    return {RecordKind::ThreadBlocked, RecordKind::FinSent,        RecordKind::RstSent,
            RecordKind::DataDiscarded, RecordKind::SocketReleased, RecordKind::HandleReleased,
            RecordKind::RefCount,      RecordKind::OpCompleted,    RecordKind::ThreadWoken,
            RecordKind::CallEnd};
  }
  RecordKinds after_kinds() const override { return {RecordKind::CallBegin}; }

  void before(const TraceRecord& r, const Trace& trace) override {
    for (auto& [thread, c] : closing_) {
      if (r.kind == RecordKind::ThreadBlocked && r.actor == thread && !c.blocked_reported) {
        c.blocked_reported = true;
        violation(r, fmt::format("{} blocked; {}", call_text(trace, *c.close.begin),
                                 never_blocks(c)));
      }
      if (!c.lingering) continue;
      if (r.kind == RecordKind::RstSent && r.socket == c.close.socket) c.rst = true;
      if (auto what = effect(r, c.close, trace)) c.effects.emplace_back(&r, *what);
    }
    switch (r.kind) {
      case RecordKind::CallEnd: {
        if (auto it = closing_.find(r.actor); it != closing_.end()) {
          end_call(r, it->second, trace);
          closing_.erase(it);
          break;
        }
        const CallShadow* call = shadow().call(r.actor);
        if (call == nullptr || r.error != WSAENOTSOCK) break;
        auto kept = kept_open_.find(call->descriptor);
        if (kept == kept_open_.end()) break;
        violation(r, fmt::format("{} failed with WSAENOTSOCK though {} failed with WSAEWOULDBLOCK "
                                 "and left it open",
                                 call_text(trace, *call->begin), call_text(trace, *kept->second)));
        break;
      }
      case RecordKind::HandleReleased: {
        const DescriptorShadow* d = shadow().live(r.process, r.handle);
        if (d == nullptr) break;
        auto kept = kept_open_.find(d->id);
        if (kept == kept_open_.end()) break;
        if (!shadow().closing(d->id))
          violation(r, fmt::format("{} was released after {} failed with WSAEWOULDBLOCK, without "
                                   "a new close",
                                   trace.handle_name(r.process, r.handle, r.socket),
                                   call_text(trace, *kept->second)));
        kept_open_.erase(kept);
        break;
      }
      default: break;
    }
  }

  static std::string never_blocks(const Close& c) {
    if (c.lingering) return "with linger {1,t} on a non-blocking socket a close never blocks";
    if (c.close.udp) return "linger does not apply to a UDP socket, whose close never blocks";
    return "closing a descriptor that is not the socket's last reference never blocks";
  }

  void end_call(const TraceRecord& r, const Close& c, const Trace& trace) {
    const std::string close = call_text(trace, *c.close.begin);
    if (r.time != c.close.begin->time && !c.blocked_reported) {
      violation(r, fmt::format("{} returned at {}, not at once ({}); {}", close,
                               format_time(r.time), format_time(c.close.begin->time),
                               never_blocks(c)));
    }
    if (!c.lingering) {
      if (r.error == WSAEWOULDBLOCK) {
        violation(r, fmt::format("{} failed with WSAEWOULDBLOCK; {}", close,
                                 c.close.udp ? "linger does not apply to a UDP socket"
                                             : "closing a descriptor that is not the socket's "
                                               "last reference never does"));
      }
      return;
    }
    // Nothing to wait for: no connection, already reset by either side before, or all acked. The
    // close's own reset does not count.
    const SocketShadow& s = shadow().socket(c.close.socket);
    const bool drained =
        !c.close.connected || c.close.reset || s.local_saw_rst || s.acked >= s.queued;
    if (r.error == WSAEWOULDBLOCK) {
      for (const auto& [at, what] : c.effects) {
        violation(*at, fmt::format("{} failed with WSAEWOULDBLOCK but {}", close, what));
      }
      if (drained) {
        violation(r, fmt::format("{} failed with WSAEWOULDBLOCK though all its queued data had "
                                 "been acknowledged",
                                 close));
      }
      kept_open_[c.close.descriptor] = c.close.begin;
    } else if (r.error == 0) {
      if (c.rst && windows_reset_premise(c.close) && !drained) {
        departure(r, fmt::format("{} reset {} instead of failing with WSAEWOULDBLOCK, because {}",
                                 close, trace.peer_name(c.close.socket), reset_reason(c.close)));
      } else if (!drained && !c.close.shutdown_send) {
        violation(r, fmt::format("{} returned 0 at once with {} of {} byte(s) unacknowledged; "
                                 "with {} on a non-blocking socket it fails with WSAEWOULDBLOCK "
                                 "until they are",
                                 close, s.queued - s.acked, s.queued, linger_text(c.close)));
      }
    } else {
      violation(r, fmt::format("{} with {} failed with {}; it returns 0 or fails with "
                               "WSAEWOULDBLOCK",
                               close, linger_text(c.close), error_name(r.error)));
    }
  }

  void after(const TraceRecord& r, const Trace&) override {
    if (r.kind != RecordKind::CallBegin) return;
    const CloseShadow* c = shadow().close_by_thread(r.actor);
    if (c == nullptr) return;
    Close close;
    close.close = *c;
    if (last_tcp_close(*c, LingerMode::Timeout) && c->nonblocking) {
      close.lingering = true;
      exercise(c->branches);
    } else if (!c->last || c->udp) {
      if (!c->last && c->linger == LingerMode::Timeout) exercise(c->branches);
    } else {
      return;  // another rule's close
    }
    closing_[r.actor] = std::move(close);
  }

  std::map<std::string, Close> closing_;                // by thread
  std::map<std::uint64_t, const TraceRecord*> kept_open_;  // descriptor -> the close that failed
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r10_monitor(const CheckerOptions& options) {
  return std::make_unique<NonBlockingLingerMonitor>(options);
}

}  // namespace closesim::rules
