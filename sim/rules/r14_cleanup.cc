// R14 — Cleanup resets what is left. Between CleanupBegin and CleanupEnd of a process: every
// operation still pending on its descriptors is aborted with 995 and no completion action (none
// ever follows); every descriptor it holds is released; every socket whose last reference it held
// is reset (RST, not FIN). Sockets that other processes still hold are left alone, and sockets
// closed earlier that are still draining keep draining. Afterwards, calls on the old values fail
// with WSAENOTSOCK (or WSANOTINITIALISED while the process has no Winsock) until a value is reused.
#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

class CleanupMonitor final : public ShadowedMonitor {
 public:
  explicit CleanupMonitor(const CheckerOptions& options) : ShadowedMonitor(RuleId::R14, options) {}

 private:
  struct Cleanup {
    const TraceRecord* begin = nullptr;
    std::map<DescKey, std::uint64_t> descriptors;  // every live one, all layers
    std::map<std::string, const TraceRecord*> pending;  // op name -> OpIssued
    std::set<SocketId> last;                       // sockets whose last reference it held
    std::set<SocketId> reset_before;               // ... already reset when it began
    std::set<SocketId> rst;                        // ... reset by it
  };

  bool cleaning() const { return !cleanups_.empty(); }

  void begin(const TraceRecord& r) {
    Cleanup c;
    c.begin = &r;
    std::set<std::string> branches;
    for (const auto& [key, d] : shadow().descriptors()) {
      if (key.first != r.process) continue;
      // A descriptor whose close is under way (a lingering close) is that close's business.
      const DescriptorShadow* app = shadow().app_of(key.first, key.second);
      if (app != nullptr && shadow().close_of(app->id) != nullptr) continue;
      c.descriptors[key] = d.id;
      if (!d.app()) continue;
      branches.emplace(d.provider());
      for (const OpShadow* op : shadow().pending_ops(d.id)) c.pending[op->issued->op] = op->issued;
      int elsewhere = 0;
      for (const DescriptorShadow* other : shadow().descriptors_of(d.socket)) {
        if (other->app() && !other->dropped && other->key.first != r.process) ++elsewhere;
      }
      const SocketShadow& s = shadow().socket(d.socket);
      branches.insert(s.shared() ? "shared" : "single");
      if (elsewhere == 0) {
        c.last.insert(d.socket);
        if (s.reset()) c.reset_before.insert(d.socket);
      }
    }
    // Sockets closed before, still delivering their data in the background.
    shadow().for_each_socket([&](SocketId id, const SocketShadow& s) {
      if (shadow().references(id) == 0 && s.most_references > 0 && !s.released && !s.reset() &&
          !s.udp && s.connected && (!s.fin_sent || s.acked < s.queued))
        draining_.try_emplace(id, false);
    });
    exercise(branches);
    cleanups_[r.process] = std::move(c);
  }

  void end(const TraceRecord& r, const Trace& trace) {
    auto it = cleanups_.find(r.process);
    if (it == cleanups_.end()) return;
    const Cleanup& c = it->second;
    for (const auto& [name, issued] : c.pending) {
      violation(r, fmt::format("{} was still pending when WSACleanup finished", name));
    }
    for (const auto& [key, id] : c.descriptors) {
      const DescriptorShadow* d = shadow().live(key);
      if (d != nullptr && d->id == id)
        violation(r, fmt::format("{} was still open when WSACleanup finished",
                                 trace.handle_name(key.first, key.second)));
      if (shadow().released_app(id)) after_cleanup_.insert(key);
    }
    for (SocketId s : c.last) {
      const SocketShadow& socket = shadow().socket(s);
      if (socket.udp || !socket.connected || c.reset_before.count(s) != 0 ||
          socket.local_saw_rst || c.rst.count(s) != 0)
        continue;
      violation(r, fmt::format("WSACleanup left the connection to {} open; it resets every socket "
                               "whose last reference the process held",
                               trace.peer_name(s)));
    }
    cleanups_.erase(it);
  }

