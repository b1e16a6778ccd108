// R2 — Close interrupts blocking calls in the same process. Every thread of the closing process
// blocked in a call on the descriptor when closesocket begins is woken with WSAEINTR before the
// descriptor is released, and its call returns no later than the close. Threads blocked on another
// descriptor of the socket (a duplicate) are left alone unless this was the last reference.
// select and WSAPoll waiting on the descriptor are blocked calls too; Windows ends them as if
// the socket were ready instead (C28: select reports it readable; C32: WSAPoll reports
// POLLNVAL): a divergence under the windows profile, a violation under the documented one.
// Kernel waits on the descriptor (GetOverlappedResult) are not Winsock calls: R2 leaves them.
#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

class BlockedCallsMonitor final : public ShadowedMonitor {
 public:
  explicit BlockedCallsMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R2, options) {}

  void finish(const Trace& trace) override {
    for (auto& [id, c] : closes_) {
      if (!c.ended) continue;
      for (auto& [thread, t] : c.threads) {
        if (t.ended || t.reported) continue;
        violation_at_end(fmt::format("{} was still blocked in {} when the run ended, though {} "
                                     "returned at {}",
                                     thread, call_text(trace, *t.begin),
                                     call_text(trace, *c.close.begin), format_time(c.end_time)));
      }
    }
  }

 private:
  struct Interrupted {
    const TraceRecord* begin = nullptr;  // the blocked call
    bool woken = false;
    bool ended = false;
    bool reported = false;
    bool open() const { return !ended && !reported; }
  };
  struct Close {
    CloseShadow close;
    std::map<std::string, Interrupted> threads;  // blocked on the descriptor, same process
    std::set<std::string> others;  // blocked on another descriptor of the same socket
    bool ended = false;
    Time end_time = 0;
    // Threads neither ended nor reported: a record costs O(log n) however many threads the
    // close interrupted, instead of a scan of them all.
    std::size_t open = 0;
  };

  // C28, C32: a readiness call the close ended with success, as Windows does.
  bool readiness_departure(const TraceRecord& at, const TraceRecord& begin, int error,
                           const Trace& trace, const Close& c) {
    if (!is_readiness_call(begin.call) || error != 0) return false;
    departure(at, fmt::format("{} was ended by {} as if the socket were ready ({}), not with "
                              "WSAEINTR",
                              call_text(trace, begin), call_text(trace, *c.close.begin),
                              begin.call == CallId::Select ? "C28: reported readable"
                                                           : "C32: POLLNVAL"));
    return true;
  }

  static void report(Close& c, Interrupted& t) {
    if (t.open()) --c.open;
    t.reported = true;
  }
  static void end(Close& c, Interrupted& t) {
    if (t.open()) --c.open;
    t.ended = true;
  }

  // before() looks at every record: the first one after a close returned finds the threads it
  // left blocked.
  RecordKinds after_kinds() const override { return {RecordKind::CallBegin}; }

  void before(const TraceRecord& r, const Trace& trace) override {
    for (auto& [id, c] : closes_) {
      if (!c.ended || r.time <= c.end_time || c.open == 0) continue;
      for (auto& [thread, t] : c.threads) {
        if (t.ended || t.reported) continue;
        report(c, t);
        violation(r, fmt::format("{} was still blocked in {} after {} returned at {}", thread,
                                 call_text(trace, *t.begin), call_text(trace, *c.close.begin),
                                 format_time(c.end_time)));
      }
    }
    switch (r.kind) {
      case RecordKind::ThreadWoken:
        for (auto& [id, c] : closes_) {
          if (auto it = c.threads.find(r.actor); it != c.threads.end()) {
            it->second.woken = true;
            if (r.error != WSAEINTR && !it->second.reported) {
              report(c, it->second);
              if (readiness_departure(r, *it->second.begin, r.error, trace, c)) continue;
              violation(r, fmt::format("{} blocked in {} was woken by {} with {}, not WSAEINTR",
                                       r.actor, call_text(trace, *it->second.begin),
                                       call_text(trace, *c.close.begin), error_name(r.error)));
            }
          } else if (c.others.count(r.actor) != 0 && r.rule == RuleId::R2 && !c.close.last &&
                     !c.ended) {
            const CallShadow* call = shadow().call(r.actor);
            violation(r, fmt::format("{} woke {} blocked in {}, a call on another descriptor of "
                                     "the socket",
                                     call_text(trace, *c.close.begin), r.actor,
                                     call != nullptr ? call_text(trace, *call->begin) : "a call"));
          }
        }
        break;
      case RecordKind::HandleReleased: {
        const DescriptorShadow* d = shadow().live(r.process, r.handle);
        if (d == nullptr) break;
        auto it = closes_.find(d->id);
        if (it == closes_.end()) break;
        for (auto& [thread, t] : it->second.threads) {
          if (t.woken || t.reported) continue;
          report(it->second, t);
          violation(r, fmt::format("{} released {} while {} was still blocked in {}",
                                   call_text(trace, *it->second.close.begin),
                                   trace.handle_name(r.process, r.handle, r.socket), thread,
                                   call_text(trace, *t.begin)));
        }
        break;
      }
      case RecordKind::CallEnd: {
        for (auto& [id, c] : closes_) {
          auto it = c.threads.find(r.actor);
          if (it == c.threads.end()) continue;
          const bool reported = it->second.reported;
          end(c, it->second);
          if (r.error != WSAEINTR && !reported) {
            it->second.reported = true;
            if (readiness_departure(r, *it->second.begin, r.error, trace, c)) continue;
            violation(r, fmt::format("{} interrupted by {} returned {}, not WSAEINTR",
                                     call_text(trace, *it->second.begin),
                                     call_text(trace, *c.close.begin), result_text(r)));
          }
        }
        if (auto by = by_thread_.find(r.actor); by != by_thread_.end()) {
          auto it = closes_.find(by->second);
          if (it != closes_.end()) {
            if (r.error != 0) {
              closes_.erase(it);  // a failed close interrupts nothing (R10)
            } else {
              it->second.ended = true;
              it->second.end_time = r.time;
            }
          }
          by_thread_.erase(by);
        }
        break;
      }
      default: break;
    }
    std::erase_if(closes_, [](const auto& entry) {
      const Close& c = entry.second;
      return c.ended && c.open == 0;
    });
  }

  void after(const TraceRecord& r, const Trace&) override {
    if (r.kind != RecordKind::CallBegin) return;
    const CloseShadow* close = shadow().close_by_thread(r.actor);
    if (close == nullptr) return;
    Close c;
    c.close = *close;
    for (const auto& [thread, call] : shadow().calls()) {
      if (thread == r.actor || !call.blocked || call.woken) continue;
      if (is_kernel_call(call.begin->call)) continue;  // GetOverlappedResult(wait=1): not R2's
      if (call.descriptor == close->descriptor) {
        c.threads[thread].begin = call.begin;
        ++c.open;
      } else if (call.begin->socket == close->socket) {
        c.others.insert(thread);
      }
    }
    if (!c.threads.empty()) exercise(close->branches);
    closes_[close->descriptor] = std::move(c);
    by_thread_[r.actor] = close->descriptor;
  }

  std::map<std::uint64_t, Close> closes_;  // by descriptor id
  std::map<std::string, std::uint64_t> by_thread_;  // closing thread -> descriptor id
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r2_monitor(const CheckerOptions& options) {
  return std::make_unique<BlockedCallsMonitor>(options);
}

}  // namespace closesim::rules
