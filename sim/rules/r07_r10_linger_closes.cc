// R7–R10 — what the close of a socket's last reference does, by its linger option. Each monitor
// takes the closes its rule governs (last reference, TCP, one linger mode, for R9/R10 one blocking
// mode), judges the call's return against the wire records around it, and keeps watching the
// socket's wire afterwards where the rule reaches past the call (R7's background drain, R8's
// silence after the reset).
//
//   R7  linger off   returns 0 at once; data drains in order, then FIN; state discarded after.
//   R8  {1,0}        returns 0 at once; RST, nothing sent after; state discarded at once.
//   R9  {1,t} block  returns 0 at min(drain, call + t); at the deadline RST before returning.
//   R10 {1,t} nonbl  never blocks: WSAEWOULDBLOCK changing nothing, or 0 when drained.
//                    Also: closing a non-last reference, or a UDP socket, never blocks and never
//                    fails with WSAEWOULDBLOCK (the decided reading; docs/rules.md).
#include <optional>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

bool last_tcp_close(const CloseShadow& c, LingerMode mode) {
  return c.last && !c.udp && c.linger == mode;
}

// windows profile: a close with a receive pending or unread data resets the connection.
bool windows_reset_premise(const CloseShadow& c) { return c.receive_pending || c.unread; }

std::string reset_reason(const CloseShadow& c) {
  return c.receive_pending ? "a receive was pending" : "received data was unread";
}

std::string linger_text(const CloseShadow& c) {
  switch (c.linger) {
    case LingerMode::Off: return "SO_DONTLINGER";
    case LingerMode::Hard: return "linger {1,0}";
    case LingerMode::Timeout: return fmt::format("linger {{1,{}}}", c.linger_seconds);
  }
  return "";
}

// --- R7 ---------------------------------------------------------------------------------------

class GracefulCloseMonitor final : public ShadowedMonitor {
 public:
  explicit GracefulCloseMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R7, options) {}

  void finish(const Trace& trace) override {
    for (const auto& [socket, d] : drains_) {
      const SocketShadow& s = shadow().socket(socket);
      if (!d.returned || s.fin_sent || s.reset() || !s.connected || s.acked < s.queued) continue;
      violation_at_end(fmt::format("{} drained all its data but FIN was never sent to {}",
                                   call_text(trace, d.close.begin), trace.peer_name(socket)));
    }
  }

 private:
  struct Drain {
    CloseShadow close;
    bool returned = false;      // the close returned 0
    bool data_after_fin = false;  // reported
  };

  void before(const TraceRecord& r, const Trace& trace) override {
    if (r.kind == RecordKind::CallEnd) {
      auto it = closing_.find(r.actor);
      if (it == closing_.end()) return;
      const CloseShadow& c = it->second;
      if (r.time != c.begin.time) {
        violation(r, fmt::format("{} under SO_DONTLINGER returned at {}; it returns at once ({})",
                                 call_text(trace, c.begin), format_time(r.time),
                                 format_time(c.begin.time)));
      } else if (r.error != 0 || r.value != 0) {
        violation(r, fmt::format("{} under SO_DONTLINGER returned {}; it returns 0",
                                 call_text(trace, c.begin), result_text(r)));
      }
      if (auto d = drains_.find(c.socket); d != drains_.end()) {
        if (r.error != 0) {
          drains_.erase(d);
        } else {
          d->second.returned = true;
        }
      }
      closing_.erase(it);
      return;
    }
    auto it = drains_.find(r.socket);
    if (it == drains_.end()) return;
    Drain& d = it->second;
    const SocketShadow& s = shadow().socket(r.socket);
    // Named only for a message: most records break nothing.
    const auto peer = [&] { return trace.peer_name(r.socket); };
    switch (r.kind) {
      case RecordKind::DataSent:
        if (s.fin_sent && !d.data_after_fin) {
          d.data_after_fin = true;
          violation(r, fmt::format("bytes left for {} after FIN", peer()));
        }
        break;
      case RecordKind::FinSent:
        if (s.sent < s.queued)
          violation(r, fmt::format("FIN was sent to {} with {} queued byte(s) not yet sent", peer(),
                                   s.queued - s.sent));
        break;
      case RecordKind::PeerSawFin:
        if (s.peer_received < s.queued)
          violation(r, fmt::format("{} saw FIN after receiving {} of the {} byte(s) queued", peer(),
                                   s.peer_received, s.queued));
        break;
      case RecordKind::SocketReleased:
        if (!s.fin_sent) {
          violation(r, fmt::format("the socket of {} was discarded before FIN was sent", peer()));
        } else if (s.acked < s.queued) {
          violation(r, fmt::format("the socket of {} was discarded with {} byte(s) not yet "
                                   "acknowledged",
                                   peer(), s.queued - s.acked));
        }
        drains_.erase(it);
        break;
      case RecordKind::RstSent:
        if (r.rule == RuleId::R14) {
          // A cleanup reset: R14 judges it.
        } else if (windows_reset_premise(d.close)) {
          departure(r, fmt::format("{} reset {} instead of closing gracefully, because {}",
                                   call_text(trace, d.close.begin), peer(), reset_reason(d.close)));
        } else {
          violation(r, fmt::format("{} was reset after the graceful close {}", peer(),
                                   call_text(trace, d.close.begin)));
        }
        drains_.erase(it);
        break;
      case RecordKind::LocalSawRst:
        drains_.erase(it);  // the peer reset the connection: nothing left to claim
        break;
      default: break;
    }
  }

  void after(const TraceRecord& r, const Trace&) override {
    if (r.kind != RecordKind::CallBegin) return;
    const CloseShadow* c = shadow().close_by_thread(r.actor);
    if (c == nullptr || !last_tcp_close(*c, LingerMode::Off)) return;
    exercise(c->branches);
    closing_[r.actor] = *c;
    if (c->connected && !c->reset) {  // an unconnected socket has nothing to drain or FIN
      Drain d;
      d.close = *c;
      drains_[c->socket] = d;
    }
  }

  std::map<std::string, CloseShadow> closing_;  // by thread
  std::map<SocketId, Drain> drains_;            // sockets whose graceful close is under way
};

