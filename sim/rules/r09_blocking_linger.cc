// R9 — the close of a blocking socket's last reference with linger {1,t}: it returns 0 at
// min(drain, call + t); at the deadline the provider resets the connection before returning.
// Shared with R7, R8, R10: rules/linger_close.h.
#include <optional>

#include <fmt/format.h>

#include "rules/linger_close.h"
#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

class BlockingLingerMonitor final : public ShadowedMonitor {
 public:
  explicit BlockingLingerMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R9, options) {}

  void finish(const Trace& trace) override {
    for (const auto& [thread, l] : closing_) {
      if (l.late_reported) continue;
      violation_at_end(fmt::format("{} with {} never returned (its deadline was {})",
                                   call_text(trace, *l.close.begin), linger_text(l.close),
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
                                 call_text(trace, *l.close.begin), linger_text(l.close),
                                 format_time(l.deadline)));
      }
      if (r.socket != l.close.socket) continue;
      if (r.kind == RecordKind::RstSent) l.rst = true;
      if (r.kind == RecordKind::LocalSawRst) l.peer_reset = true;
      if (r.kind == RecordKind::LingerTimerStarted && r.value != 0 && r.value != l.deadline) {
        violation(r, fmt::format("the linger timer of {} was set to expire at {}, not {}",
                                 call_text(trace, *l.close.begin), format_time(r.value),
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
      return fmt::format("{} with {}", call_text(trace, *c.begin), linger_text(c));
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
        l.deadline = c->begin->time + c->linger_seconds * kSecond;
        closing_[r.actor] = l;
      }
    }
    for (auto& [thread, l] : closing_) {
      if (!l.drained_at && drained(l.close.socket)) l.drained_at = r.time;
    }
  }

  std::map<std::string, Linger> closing_;  // by thread
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r9_monitor(const CheckerOptions& options) {
  return std::make_unique<BlockingLingerMonitor>(options);
}

}  // namespace closesim::rules
