// R5 — Abort before release. Once a descriptor has been released its value may name a new
// socket, so nothing of the old descriptor may arrive after: no completion, no completion action,
// no wake-up of a call blocked on it.
#include <fmt/format.h>

#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

class AbortBeforeReleaseMonitor final : public ShadowedMonitor {
 public:
  explicit AbortBeforeReleaseMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R5, options) {}

 private:
  // windows profile: an op left pending by the close of a duplicate (R3 reports the divergence).
  bool carried_by_windows(const OpShadow& op) const {
    return windows() && op.outlived_with_references;
  }

  std::string released_text(const Trace& trace, const TraceRecord& issued) const {
    const std::string name = trace.handle_name(issued.process, issued.handle, issued.socket);
    const DescriptorShadow* now = shadow().live(issued.process, issued.handle);
    if (now != nullptr) return fmt::format("{} was released and its value reused", name);
    return fmt::format("{} was released", name);
  }

  RecordKinds before_kinds() const override {
    return {RecordKind::OpCompleted, RecordKind::EventSignaled, RecordKind::ApcQueued,
            RecordKind::PortPacketPosted, RecordKind::ThreadWoken, RecordKind::CleanupBegin};
  }
  RecordKinds after_kinds() const override { return {RecordKind::CallBegin}; }

  void before(const TraceRecord& r, const Trace& trace) override {
    switch (r.kind) {
      case RecordKind::OpCompleted: {
        const OpShadow* op = shadow().op_for_completion(r.op);
        if (op == nullptr || op->completed || !op->outlived_descriptor) break;
        if (carried_by_windows(*op)) break;
        violation(r, fmt::format("{} completed after its descriptor {}", r.op,
                                 released_text(trace, *op->issued)));
        break;
      }
      case RecordKind::EventSignaled:
      case RecordKind::ApcQueued:
      case RecordKind::PortPacketPosted: {
        const OpShadow* op = shadow().op_for_action(r.op);
        if (op == nullptr || op->descriptor == 0 || !shadow().released(op->descriptor)) break;
        if (carried_by_windows(*op)) break;
        violation(r, fmt::format("the completion action of {} ({}) came after its descriptor {}",
                                 r.op, kind_name(r.kind), released_text(trace, *op->issued)));
        break;
      }
      case RecordKind::ThreadWoken: {
        const CallShadow* call = shadow().call(r.actor);
        if (call == nullptr || call->descriptor == 0 || call->begin->call == CallId::CloseSocket)
          break;
        if (!shadow().released(call->descriptor)) break;
        violation(r, fmt::format("{} blocked in {} was woken after {}", r.actor,
                                 call_text(trace, *call->begin), released_text(trace, *call->begin)));
        break;
      }
      case RecordKind::CleanupBegin:
        for (const auto& [key, d] : shadow().descriptors()) {
          if (key.first == r.process && !shadow().pending_ops(d.id).empty())
            exercise({d.provider()});
        }
        break;
      default: break;
    }
  }

  void after(const TraceRecord& r, const Trace&) override {
    if (r.kind != RecordKind::CallBegin) return;
    const CloseShadow* c = shadow().close_by_thread(r.actor);
    if (c == nullptr) return;
    bool blocked = false;
    for (const auto& [thread, call] : shadow().calls()) {
      if (thread != r.actor && call.descriptor == c->descriptor && call.blocked && !call.woken)
        blocked = true;
    }
    if (blocked || !shadow().pending_ops(c->descriptor).empty()) exercise(c->branches);
  }
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r5_monitor(const CheckerOptions& options) {
  return std::make_unique<AbortBeforeReleaseMonitor>(options);
}

}  // namespace closesim::rules
