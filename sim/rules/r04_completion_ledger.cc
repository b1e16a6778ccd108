// R4 — Every operation completes exactly once. A ledger over the whole trace: each OpIssued gets
// exactly one OpCompleted, never after the release of the descriptor it was issued through; each
// queued completion routine runs at most once, on the thread it was queued to; each port packet
// is dequeued at most once.
#include <deque>

#include <fmt/format.h>

#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

class CompletionLedgerMonitor final : public ShadowedMonitor {
 public:
  explicit CompletionLedgerMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R4, options) {}

  // An operation still pending at the end of the run breaks the rule only if its descriptor was
  // released: one whose descriptor is still open is simply still pending (docs/rules.md).
  void finish(const Trace& trace) override {
    for (const OpShadow& op : shadow().ops()) {
      if (op.completed || !op.outlived_descriptor) continue;
      if (carried_by_windows(op)) continue;
      violation_at_end(fmt::format("{} never completed, though its descriptor {} was released",
                                   op.issued->op,
                                   trace.handle_name(op.issued->process, op.issued->handle,
                                                     op.issued->socket)));
    }
  }

 private:
  // windows profile: an op left pending by the close of a duplicate completes at the last close.
  bool carried_by_windows(const OpShadow& op) const {
    return windows() && op.outlived_with_references && shadow().references(op.issued->socket) > 0;
  }

  RecordKinds before_kinds() const override {
    return {RecordKind::OpIssued,         RecordKind::OpCompleted, RecordKind::ApcQueued,
            RecordKind::ApcRan,           RecordKind::CallEnd,     RecordKind::PortPacketPosted,
            RecordKind::PortPacketDequeued};
  }
  RecordKinds after_kinds() const override { return {RecordKind::CallBegin}; }

  void before(const TraceRecord& r, const Trace& trace) override {
    switch (r.kind) {
      case RecordKind::OpIssued: {
        const DescriptorShadow* d = shadow().app_of(r.process, r.handle);
        if (d != nullptr) {
          exercise({d->provider()});
        } else {
          exercise();
        }
        break;
      }
      case RecordKind::OpCompleted: {
        const OpShadow* op = shadow().op_for_completion(r.op);
        if (op == nullptr) {
          violation(r, fmt::format("{} completed but was never issued", r.op));
        } else if (op->completed) {
          violation(r, fmt::format("{} completed a second time (first at {})", r.op,
                                   format_time(op->completion->time)));
        } else if (op->outlived_descriptor &&
                   !(windows() && op->outlived_with_references)) {
          violation(r, fmt::format("{} completed after its descriptor {} was released", r.op,
                                   trace.handle_name(op->issued->process, op->issued->handle,
                                                     op->issued->socket)));
        }
        break;
      }
      case RecordKind::ApcQueued: apcs_[r.op].push_back(r.actor); break;
      case RecordKind::ApcRan: {
        auto& queued = apcs_[r.op];
        if (queued.empty()) {
          violation(r, fmt::format("the completion routine of {} ran more often than it was "
                                   "queued",
                                   r.op));
          break;
        }
        if (queued.front() != r.actor) {
          violation(r, fmt::format("the completion routine of {} ran on {}, not on {} where it "
                                   "was queued",
                                   r.op, r.actor, queued.front()));
        }
        queued.pop_front();
        break;
      }
      case RecordKind::CallEnd:
        if (r.call == CallId::ExitThread && r.error == 0) thread_exited(r, trace);
        break;
      case RecordKind::PortPacketPosted: ++packets_[r.op]; break;
      case RecordKind::PortPacketDequeued:
        if (packets_[r.op] == 0) {
          violation(r, fmt::format("a completion packet for {} was dequeued more often than it "
                                   "was posted",
                                   r.op));
        } else {
          --packets_[r.op];
        }
        break;
      default: break;
    }
  }

  void after(const TraceRecord& r, const Trace&) override {
    if (r.kind != RecordKind::CallBegin) return;
    const CloseShadow* c = shadow().close_by_thread(r.actor);
    if (c == nullptr) c = shadow().handle_close_by_thread(r.actor);  // CloseHandle (C15)
    if (c != nullptr && !shadow().pending_ops(c->descriptor).empty()) exercise(c->branches);
  }

  // The documents cancel a thread's overlapped I/O when it exits; Windows since Vista keeps it
  // pending (C24): each operation still pending is a known departure.
  void thread_exited(const TraceRecord& r, const Trace& trace) {
    for (const OpShadow& op : shadow().ops()) {
      if (op.completed || op.issued->actor != r.actor) continue;
      departure(r, fmt::format("{}, issued by {} on {}, is still pending after the thread exited; "
                               "the documents cancel a thread's I/O when it exits (C24: Windows "
                               "since Vista keeps it)",
                               op.issued->op, r.actor,
                               trace.handle_name(op.issued->process, op.issued->handle,
                                                 op.issued->socket)));
    }
  }

  std::map<std::string, std::deque<std::string>> apcs_;  // op -> threads it is queued to
  std::map<std::string, int> packets_;                   // op -> packets not yet dequeued
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r4_monitor(const CheckerOptions& options) {
  return std::make_unique<CompletionLedgerMonitor>(options);
}

}  // namespace closesim::rules
