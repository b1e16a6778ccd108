// R12 — No FD_CLOSE for one's own close. From the moment a process calls closesocket on a
// descriptor, no network event is posted for that descriptor — until the close fails (the
// descriptor lives on) or the value is reused by a new socket. WSACleanup silences every
// descriptor the process still holds, the same way.
#include <fmt/format.h>

#include "closesim/base/errors.h"

#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

class OwnCloseEventsMonitor final : public ShadowedMonitor {
 public:
  explicit OwnCloseEventsMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R12, options) {}

 private:
  RecordKinds before_kinds() const override {
    return {RecordKind::NetworkEvent, RecordKind::HandleCreated, RecordKind::CleanupBegin,
            RecordKind::CallEnd};
  }
  RecordKinds after_kinds() const override { return {RecordKind::CallBegin}; }

  // The call that silenced a descriptor: its close's CallBegin, or the CleanupBegin of its
  // process's WSACleanup.
  static std::string silencer_text(const Trace& trace, const TraceRecord& by) {
    if (by.kind == RecordKind::CleanupBegin) return fmt::format("{}()", CallId::WSACleanup);
    return call_text(trace, by);
  }

  void before(const TraceRecord& r, const Trace& trace) override {
    const DescKey key{r.process, r.handle};
    switch (r.kind) {
      case RecordKind::NetworkEvent:
        // C43: after the peer's RST the documents give FD_CLOSE WSAECONNRESET; Windows gives
        // WSAECONNABORTED.
        if (r.text == "FD_CLOSE" && r.error == WSAECONNABORTED &&
            shadow().socket(r.socket).local_saw_rst)
          departure(r, fmt::format("FD_CLOSE for {} after the peer's RST carried "
                                   "WSAECONNABORTED, not WSAECONNRESET (C43)",
                                   trace.handle_name(r.process, r.handle, r.socket)));
        if (auto it = silenced_.find(key); it != silenced_.end()) {
          violation(r, fmt::format("{} was posted for {} after {} was called",
                                   r.text.empty() ? "a network event" : r.text,
                                   trace.handle_name(r.process, r.handle, r.socket),
                                   silencer_text(trace, *it->second)));
        }
        break;
      case RecordKind::HandleCreated: silenced_.erase(key); break;
      case RecordKind::CleanupBegin: {
        // Cleanup releases the process's descriptors as a close would (R14).
        for (const auto& [held, d] : shadow().descriptors()) {
          if (held.first == r.process && d.app()) silenced_[held] = &r;
        }
        break;
      }
      case RecordKind::CallEnd:
        if (auto it = closing_.find(r.actor); it != closing_.end()) {
          if (r.error != 0) silenced_.erase(it->second);
          closing_.erase(it);
        }
        break;
      default: break;
    }
  }

  void after(const TraceRecord& r, const Trace&) override {
    if (r.kind != RecordKind::CallBegin) return;
    const CloseShadow* c = shadow().close_by_thread(r.actor);
    if (c == nullptr) return;
    if (shadow().socket(c->socket).event_select) exercise(c->branches);
    silenced_[c->key] = &r;
    closing_[r.actor] = c->key;
  }

  std::map<DescKey, const TraceRecord*> silenced_;  // descriptor -> the call that silenced it
  std::map<std::string, DescKey> closing_;      // closing thread -> its descriptor
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r12_monitor(const CheckerOptions& options) {
  return std::make_unique<OwnCloseEventsMonitor>(options);
}

}  // namespace closesim::rules