// --- R8 ---------------------------------------------------------------------------------------

class HardCloseMonitor final : public ShadowedMonitor {
 public:
  explicit HardCloseMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R8, options) {}

 private:
  struct Hard {
    CloseShadow close;
    bool in_call = true;
    bool rst = false;
    bool released = false;
    bool graceful = false;       // windows: made graceful by an earlier shutdown(SD_SEND)
    bool sent_reported = false;
  };

  void before(const TraceRecord& r, const Trace& trace) override {
    if (r.kind == RecordKind::CallEnd) {
      auto by = closing_.find(r.actor);
      if (by == closing_.end()) return;
      const SocketId socket = by->second;
      closing_.erase(by);
      auto it = hard_.find(socket);
      if (it == hard_.end()) return;
      end_call(r, it->second, trace);
      if (r.error != 0) hard_.erase(it);
      return;
    }
    auto it = hard_.find(r.socket);
    if (it == hard_.end()) return;
    Hard& h = it->second;
    switch (r.kind) {
      case RecordKind::DataSent:
        if (!h.graceful && !h.sent_reported) {
          h.sent_reported = true;
          violation(r, fmt::format("bytes left for {} after the hard close {}",
                                   trace.peer_name(r.socket), call_text(trace, h.close.begin)));
        }
        break;
      case RecordKind::FinSent:
        if (!h.graceful && !(windows() && h.close.shutdown_send))
          violation(r, fmt::format("FIN was sent to {} after the hard close {}; it resets",
                                   trace.peer_name(r.socket), call_text(trace, h.close.begin)));
        break;
      case RecordKind::RstSent:
        if (h.in_call) h.rst = true;
        break;
      case RecordKind::SocketReleased:
        if (h.in_call) h.released = true;
        break;
      default: break;
    }
  }

  void end_call(const TraceRecord& r, Hard& h, const Trace& trace) {
    h.in_call = false;
    const CloseShadow& c = h.close;
    if (r.time != c.begin.time) {
      violation(r, fmt::format("{} with linger {{1,0}} returned at {}; a hard close returns at "
                               "once ({})",
                               call_text(trace, c.begin), format_time(r.time),
                               format_time(c.begin.time)));
    }
    if (r.error != 0 || r.value != 0) {
      violation(r, fmt::format("{} with linger {{1,0}} returned {}; a hard close returns 0",
                               call_text(trace, c.begin), result_text(r)));
      return;
    }
    const bool needs_rst = c.connected && !c.reset && !shadow().socket(c.socket).local_saw_rst;
    if (needs_rst && !h.rst) {
      if (windows() && c.shutdown_send) {
        h.graceful = true;
        divergence(r, fmt::format("{} with linger {{1,0}} after shutdown(SD_SEND) closed "
                                  "gracefully instead of resetting {}",
                                  call_text(trace, c.begin), trace.peer_name(c.socket)));
      } else {
        violation(r, fmt::format("{} with linger {{1,0}} returned without resetting {}",
                                 call_text(trace, c.begin), trace.peer_name(c.socket)));
      }
    }
    if (!h.released && !h.graceful) {
      violation(r, fmt::format("{} with linger {{1,0}} returned but the socket's state was not "
                               "discarded",
                               call_text(trace, c.begin)));
    }
  }

  void after(const TraceRecord& r, const Trace&) override {
    if (r.kind != RecordKind::CallBegin) return;
    const CloseShadow* c = shadow().close_by_thread(r.actor);
    if (c == nullptr || !last_tcp_close(*c, LingerMode::Hard)) return;
    exercise(c->branches);
    closing_[r.actor] = c->socket;
    Hard h;
    h.close = *c;
    hard_[c->socket] = h;
  }

  std::map<std::string, SocketId> closing_;  // thread -> socket
  std::map<SocketId, Hard> hard_;            // sockets hard-closed (watched to the end)
};

