// R6 — Shared sockets are reference-counted. The checker counts a socket's references itself,
// from the application-level descriptors that name it (HandleCreated adds one; a RefCount record
// written inside a close or cleanup drops the closing descriptor's), and holds the model to it:
// every RefCount value equals that count; nothing disconnects (FIN, RST) or discards the socket's
// state while a reference that is not being closed remains; the last close does disconnect.
#include <set>

#include <fmt/format.h>

#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

class ReferenceCountMonitor final : public ShadowedMonitor {
 public:
  explicit ReferenceCountMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R6, options) {}

  void finish(const Trace& trace) override {
    for (const auto& [socket, close] : last_closes_) {
      const SocketShadow& s = shadow().socket(socket);
      if (shadow().references(socket) != 0 || s.udp || !s.connected || s.reset() || s.fin_sent)
        continue;
      if (s.acked < s.queued) continue;  // still draining: the FIN is yet to come
      violation_at_end(fmt::format("{} dropped the last reference but {} never saw FIN or RST",
                                   call_text(trace, *close), trace.peer_name(socket)));
    }
  }

 private:
  RecordKinds before_kinds() const override {
    return {RecordKind::FinSent,   RecordKind::RstSent,    RecordKind::SocketReleased,
            RecordKind::CallBegin, RecordKind::PeerAction, RecordKind::CallEnd};
  }
  RecordKinds after_kinds() const override { return {RecordKind::RefCount, RecordKind::CallBegin}; }

  void before(const TraceRecord& r, const Trace& trace) override {
    switch (r.kind) {
      case RecordKind::FinSent:
      case RecordKind::RstSent:
      case RecordKind::SocketReleased: {
        if (shadow().remaining_references(r.socket) == 0) break;
        if (r.kind == RecordKind::FinSent &&
            (r.rule == RuleId::R13 || shadow().socket(r.socket).shutdown_send))
          break;  // shutdown(SD_SEND) disconnects the sending side without a close (R13)
        // A reset at shutdown(SD_RECEIVE) is R13's to judge (C51); one on a connection aborted
        // from outside is nobody's close (C17).
        if (r.kind == RecordKind::RstSent &&
            (shutting_down(r.socket) || aborted_.count(r.socket)))
          break;
        const DescriptorShadow* holder = shadow().remaining_holder(r.socket);
        const std::string held_by = trace.handle_name(holder->key.first, holder->key.second);
        if (r.kind == RecordKind::SocketReleased) {
          violation(r, fmt::format("the socket of {} was discarded while {} still referenced it",
                                   trace.peer_name(r.socket), held_by));
        } else {
          violation(r, fmt::format("{} was sent to {} while {} still referenced the socket",
                                   r.kind == RecordKind::FinSent ? "FIN" : "RST",
                                   trace.peer_name(r.socket), held_by));
        }
        break;
      }
      case RecordKind::CallBegin:
        if (r.call == CallId::Shutdown) in_shutdown_[r.actor] = r.socket;
        break;
      case RecordKind::PeerAction:
        if (r.text.starts_with("connection aborted")) aborted_.insert(r.socket);
        break;
      case RecordKind::CallEnd: {
        in_shutdown_.erase(r.actor);
        auto it = closing_last_.find(r.actor);
        if (it == closing_last_.end()) break;
        if (r.error == 0) last_closes_[it->second->socket] = it->second;
        closing_last_.erase(it);
        break;
      }
      default: break;
    }
  }

  void after(const TraceRecord& r, const Trace& trace) override {
    if (r.kind == RecordKind::RefCount) {
      const int expected = shadow().references(r.socket);
      if (r.value < 0) {
        violation(r, fmt::format("the reference count of the socket of {} went negative ({})",
                                 trace.peer_name(r.socket), r.value));
      } else if (r.value != expected) {
        violation(r, fmt::format("RefCount says the socket of {} has {} reference(s), but {} "
                                 "descriptor(s) hold it",
                                 trace.peer_name(r.socket), r.value, expected));
      }
    } else if (r.kind == RecordKind::CallBegin) {
      const CloseShadow* c = shadow().close_by_thread(r.actor);
      if (c == nullptr) return;
      if (shadow().socket(c->socket).shared()) exercise(c->branches);
      if (c->last) closing_last_[r.actor] = c->begin;
    }
  }

  std::map<std::string, const TraceRecord*> closing_last_;  // thread -> CallBegin of a last close
  std::map<SocketId, const TraceRecord*> last_closes_;      // socket -> its successful last close
  std::set<SocketId> aborted_;                       // connections aborted from outside (C17)
  std::map<std::string, SocketId> in_shutdown_;      // thread -> socket of its shutdown call

  bool shutting_down(SocketId s) const {
    for (const auto& [thread, socket] : in_shutdown_)
      if (socket == s) return true;
    return false;
  }
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r6_monitor(const CheckerOptions& options) {
  return std::make_unique<ReferenceCountMonitor>(options);
}

}  // namespace closesim::rules
