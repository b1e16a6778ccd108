// R11 — A non-IFS provider hands each handle back exactly once. Every descriptor a close
// releases is released once, the way it was created (WPUCloseSocketHandle for a Wpu handle, the
// file handle closed for an IFS one), never by a close that fails, only after every operation
// pending on it has completed, after its reference was dropped and — for the last reference —
// after the disconnect started; it is the provider's last act on that handle. A layered provider
// closes the layer below (its handle released and its WSPCloseSocket returned) before handing
// back its own.
#include <optional>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "rules/monitors.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

namespace {

// Records by which a provider acts on a handle; none may name it once it has been handed back.
bool acts_on_handle(RecordKind kind) {
  switch (kind) {
    case RecordKind::OpCompleted:
    case RecordKind::EventSignaled:
    case RecordKind::ApcQueued:
    case RecordKind::PortPacketPosted:
    case RecordKind::RefCount:
    case RecordKind::NetworkEvent:
    case RecordKind::ProviderCloseBegin:
      return true;
    default:
      return false;
  }
}

class HandBackMonitor final : public ShadowedMonitor {
 public:
  explicit HandBackMonitor(const CheckerOptions& options)
      : ShadowedMonitor(RuleId::R11, options) {}

  void finish(const Trace& trace) override {
    for (const auto& [id, c] : closes_) {
      if (!c.ended || c.released) continue;
      violation_at_end(fmt::format("{} succeeded but {} never happened",
                                   call_text(trace, *c.close.begin),
                                   release_text(trace, c.close.key.first, c.close.key.second,
                                                c.close.begin->socket, c.close.kind)));
    }
  }

 private:
  struct Close {
    CloseShadow close;
    bool ended = false;  // returned 0; the hand-back may still be to come
    bool refcount_seen = false;
    std::set<Handle> lower_closed;  // ProviderCloseEnd seen for these handles of the socket
    const TraceRecord* released = nullptr;  // its HandleReleased
  };

  RecordKinds before_kinds() const override {
    return {RecordKind::OpCompleted,      RecordKind::EventSignaled,  RecordKind::ApcQueued,
            RecordKind::PortPacketPosted, RecordKind::RefCount,       RecordKind::NetworkEvent,
            RecordKind::ProviderCloseBegin, RecordKind::HandleReleased, RecordKind::HandleCreated,
            RecordKind::ProviderCloseEnd, RecordKind::CallEnd};
  }
  RecordKinds after_kinds() const override { return {RecordKind::CallBegin}; }

  void before(const TraceRecord& r, const Trace& trace) override {
    const DescKey key{r.process, r.handle};
    if (acts_on_handle(r.kind) && r.handle != 0) {
      if (auto it = handed_back_.find(key); it != handed_back_.end()) {
        const TraceRecord& back = *it->second;
        violation(r, fmt::format("{} named {} after {} handed it back", kind_name(r.kind),
                                 trace.handle_name(r.process, r.handle, r.socket),
                                 release_text(trace, back.process, back.handle, back.socket,
                                              static_cast<HandleKind>(back.value))));
      }
    }
    switch (r.kind) {
      case RecordKind::HandleReleased: released(r, trace); break;
      case RecordKind::HandleCreated:
        handed_back_.erase(key);
        ever_released_.erase(key);
        break;
      case RecordKind::ProviderCloseEnd:
        handed_back_.erase(key);
        for (auto& [id, c] : closes_) {
          if (c.close.key.first == r.process && c.close.socket == r.socket &&
              c.close.key.second != r.handle)
            c.lower_closed.insert(r.handle);
        }
        break;
      case RecordKind::RefCount:
        for (auto& [id, c] : closes_) {
          if (!c.ended && c.close.socket == r.socket) c.refcount_seen = true;
        }
        break;
      case RecordKind::CallEnd: {
        auto by = by_thread_.find(r.actor);
        if (by == by_thread_.end()) break;
        auto it = closes_.find(by->second);
        by_thread_.erase(by);
        if (it == closes_.end()) break;
        Close& c = it->second;
        if (r.error != 0) {
          if (c.released) {
            violation(*c.released,
                      fmt::format("{} failed with {} but {} had handed the handle back",
                                  call_text(trace, *c.close.begin), error_name(r.error),
                                  release_text(trace, c.close.key.first, c.close.key.second,
                                               c.close.begin->socket, c.close.kind)));
          }
          closes_.erase(it);
          break;
        }
        exercise(c.close.branches);
        c.ended = true;
        if (c.released) closes_.erase(it);
        break;
      }
      default: break;
    }
  }