  void before(const TraceRecord& r, const Trace& trace) override {
    const DescKey key{r.process, r.handle};
    switch (r.kind) {
      case RecordKind::CleanupBegin: begin(r); break;
      case RecordKind::CleanupEnd: end(r, trace); break;
      case RecordKind::OpCompleted: {
        const OpShadow* op = shadow().op_for_completion(r.op);
        if (op == nullptr || op->completed) break;
        for (auto& [process, c] : cleanups_) {
          auto it = c.pending.find(r.op);
          if (it == c.pending.end() || it->second->seq != op->issued->seq) continue;
          const SocketShadow& s = shadow().socket(op->issued->socket);
          if (r.error == ERROR_CONNECTION_ABORTED && op->issued->call == CallId::WSARecv && !s.udp &&
              s.connected) {
            departure(r, fmt::format("{} (WSARecv on a connected TCP socket) was aborted by "
                                     "WSACleanup with ERROR_CONNECTION_ABORTED, not "
                                     "WSA_OPERATION_ABORTED",
                                     r.op));
          } else if (r.error != WSA_OPERATION_ABORTED) {
            violation(r, fmt::format("{} was aborted by WSACleanup with {}, not "
                                     "WSA_OPERATION_ABORTED",
                                     r.op, error_name(r.error)));
          }
          if (static_cast<CompletionVia>(r.value) != CompletionVia::None) {
            violation(r, fmt::format("{} aborted by WSACleanup completed via {}; cleanup aborts "
                                     "without a completion action",
                                     r.op, via_name(static_cast<CompletionVia>(r.value))));
          }
          aborted_[r.op] = op->issued->seq;
          c.pending.erase(it);
          break;
        }
        break;
      }
      case RecordKind::EventSignaled:
      case RecordKind::ApcQueued:
      case RecordKind::PortPacketPosted: {
        auto it = aborted_.find(r.op);
        const OpShadow* op = shadow().op_for_action(r.op);
        if (it == aborted_.end() || op == nullptr || op->issued->seq != it->second) break;
        violation(r, fmt::format("{} fired for {}, which WSACleanup aborted; cleanup aborts "
                                 "without a completion action",
                                 kind_name(r.kind), r.op));
        aborted_.erase(it);
        break;
      }
      case RecordKind::RstSent:
      case RecordKind::FinSent:
      case RecordKind::DataDiscarded:
        wire(r, trace);
        break;
      case RecordKind::HandleCreated: after_cleanup_.erase(key); break;
      case RecordKind::CallBegin:
        if (r.handle != 0 && after_cleanup_.count(key) != 0 &&
            shadow().app_live(r.process, r.handle) == nullptr)
          stale_calls_[r.actor] = &r;
        break;
      case RecordKind::CallEnd: {
        auto it = stale_calls_.find(r.actor);
        if (it == stale_calls_.end()) break;
        const bool accepted = r.error == WSAENOTSOCK ||
                              (r.error == WSANOTINITIALISED && !shadow().initialised(r.process));
        if (!accepted)
          violation(r, fmt::format("{} after WSACleanup {} instead of failing with WSAENOTSOCK",
                                   call_text(trace, *it->second),
                                   r.error != 0 ? "failed with " + error_name(r.error)
                                                : fmt::format("returned {}", r.value)));
        stale_calls_.erase(it);
        break;
      }
      default: break;
    }
  }

  void wire(const TraceRecord& r, const Trace& trace) {
    // Named only for a message: most wire records break nothing.
    const auto peer = [&] { return trace.peer_name(r.socket); };
    if (auto it = draining_.find(r.socket); it != draining_.end()) {
      if (r.kind != RecordKind::FinSent && (cleaning() || r.rule == RuleId::R14) && !it->second) {
        it->second = true;  // reported
        violation(r, fmt::format("WSACleanup {} {}, whose socket had been closed before and was "
                                 "still draining",
                                 r.kind == RecordKind::RstSent ? "reset" : "discarded the data of",
                                 peer()));
      }
      return;
    }
    for (auto& [process, c] : cleanups_) {
      if (c.last.count(r.socket) != 0) {
        if (r.kind == RecordKind::RstSent) c.rst.insert(r.socket);
        if (r.kind == RecordKind::FinSent)
          violation(r, fmt::format("WSACleanup sent FIN to {}; it resets", peer()));
        return;
      }
    }
    if (r.kind == RecordKind::RstSent && (cleaning() || r.rule == RuleId::R14)) {
      violation(r, fmt::format("WSACleanup reset {}{}", peer(),
                               shadow().references(r.socket) > 0
                                   ? " though another process still holds the socket"
                                   : ", a socket the process did not hold"));
    }
  }

  void after(const TraceRecord& r, const Trace&) override {
    // A socket stops draining when its state is discarded.
    if (r.kind == RecordKind::SocketReleased) draining_.erase(r.socket);
  }

  std::map<std::string, Cleanup> cleanups_;      // by process, while under way
  std::map<std::string, std::uint64_t> aborted_;  // op -> OpIssued seq of the incarnation
  std::map<SocketId, bool> draining_;  // closed sockets still draining -> reported
  std::set<DescKey> after_cleanup_;              // values released by a cleanup, until reuse
  std::map<std::string, const TraceRecord*> stale_calls_;  // thread -> call on such a value
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r14_monitor(const CheckerOptions& options) {
  return std::make_unique<CleanupMonitor>(options);
}

}  // namespace closesim::rules
