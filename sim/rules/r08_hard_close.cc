// R8 — the close of a socket's last reference with linger {1,0}: a hard close returns 0 at
// once, resets the connection and discards the state at once; nothing is sent after the reset.
// Shared with R7, R9, R10: rules/linger_close.h.
#include <fmt/format.h>

#include "rules/linger_close.h"
#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

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

  RecordKinds before_kinds() const override {
    return {RecordKind::CallEnd, RecordKind::DataSent, RecordKind::FinSent, RecordKind::RstSent,
            RecordKind::SocketReleased};
  }
  RecordKinds after_kinds() const override { return {RecordKind::CallBegin}; }

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
                                   trace.peer_name(r.socket), call_text(trace, *h.close.begin)));
        }
        break;
      case RecordKind::FinSent:
        if (!h.graceful && !(windows() && h.close.shutdown_send))
          violation(r, fmt::format("FIN was sent to {} after the hard close {}; it resets",
                                   trace.peer_name(r.socket), call_text(trace, *h.close.begin)));
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
    if (r.time != c.begin->time) {
      violation(r, fmt::format("{} with linger {{1,0}} returned at {}; a hard close returns at "
                               "once ({})",
                               call_text(trace, *c.begin), format_time(r.time),
                               format_time(c.begin->time)));
    }
    if (r.error != 0 || r.value != 0) {
      violation(r, fmt::format("{} with linger {{1,0}} returned {}; a hard close returns 0",
                               call_text(trace, *c.begin), result_text(r)));
      return;
    }
    const bool needs_rst = c.connected && !c.reset && !shadow().socket(c.socket).local_saw_rst;
    if (needs_rst && !h.rst) {
      if (windows() && c.shutdown_send) {
        h.graceful = true;
        divergence(r, fmt::format("{} with linger {{1,0}} after shutdown(SD_SEND) closed "
                                  "gracefully instead of resetting {}",
                                  call_text(trace, *c.begin), trace.peer_name(c.socket)));
      } else {
        violation(r, fmt::format("{} with linger {{1,0}} returned without resetting {}",
                                 call_text(trace, *c.begin), trace.peer_name(c.socket)));
      }
    }
    if (!h.released && !h.graceful) {
      violation(r, fmt::format("{} with linger {{1,0}} returned but the socket's state was not "
                               "discarded",
                               call_text(trace, *c.begin)));
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

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r8_monitor(const CheckerOptions& options) {
  return std::make_unique<HardCloseMonitor>(options);
}

}  // namespace closesim::rules