  void released(const TraceRecord& r, const Trace& trace) {
    const DescKey key{r.process, r.handle};
    const auto kind = static_cast<HandleKind>(r.value);
    // Named only for a message: most releases break nothing.
    const auto release = [&] { return release_text(trace, r.process, r.handle, r.socket, kind); };
    const DescriptorShadow* d = shadow().live(key);
    if (d == nullptr) {
      violation(r, ever_released_.count(key) != 0
                       ? fmt::format("{} handed {} back a second time", release(),
                                     trace.handle_name(r.process, r.handle, r.socket))
                       : fmt::format("{} released a handle that was not live", release()));
      return;
    }
    ever_released_.insert(key);
    if (kind != d->kind) {
      violation(r, d->kind == HandleKind::File
                       ? fmt::format("{} was called for {}, a file handle of an IFS provider, "
                                     "which closes it instead",
                                     release(), trace.handle_name(r.process, r.handle, r.socket))
                       : fmt::format("{} came from WPUCreateSocketHandle but was closed as a file "
                                     "handle instead of handed back with WPUCloseSocketHandle",
                                     trace.handle_name(r.process, r.handle, r.socket)));
    }
    if (!d->app()) return;  // a lower layer's handle: judged with the layered close above it
    for (const OpShadow* op : shadow().pending_ops(d->id)) {
      if (windows() && shadow().other_references(d->socket, d->id) > 0) continue;  // R3 diverges
      violation(r, fmt::format("{} released the handle while {} was still pending", release(),
                               op->issued->op));
    }
    if (d->lower && shadow().live(r.process, *d->lower) != nullptr) {
      violation(r, fmt::format("{} came before the layer below closed its handle {}", release(),
                               trace.handle_name(r.process, *d->lower)));
    }
    handed_back_[key] = &r;
    auto it = closes_.find(d->id);
    if (it == closes_.end()) {
      if (!shadow().cleaning(r.process))
        violation(r, fmt::format("{} released {} though no close or cleanup of it was under way",
                                 release(), trace.handle_name(r.process, r.handle, r.socket)));
      return;
    }
    Close& c = it->second;
    c.released = &r;
    if (!c.refcount_seen)
      violation(r, fmt::format("{} came before {} dropped its reference to the socket", release(),
                               call_text(trace, *c.close.begin)));
    const SocketShadow& s = shadow().socket(d->socket);
    if (c.close.last && !s.udp && s.connected && !s.reset() && !s.fin_sent && s.acked >= s.queued)
      violation(r, fmt::format("{} came before the disconnect of {} started", release(),
                               trace.peer_name(d->socket)));
    if (d->lower && shadow().live(r.process, *d->lower) == nullptr &&
        c.lower_closed.count(*d->lower) == 0)
      violation(r, fmt::format("{} came before the close of the layer below returned", release()));
    if (c.ended) closes_.erase(it);
  }

  void after(const TraceRecord& r, const Trace&) override {
    if (r.kind != RecordKind::CallBegin) return;
    const CloseShadow* c = shadow().close_by_thread(r.actor);
    if (c == nullptr) return;
    Close close;
    close.close = *c;
    closes_[c->descriptor] = std::move(close);
    by_thread_[r.actor] = c->descriptor;
  }

  std::map<std::uint64_t, Close> closes_;             // by descriptor id
  std::map<std::string, std::uint64_t> by_thread_;    // closing thread -> descriptor id
  // The HandleReleased that handed a value back, until ProviderCloseEnd or reuse.
  std::map<DescKey, const TraceRecord*> handed_back_;
  std::set<DescKey> ever_released_;                   // until reuse
};

}  // namespace

std::unique_ptr<ShadowedMonitor> make_r11_monitor(const CheckerOptions& options) {
  return std::make_unique<HandBackMonitor>(options);
}

}  // namespace closesim::rules