// --- R9 ---------------------------------------------------------------------------------------

class BlockingLingerMonitor final : public ShadowedMonitor {
 public:
  explicit BlockingLingerMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R9, options) {}

  void finish(const Trace& trace) override {
    for (const auto& [thread, l] : closing_) {
      if (l.late_reported) continue;
      violation_at_end(fmt::format("{} with {} never returned (its deadline was {})",
                                   call_text(trace, l.close.begin), linger_text(l.close),
                                   format_time(l.deadline)));
    }
  }

 private:
  struct Linger {
    CloseShadow close;
    Time deadline = 0;
    std::optional<Time> drained_at;  // when its data was acknowledged and FIN sent
    bool rst = false;
    bool peer_reset = false;
    bool late_reported = false;
  };

  bool drained(SocketId socket) const {
    const SocketShadow& s = shadow().socket(socket);
    return s.acked >= s.queued && (s.fin_sent || !s.connected);
  }

  void before(const TraceRecord& r, const Trace& trace) override {
    for (auto& [thread, l] : closing_) {
      if (!l.late_reported && r.time > l.deadline) {
        l.late_reported = true;
        violation(r, fmt::format("{} with {} was still blocked after its deadline {}",
                                 call_text(trace, l.close.begin), linger_text(l.close),
                                 format_time(l.deadline)));
      }
      if (r.socket != l.close.socket) continue;
      if (r.kind == RecordKind::RstSent) l.rst = true;
      if (r.kind == RecordKind::LocalSawRst) l.peer_reset = true;
      if (r.kind == RecordKind::LingerTimerStarted && r.value != 0 && r.value != l.deadline) {
        violation(r, fmt::format("the linger timer of {} was set to expire at {}, not {}",
                                 call_text(trace, l.close.begin), format_time(r.value),
                                 format_time(l.deadline)));
      }
    }
    if (r.kind != RecordKind::CallEnd) return;
    auto it = closing_.find(r.actor);
    if (it == closing_.end()) return;
    end_call(r, it->second, trace);
    closing_.erase(it);
  }

  void end_call(const TraceRecord& r, const Linger& l, const Trace& trace) {
    const CloseShadow& c = l.close;
    // Named only for a message: most closes break nothing.
    const auto close = [&] {
      return fmt::format("{} with {}", call_text(trace, c.begin), linger_text(c));
    };
    const auto peer = [&] { return trace.peer_name(c.socket); };
    if (l.rst && windows_reset_premise(c) && !l.drained_at) {
      departure(r, fmt::format("{} reset {} instead of lingering, because {}", close(), peer(),
                               reset_reason(c)));
      return;
    }
    if (r.error != 0 || r.value != 0) {
      violation(r, fmt::format("{} returned {}; it returns 0 whether its data drained or the "
                               "timer expired",
                               close(), result_text(r)));
    }
    if (r.time > l.deadline) {
      if (!l.late_reported)
        violation(r, fmt::format("{} returned at {}, after its deadline {}", close(),
                                 format_time(r.time), format_time(l.deadline)));
      return;
    }
    if (l.peer_reset) return;  // the peer reset the connection: nothing left to linger for
    if (l.drained_at) {
      if (r.time > *l.drained_at)
        violation(r, fmt::format("{} returned at {}, though its data was acknowledged and FIN "
                                 "sent at {}",
                                 close(), format_time(r.time), format_time(*l.drained_at)));
      if (l.rst)
        violation(r, fmt::format("{} reset {} though its data drained before the deadline", close(),
                                 peer()));
      return;
    }
    const SocketShadow& s = shadow().socket(c.socket);
    if (r.time < l.deadline) {
      violation(r, fmt::format("{} returned at {} with {} of {} byte(s) unacknowledged, before "
                               "its deadline {}",
                               close(), format_time(r.time), s.queued - s.acked, s.queued,
                               format_time(l.deadline)));
    } else if (!l.rst && c.connected && !c.reset) {
      violation(r, fmt::format("{} returned at its deadline {} without resetting {}", close(),
                               format_time(l.deadline), peer()));
    }
  }

  void after(const TraceRecord& r, const Trace&) override {
    if (r.kind == RecordKind::CallBegin) {
      const CloseShadow* c = shadow().close_by_thread(r.actor);
      if (c != nullptr && last_tcp_close(*c, LingerMode::Timeout) && !c->nonblocking) {
        exercise(c->branches);
        Linger l;
        l.close = *c;
        l.deadline = c->begin.time + c->linger_seconds * kSecond;
        closing_[r.actor] = l;
      }
    }
    for (auto& [thread, l] : closing_) {
      if (!l.drained_at && drained(l.close.socket)) l.drained_at = r.time;
    }
  }

  std::map<std::string, Linger> closing_;  // by thread
};

