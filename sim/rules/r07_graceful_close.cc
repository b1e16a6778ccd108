// R7 — the close of a socket's last reference with linger off (SO_DONTLINGER, the default)
// returns 0 at once; the monitor keeps watching the socket's wire after the call: the queued data
// drains in order, then FIN, and the state is discarded only after. Shared with R8–R10:
// rules/linger_close.h.
#include <fmt/format.h>

#include "rules/linger_close.h"
#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

class GracefulCloseMonitor final : public ShadowedMonitor {
 public:
  explicit GracefulCloseMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R7, options) {}

  void finish(const Trace& trace) override {
    for (const auto& [socket, d] : drains_) {
      const SocketShadow& s = shadow().socket(socket);
      if (!d.returned || s.fin_sent || s.reset() || !s.connected || s.acked < s.queued) continue;
      violation_at_end(fmt::format("{} drained all its data but FIN was never sent to {}",
                                   call_text(trace, *d.close.begin), trace.peer_name(socket)));
    }
  }

 private:
  struct Drain {
    CloseShadow close;
    bool returned = false;      // the close returned 0
    bool data_after_fin = false;  // reported
  };

  RecordKinds before_kinds() const override {
    return {RecordKind::CallEnd,        RecordKind::DataSent, RecordKind::FinSent,
            RecordKind::PeerSawFin,     RecordKind::RstSent,  RecordKind::LocalSawRst,
            RecordKind::SocketReleased};
  }
  RecordKinds after_kinds() const override { return {RecordKind::CallBegin}; }

  void before(const TraceRecord& r, const Trace& trace) override {
    if (r.kind == RecordKind::CallEnd) {
      auto it = closing_.find(r.actor);
      if (it == closing_.end()) return;
      const CloseShadow& c = it->second;
      if (r.time != c.begin->time) {
        violation(r, fmt::format("{} under SO_DONTLINGER returned at {}; it returns at once ({})",
                                 call_text(trace, *c.begin), format_time(r.time),
                                 format_time(c.begin->time)));
      } else if (r.error != 0 || r.value != 0) {
        violation(r, fmt::format("{} under SO_DONTLINGER returned {}; it returns 0",
                                 call_text(trace, *c.begin), result_text(r)));
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
                                   call_text(trace, *d.close.begin), peer(), reset_reason(d.close)));
        } else {
          violation(r, fmt::format("{} was reset after the graceful close {}", peer(),
                                   call_text(trace, *d.close.begin)));
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

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r7_monitor(const CheckerOptions& options) {
  return std::make_unique<GracefulCloseMonitor>(options);
}

}  // namespace closesim::rules
