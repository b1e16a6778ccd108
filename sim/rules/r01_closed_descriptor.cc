// R1 — A closed descriptor is dead. Until its value is reused, every Winsock call naming a
// released descriptor fails with WSAENOTSOCK (WSANOTINITIALISED is accepted while the process has
// no Winsock after WSACleanup); once reused, calls on the value reach the new socket only. A
// value whose kernel handle CloseHandle closed (an IFS socket, C54) is dead the same way, though
// the DLL never released it.
#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

// Not a Winsock call (it never reaches a WSP entry): it may fail with its own error on a
// closed descriptor. WSAPoll reports a closed value as POLLNVAL in its entry, not as a failure.
bool exempt(CallId call) { return is_kernel_call(call) || call == CallId::WSAPoll; }

class ClosedDescriptorMonitor final : public ShadowedMonitor {
 public:
  explicit ClosedDescriptorMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R1, options) {}

 private:
  // The coverage branches a dead value stands for: its close's, or (released without a close,
  // or a layered provider's lower handle) its provider's alone.
  struct DeadBranches {
    CloseBranches close;
    bool by_close = false;
  };
  struct Dead {
    SocketId socket = 0;
    DeadBranches branches;
  };
  struct DeadCall {
    const TraceRecord* begin = nullptr;
    SocketId old_socket = 0;
    bool went_on = false;  // reported already
  };

  void exercise_dead(const DeadBranches& b) {
    if (b.by_close) {
      exercise(b.close);
    } else {
      exercise({provider_name(b.close.provider)});
    }
  }

  RecordKinds before_kinds() const override {
    return {RecordKind::HandleReleased, RecordKind::HandleCreated, RecordKind::CallBegin,
            RecordKind::DataQueued,     RecordKind::FinSent,       RecordKind::OpIssued,
            RecordKind::ThreadBlocked,  RecordKind::CallEnd};
  }
  RecordKinds after_kinds() const override {
    return {RecordKind::HandleCreated, RecordKind::CallBegin};
  }

  void before(const TraceRecord& r, const Trace& trace) override {
    const DescKey key{r.process, r.handle};
    switch (r.kind) {
      case RecordKind::HandleReleased: {
        const DescriptorShadow* d = shadow().live(key);
        if (d == nullptr || !d->app()) break;
        DeadBranches branches;
        if (auto b = close_branches_.find(d->id); b != close_branches_.end()) {
          branches = {b->second, true};
          close_branches_.erase(b);  // ids are never reused
        } else {
          branches.close.provider = d->provider_kind();
        }
        dead_[key] = {d->socket, branches};
        reused_.erase(key);
        break;
      }
      case RecordKind::HandleCreated:
        if (auto it = dead_.find(key); it != dead_.end()) {
          exercise_dead(it->second.branches);
          reused_[key] = it->second.socket;
          dead_.erase(it);
        }
        break;
      case RecordKind::CallBegin: {
        if (r.handle == 0 || exempt(r.call)) break;
        if (auto it = dead_.find(key);
            it != dead_.end() && shadow().app_live(r.process, r.handle) == nullptr) {
          exercise_dead(it->second.branches);
          dead_calls_[r.actor] = {&r, it->second.socket, false};
          if (r.socket != 0 && r.socket == it->second.socket)
            violation(r, fmt::format("{} on the closed descriptor {} reached its old socket",
                                     call_text(trace, r), trace.handle_name(r.process, r.handle, r.socket)));
        } else if (const DescriptorShadow* d = shadow().app_live(r.process, r.handle);
                   d != nullptr && d->handle_closed) {
          // CloseHandle took the kernel handle; the DLL's entry names no socket now (C54).
          exercise({d->provider(), "CloseHandle"});
          dead_calls_[r.actor] = {&r, d->socket, false};
        } else if (auto re = reused_.find(key); re != reused_.end()) {
          reused_calls_[r.actor] = {&r, re->second, false};
          if (r.socket == re->second) {
            reused_calls_[r.actor].went_on = true;
            violation(r, fmt::format("{} on the reused value {} reached the old socket of {}",
                                     call_text(trace, r), trace.handle_name(r.process, r.handle, r.socket),
                                     trace.peer_name(re->second)));
          }
        }
        break;
      }
      case RecordKind::DataQueued:
      case RecordKind::FinSent:
        // Only a call queues data or shuts a socket down; when the old socket has no descriptor
        // left, a call on the reused value is the only way to reach it.
        if (r.kind == RecordKind::FinSent && r.rule != RuleId::R13) break;
        if (shadow().references(r.socket) != 0) break;
        for (auto& [thread, call] : reused_calls_) {
          if (call.went_on || r.socket != call.old_socket) continue;
          call.went_on = true;
          violation(r, fmt::format("{} on the reused value {} reached the old socket of {}",
                                   call_text(trace, *call.begin),
                                   trace.handle_name(call.begin->process, call.begin->handle,
                                                     call.begin->socket),
                                   trace.peer_name(call.old_socket)));
        }
        break;
      case RecordKind::OpIssued:
      case RecordKind::ThreadBlocked: {
        if (auto it = dead_calls_.find(r.actor); it != dead_calls_.end() && !it->second.went_on) {
          it->second.went_on = true;
          violation(r, fmt::format("{} on the closed descriptor {} {} instead of failing with "
                                   "WSAENOTSOCK",
                                   call_text(trace, *it->second.begin),
                                   trace.handle_name(r.process, it->second.begin->handle),
                                   r.kind == RecordKind::OpIssued ? "went pending" : "blocked"));
        } else if (auto re = reused_.find(key);
                   r.kind == RecordKind::OpIssued && re != reused_.end() && r.socket == re->second) {
          auto call = reused_calls_.find(r.actor);
          if (call != reused_calls_.end() && call->second.went_on) break;
          if (call != reused_calls_.end()) call->second.went_on = true;
          violation(r, fmt::format("{} issued on the reused value {} went to the old socket of {}",
                                   r.op, trace.handle_name(r.process, r.handle, r.socket),
                                   trace.peer_name(re->second)));
        }
        break;
      }
      case RecordKind::CallEnd: {
        reused_calls_.erase(r.actor);
        auto it = dead_calls_.find(r.actor);
        if (it == dead_calls_.end()) break;
        const bool uninitialised = !shadow().initialised(r.process);
        if (r.error != WSAENOTSOCK && !(uninitialised && r.error == WSANOTINITIALISED)) {
          violation(r, fmt::format("{} on the closed descriptor {} {} instead of failing with "
                                   "WSAENOTSOCK",
                                   call_text(trace, *it->second.begin),
                                   trace.handle_name(r.process, it->second.begin->handle),
                                   r.error != 0 ? "failed with " + error_name(r.error)
                                                : fmt::format("returned {}", r.value)));
        }
        dead_calls_.erase(it);
        break;
      }
      default: break;
    }
  }

  void after(const TraceRecord& r, const Trace&) override {
    if (r.kind == RecordKind::HandleCreated && r.layer >= 1) {
      // A layered provider's lower handle may take a released value; the application still
      // cannot name it, so for the application the value stays dead.
      const DescriptorShadow* d = shadow().live(r.process, r.handle);
      if (d == nullptr || !d->lower) return;
      const DescKey lower{r.process, *d->lower};
      auto it = reused_.find(lower);
      if (it == reused_.end()) return;
      DeadBranches branches;
      branches.close.provider = d->provider_kind();
      dead_[lower] = {it->second, branches};
      reused_.erase(it);
      return;
    }
    if (r.kind != RecordKind::CallBegin) return;
    if (const CloseShadow* c = shadow().close_by_thread(r.actor))
      close_branches_[c->descriptor] = c->branches;
  }

  std::map<DescKey, Dead> dead_;
  std::map<DescKey, SocketId> reused_;  // value -> the socket it named before reuse
  std::map<std::string, DeadCall> dead_calls_;    // by thread: calls on a dead value
  std::map<std::string, DeadCall> reused_calls_;  // by thread: calls on a reused value
  // By descriptor id, from its close's CallBegin to its release.
  std::map<std::uint64_t, CloseBranches> close_branches_;
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r1_monitor(const CheckerOptions& options) {
  return std::make_unique<ClosedDescriptorMonitor>(options);
}

}  // namespace closesim::rules