// --- R10 --------------------------------------------------------------------------------------

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
    std::vector<std::pair<TraceRecord, std::string>> effects;  // what a failure may not do
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
        if (op != nullptr && op->issued.socket == c.socket &&
            (r.error == WSA_OPERATION_ABORTED || r.error == ERROR_CONNECTION_ABORTED ||
             r.rule == RuleId::R3))
          return fmt::format("aborted {}", r.op);
        break;
      }
      case RecordKind::ThreadWoken: {
        const CallShadow* call = shadow().call(r.actor);
        if (r.rule == RuleId::R2 && call != nullptr && call->begin.socket == c.socket)
          return fmt::format("interrupted {}", r.actor);
        break;
      }
      default: break;
    }
    return std::nullopt;
  }

  void before(const TraceRecord& r, const Trace& trace) override {
    for (auto& [thread, c] : closing_) {
      if (r.kind == RecordKind::ThreadBlocked && r.actor == thread && !c.blocked_reported) {
        c.blocked_reported = true;
        violation(r, fmt::format("{} blocked; {}", call_text(trace, c.close.begin),
                                 never_blocks(c)));
      }
      if (!c.lingering) continue;
      if (r.kind == RecordKind::RstSent && r.socket == c.close.socket) c.rst = true;
      if (auto what = effect(r, c.close, trace)) c.effects.emplace_back(r, *what);
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
                                 call_text(trace, call->begin), call_text(trace, kept->second)));
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
                                   call_text(trace, kept->second)));
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
    const std::string close = call_text(trace, c.close.begin);
    if (r.time != c.close.begin.time && !c.blocked_reported) {
      violation(r, fmt::format("{} returned at {}, not at once ({}); {}", close,
                               format_time(r.time), format_time(c.close.begin.time),
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
        violation(at, fmt::format("{} failed with WSAEWOULDBLOCK but {}", close, what));
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
  std::map<std::uint64_t, TraceRecord> kept_open_;      // descriptor -> the close that failed
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r7_monitor(const CheckerOptions& options) {
  return std::make_unique<GracefulCloseMonitor>(options);
}
std::unique_ptr<ShadowedMonitor> make_r8_monitor(const CheckerOptions& options) {
  return std::make_unique<HardCloseMonitor>(options);
}
std::unique_ptr<ShadowedMonitor> make_r9_monitor(const CheckerOptions& options) {
  return std::make_unique<BlockingLingerMonitor>(options);
}
std::unique_ptr<ShadowedMonitor> make_r10_monitor(const CheckerOptions& options) {
  return std::make_unique<NonBlockingLingerMonitor>(options);
}

}  // namespace closesim::rules
