// R13 — Shutdown is not close. After a successful shutdown the descriptor stays open until a
// closesocket (or cleanup) releases it, and the socket is not discarded. SD_SEND (or SD_BOTH):
// later sends on the socket fail with WSAESHUTDOWN, and FIN goes out after the queued data.
// SD_RECEIVE (or SD_BOTH): later receives fail with WSAESHUTDOWN. Shutdown state belongs to the
// socket, so it holds for every descriptor of it.
#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

std::string how_name(std::int64_t how) {
  switch (how) {
    case 0: return "SD_RECEIVE";
    case 1: return "SD_SEND";
    case 2: return "SD_BOTH";
  }
  return fmt::format("{}", how);
}

class ShutdownMonitor final : public ShadowedMonitor {
 public:
  explicit ShutdownMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R13, options) {}

  void finish(const Trace& trace) override {
    for (const auto& [socket, shut] : send_shut_) {
      const SocketShadow& s = shadow().socket(socket);
      if (s.udp || !s.connected || s.reset() || s.fin_sent || s.sent < s.queued) continue;
      violation_at_end(fmt::format("{} never sent FIN to {}", shut.text, trace.peer_name(socket)));
    }
  }

 private:
  struct Shutdown {
    const TraceRecord* begin = nullptr;
    std::uint64_t end_seq = 0;
    std::string text;  // "shutdown(s, SD_SEND)"
    bool data_after_fin = false;  // reported
  };

  void before(const TraceRecord& r, const Trace& trace) override {
    switch (r.kind) {
      case RecordKind::CallBegin:
        if (r.call == CallId::Shutdown)
          in_shutdown_[r.actor] = {r.process, r.handle,
                                   fmt::format("shutdown({}, {})",
                                               trace.handle_name(r.process, r.handle, r.socket),
                                               how_name(r.value))};
        break;
      case RecordKind::CallEnd:
        in_shutdown_.erase(r.actor);
        call_ended(r, trace);
        break;
      case RecordKind::RstSent:
        // C51: Windows resets at shutdown(SD_RECEIVE) when received data is unread; the
        // documents make SD_RECEIVE local.
        for (const auto& [thread, call] : in_shutdown_) {
          const DescriptorShadow* d = shadow().live(call.process, call.handle);
          if (d == nullptr || d->socket != r.socket) continue;
          departure(r, fmt::format("{} reset {} because received data was unread; SD_RECEIVE "
                                   "puts nothing on the wire (C51)",
                                   call.text, trace.peer_name(r.socket)));
        }
        break;
      case RecordKind::ThreadWoken: {
        // windows profile, C36: a shutdown that ends a blocked UDP receive is a known departure.
        if (r.rule != RuleId::R13) break;
        const CallShadow* woken = shadow().call(r.actor);
        std::string by = "a shutdown";
        for (const auto& [thread, call] : in_shutdown_)
          if (call.process == r.process) by = call.text;
        departure(r, fmt::format("{} blocked in {} was woken by {}; the documents end no blocked "
                                 "call at shutdown (C36: Windows ends a blocked UDP recvfrom)",
                                 r.actor, woken != nullptr ? call_text(trace, *woken->begin) : "a call",
                                 by));
        break;
      }
      case RecordKind::FinSent: {
        auto it = send_shut_.find(r.socket);
        const SocketShadow& s = shadow().socket(r.socket);
        if (it != send_shut_.end() && s.sent < s.queued)
          violation(r, fmt::format("FIN was sent to {} after {} with {} queued byte(s) not yet "
                                   "sent",
                                   trace.peer_name(r.socket), it->second.text, s.queued - s.sent));
        break;
      }
      case RecordKind::DataSent: {
        auto it = send_shut_.find(r.socket);
        if (it != send_shut_.end() && shadow().socket(r.socket).fin_sent &&
            !it->second.data_after_fin) {
          it->second.data_after_fin = true;
          violation(r, fmt::format("bytes left for {} after the FIN of {}",
                                   trace.peer_name(r.socket), it->second.text));
        }
        break;
      }
      case RecordKind::HandleReleased: {
        for (const auto& [thread, call] : in_shutdown_) {
          // The release happens inside the shutdown call itself: shutdown freed the descriptor.
          if (call.process == r.process && call.handle == r.handle) {
            exercise({"released by shutdown"});
            violation(r, fmt::format("{} released {} while {} was still in progress: shutdown "
                                     "must leave the descriptor open",
                                     release_text(trace, r.process, r.handle, r.socket,
                                                  static_cast<HandleKind>(r.value)),
                                     trace.handle_name(r.process, r.handle, r.socket),
                                     call.text));
          }
        }
        const DescriptorShadow* d = shadow().live(r.process, r.handle);
        if (d == nullptr) break;
        auto it = shut_.find(d->id);
        if (it == shut_.end()) break;
        if (!shadow().closing(d->id) && closed_.count(d->id) == 0)
          violation(r, fmt::format("{} was released after {} without a closesocket",
                                   trace.handle_name(r.process, r.handle, r.socket), it->second.text));
        shut_.erase(it);
        break;
      }
      case RecordKind::SocketReleased: {
        const bool shut = send_shut_.count(r.socket) != 0 || receive_shut_.count(r.socket) != 0;
        if (r.rule == RuleId::R13 || (shut && shadow().remaining_references(r.socket) > 0)) {
          const DescriptorShadow* holder = shadow().remaining_holder(r.socket);
          violation(r, fmt::format("the socket of {} was discarded by a shutdown{}",
                                   trace.peer_name(r.socket),
                                   holder != nullptr
                                       ? " while " +
                                             trace.handle_name(holder->key.first,
                                                               holder->key.second) +
                                             " was still open"
                                       : ""));
        }
        break;
      }
      default: break;
    }
  }

  void call_ended(const TraceRecord& r, const Trace& trace) {
    const CallShadow* call = shadow().call(r.actor);
    if (call == nullptr) return;
    const TraceRecord& b = *call->begin;
    if (b.call == CallId::CloseSocket && r.error == 0 && call->descriptor != 0) {
      closed_.insert(call->descriptor);  // its hand-back may come later (R11)
      return;
    }
    if (b.call == CallId::Shutdown) {
      if (r.error != 0 || call->descriptor == 0) return;
      Shutdown s{&b, r.seq, fmt::format("shutdown({}, {})", trace.handle_name(b.process, b.handle, b.socket),
                                       how_name(b.value))};
      shut_[call->descriptor] = s;
      if (b.value == 1 || b.value == 2) send_shut_.try_emplace(b.socket, s);
      if (b.value == 0 || b.value == 2) receive_shut_.try_emplace(b.socket, s);
      std::set<std::string> branches{shadow().socket(b.socket).nonblocking ? "non-blocking"
                                                                          : "blocking"};
      if (const DescriptorShadow* d = shadow().live(b.process, b.handle))
        branches.emplace(d->provider());
      exercise(branches);
      return;
    }
    if (call->descriptor == 0 || r.error == WSAESHUTDOWN) return;
    const std::map<SocketId, Shutdown>* shut = is_send_call(b.call)      ? &send_shut_
                                               : is_receive_call(b.call) ? &receive_shut_
                                                                         : nullptr;
    if (shut == nullptr) return;
    auto it = shut->find(b.socket);
    if (it == shut->end() || b.seq < it->second.end_seq) return;
    violation(r, fmt::format("{} after {} {} instead of failing with WSAESHUTDOWN",
                             call_text(trace, b), it->second.text,
                             r.error != 0 ? "failed with " + error_name(r.error)
                                          : fmt::format("returned {}", r.value)));
  }

  struct InProgress {
    std::string process;
    Handle handle = 0;
    std::string text;
  };
  std::map<std::string, InProgress> in_shutdown_;  // thread -> its shutdown call in progress
  std::map<std::uint64_t, Shutdown> shut_;      // descriptor id -> its shutdown
  std::map<SocketId, Shutdown> send_shut_;      // sockets shut for sending (first shutdown)
  std::map<SocketId, Shutdown> receive_shut_;   // sockets shut for receiving
  std::set<std::uint64_t> closed_;              // descriptors closed successfully
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r13_monitor(const CheckerOptions& options) {
  return std::make_unique<ShutdownMonitor>(options);
}

}  // namespace closesim::rules
