#include "rules/shadow_state.h"

#include <algorithm>

#include <fmt/format.h>

#include "closesim/errors.h"

namespace closesim::rules {

namespace {

// The running total a wire record carries; `value` per the contract, `bytes` added as a fallback
// for a record that only says how much moved.
std::int64_t running_total(std::int64_t previous, const TraceRecord& r) {
  return r.value > 0 ? std::max(previous, r.value) : previous + std::max<std::int64_t>(0, r.bytes);
}

}  // namespace

std::string linger_branch(LingerMode mode) {
  switch (mode) {
    case LingerMode::Off: return "linger off";
    case LingerMode::Hard: return "linger {1,0}";
    case LingerMode::Timeout: return "linger {1,t}";
  }
  return "";
}

LingerMode SocketShadow::linger() const {
  if (!linger_on) return LingerMode::Off;
  return linger_seconds == 0 ? LingerMode::Hard : LingerMode::Timeout;
}

std::string DescriptorShadow::provider() const {
  if (layer >= 1) return "lsp";
  return kind == HandleKind::File ? "ifs" : "nonifs";
}

// --- queries ---

const DescriptorShadow* ShadowState::live(const std::string& process, Handle h) const {
  auto it = live_.find({process, h});
  return it == live_.end() ? nullptr : &it->second;
}

const DescriptorShadow* ShadowState::app_live(const std::string& process, Handle h) const {
  const DescriptorShadow* d = live(process, h);
  return d != nullptr && d->app() ? d : nullptr;
}

const DescriptorShadow* ShadowState::app_of(const std::string& process, Handle h) const {
  const DescriptorShadow* d = live(process, h);
  if (d == nullptr || d->app()) return d;
  for (const auto& [key, upper] : live_) {
    if (key.first == process && upper.lower == h && upper.socket == d->socket) return &upper;
  }
  return d;
}

const ReleasedDescriptor* ShadowState::released(std::uint64_t id) const {
  auto it = released_.find(id);
  return it == released_.end() ? nullptr : &it->second;
}

const SocketShadow& ShadowState::socket(SocketId s) const {
  static const SocketShadow kUnknown;
  auto it = sockets_.find(s);
  return it == sockets_.end() ? kUnknown : it->second;
}

SocketShadow& ShadowState::socket_mut(SocketId s) {
  SocketShadow& shadow = sockets_[s];
  shadow.id = s;
  return shadow;
}

int ShadowState::references(SocketId s) const { return other_references(s, 0); }

int ShadowState::other_references(SocketId s, std::uint64_t except) const {
  int n = 0;
  for (const auto& [key, d] : live_) {
    if (d.socket == s && d.app() && !d.dropped && d.id != except) ++n;
  }
  return n;
}

int ShadowState::remaining_references(SocketId s) const {
  int n = 0;
  for (const auto& [key, d] : live_) {
    if (d.socket == s && d.app() && !d.dropped && !closing(d.id)) ++n;
  }
  return n;
}

const DescriptorShadow* ShadowState::remaining_holder(SocketId s) const {
  for (const auto& [key, d] : live_) {
    if (d.socket == s && d.app() && !d.dropped && !closing(d.id)) return &d;
  }
  return nullptr;
}

const CallShadow* ShadowState::call(const std::string& thread) const {
  auto it = calls_.find(thread);
  return it == calls_.end() ? nullptr : &it->second;
}

const CloseShadow* ShadowState::close_by_thread(const std::string& thread) const {
  auto it = closes_.find(thread);
  return it == closes_.end() ? nullptr : &it->second;
}

const CloseShadow* ShadowState::close_of(std::uint64_t descriptor) const {
  for (const auto& [thread, c] : closes_) {
    if (c.descriptor == descriptor) return &c;
  }
  return nullptr;
}

bool ShadowState::closing(std::uint64_t descriptor) const {
  if (close_of(descriptor) != nullptr) return true;
  for (const auto& [key, d] : live_) {
    if (d.id == descriptor) return cleaning(key.first);
  }
  return false;
}

std::optional<std::size_t> ShadowState::completion_index(const std::string& name) const {
  auto it = ops_by_name_.find(name);
  if (it == ops_by_name_.end()) return std::nullopt;
  for (std::size_t i : it->second) {
    if (!ops_[i].completed) return i;
  }
  return it->second.back();
}

const OpShadow* ShadowState::op_for_completion(const std::string& name) const {
  auto i = completion_index(name);
  return i ? &ops_[*i] : nullptr;
}

const OpShadow* ShadowState::op_for_action(const std::string& name) const {
  auto it = ops_by_name_.find(name);
  if (it == ops_by_name_.end()) return nullptr;
  for (auto i = it->second.rbegin(); i != it->second.rend(); ++i) {
    if (ops_[*i].completed) return &ops_[*i];
  }
  return &ops_[it->second.back()];
}

std::vector<const OpShadow*> ShadowState::pending_ops(std::uint64_t descriptor) const {
  std::vector<const OpShadow*> out;
  if (descriptor == 0) return out;
  for (std::size_t i : pending_) {
    if (ops_[i].descriptor == descriptor) out.push_back(&ops_[i]);
  }
  return out;
}

bool ShadowState::cleaning(const std::string& process) const { return cleaning_.count(process) != 0; }

bool ShadowState::initialised(const std::string& process) const {
  return uninitialised_.count(process) == 0;
}

CloseShadow ShadowState::make_close(const TraceRecord& begin, const DescriptorShadow& d) const {
  const SocketShadow& s = socket(d.socket);
  CloseShadow c;
  c.begin = begin;
  c.key = d.key;
  c.descriptor = d.id;
  c.socket = d.socket;
  c.kind = d.kind;
  c.last = other_references(d.socket, d.id) == 0;
  c.linger = s.linger();
  c.linger_seconds = s.linger_seconds;
  c.nonblocking = s.nonblocking;
  c.udp = s.udp;
  c.connected = s.connected;
  c.shutdown_send = s.shutdown_send;
  c.reset = s.reset();
  c.unread = s.unread();
  for (std::size_t i : pending_) {
    if (ops_[i].issued.socket == d.socket && is_receive_call(ops_[i].issued.call))
      c.receive_pending = true;
  }
  for (const auto& [thread, call] : calls_) {
    if (call.blocked && !call.woken && call.begin.socket == d.socket &&
        is_receive_call(call.begin.call))
      c.receive_pending = true;
  }
  c.branches = {linger_branch(c.linger), c.nonblocking ? "non-blocking" : "blocking", d.provider(),
                s.shared() ? "shared" : "single"};
  return c;
}

// --- updates ---

void ShadowState::apply(const TraceRecord& r) {
  switch (r.kind) {
    case RecordKind::CallBegin: {
      CallShadow call;
      call.begin = r;
      const DescriptorShadow* d = r.handle != 0 ? app_live(r.process, r.handle) : nullptr;
      if (d != nullptr) call.descriptor = d->id;
      calls_[r.actor] = call;
      // A descriptor already being closed is not closed again: the DLL answers WSAENOTSOCK.
      if (r.call == CallId::CloseSocket && d != nullptr && !d->dropped && close_of(d->id) == nullptr)
        closes_[r.actor] = make_close(r, *d);
      break;
    }
    case RecordKind::CallEnd:
      apply_call_end(r);
      if (auto c = closes_.find(r.actor); c != closes_.end() && r.error != 0) {
        // A close that failed keeps its reference, whatever a RefCount inside it said.
        auto d = live_.find(c->second.key);
        if (d != live_.end() && d->second.id == c->second.descriptor) d->second.dropped = false;
      }
      calls_.erase(r.actor);
      closes_.erase(r.actor);
      break;
    case RecordKind::ThreadBlocked:
      if (auto it = calls_.find(r.actor); it != calls_.end()) it->second.blocked = true;
      break;
    case RecordKind::ThreadWoken:
      if (auto it = calls_.find(r.actor); it != calls_.end()) it->second.woken = true;
      break;
    case RecordKind::OpIssued: {
      OpShadow op;
      op.issued = r;
      if (const DescriptorShadow* d = app_of(r.process, r.handle)) op.descriptor = d->id;
      ops_by_name_[r.op].push_back(ops_.size());
      pending_.insert(ops_.size());
      ops_.push_back(op);
      break;
    }
    case RecordKind::OpCompleted: {
      auto index = completion_index(r.op);
      if (!index) break;
      OpShadow* op = &ops_[*index];
      if (!op->completed) {
        op->completed = true;
        pending_.erase(*index);
        op->completion = r;
        if (r.error == 0 && is_receive_call(op->issued.call))
          socket_mut(op->issued.socket).consumed += std::max<std::int64_t>(0, r.bytes);
      }
      ++op->completions;
      break;
    }
    case RecordKind::HandleCreated: {
      DescriptorShadow d;
      d.key = {r.process, r.handle};
      d.socket = r.socket;
      d.layer = r.layer;
      d.kind = static_cast<HandleKind>(r.value);
      d.id = r.seq;
      if (r.layer >= 1) {
        // A layered provider creates its own handle after the one below: pair it with the most
        // recent unpaired layer-0 handle of the same socket in the process.
        DescriptorShadow* below = nullptr;
        for (auto& [key, other] : live_) {
          if (key.first == r.process && other.socket == r.socket && other.layer == 0 &&
              !other.below && (below == nullptr || other.id > below->id))
            below = &other;
        }
        if (below != nullptr) {
          below->below = true;
          d.lower = below->key.second;
        }
      }
      live_[d.key] = d;
      SocketShadow& s = socket_mut(r.socket);
      s.most_references = std::max(s.most_references, references(r.socket));
      break;
    }
    case RecordKind::HandleReleased: {
      auto it = live_.find({r.process, r.handle});
      if (it == live_.end()) break;
      const DescriptorShadow& d = it->second;
      ReleasedDescriptor rel;
      rel.descriptor = d;
      rel.seq = r.seq;
      rel.time = r.time;
      rel.references_left = other_references(d.socket, d.id);
      for (std::size_t i : pending_) {
        OpShadow& op = ops_[i];
        if (op.descriptor != d.id) continue;
        op.outlived_descriptor = true;
        op.outlived_with_references = rel.references_left > 0;
      }
      released_[d.id] = rel;
      live_.erase(it);
      break;
    }
    case RecordKind::RefCount: {
      const DescriptorShadow* d = app_of(r.process, r.handle);
      if (d != nullptr && !d->dropped && closing(d->id)) live_.at(d->key).dropped = true;
      break;
    }
    case RecordKind::CleanupBegin: cleaning_.insert(r.process); break;
    case RecordKind::CleanupEnd:
      cleaning_.erase(r.process);
      uninitialised_.insert(r.process);
      break;
    case RecordKind::SocketReleased: socket_mut(r.socket).released = true; break;
    case RecordKind::ConnectionOpened: socket_mut(r.socket).connected = true; break;
    case RecordKind::DataQueued: {
      SocketShadow& s = socket_mut(r.socket);
      s.queued = running_total(s.queued, r);
      break;
    }
    case RecordKind::DataSent: {
      SocketShadow& s = socket_mut(r.socket);
      s.sent = running_total(s.sent, r);
      break;
    }
    case RecordKind::PeerReceived: {
      SocketShadow& s = socket_mut(r.socket);
      s.peer_received = running_total(s.peer_received, r);
      break;
    }
    case RecordKind::DataAcked: {
      SocketShadow& s = socket_mut(r.socket);
      s.acked = running_total(s.acked, r);
      break;
    }
    case RecordKind::DataDiscarded:
      if (r.text == "receive") {
        SocketShadow& s = socket_mut(r.socket);
        s.consumed = s.local_received;
      }
      break;
    case RecordKind::FinSent: socket_mut(r.socket).fin_sent = true; break;
    case RecordKind::PeerSawFin: socket_mut(r.socket).peer_saw_fin = true; break;
    case RecordKind::RstSent: socket_mut(r.socket).rst_sent = true; break;
    case RecordKind::PeerSawRst: socket_mut(r.socket).peer_saw_rst = true; break;
    case RecordKind::LocalReceived: {
      SocketShadow& s = socket_mut(r.socket);
      s.connected = true;
      s.local_received += r.bytes > 0 ? r.bytes : std::max<std::int64_t>(0, r.value);
      break;
    }
    case RecordKind::LocalSawFin: socket_mut(r.socket).local_saw_fin = true; break;
    case RecordKind::LocalSawRst: socket_mut(r.socket).local_saw_rst = true; break;
    default: break;
  }
}

// Options take effect only when the call that sets them succeeded.
void ShadowState::apply_call_end(const TraceRecord& r) {
  auto it = calls_.find(r.actor);
  if (it == calls_.end() || r.error != 0) return;
  const TraceRecord& b = it->second.begin;
  const CallId call = b.call;
  SocketId named = b.socket != 0 ? b.socket : r.socket;
  if (call == CallId::Socket || call == CallId::WSASocket) {
    if (r.socket == 0) return;
    SocketShadow& s = socket_mut(r.socket);
    if (s.options_set) return;  // WSASocket(info): a duplicate shares the socket's options
    s.options_set = true;
    s.udp = b.option == CallOption::Udp;
    s.overlapped = b.value != 0;
    s.nonblocking = b.value2 != 0;
  } else if (call == CallId::Accept) {
    // The accepted socket is overlapped if the listener is; otherwise it starts from the
    // defaults (blocking, SO_DONTLINGER) — docs/rules.md, Decisions.
    if (r.socket == 0) return;
    const bool overlapped = socket(b.socket).overlapped;
    SocketShadow& s = socket_mut(r.socket);
    s.options_set = true;
    s.udp = false;
    s.overlapped = overlapped;
    s.connected = true;
  } else if (call == CallId::SetSockOpt) {
    if (named == 0) return;
    SocketShadow& s = socket_mut(named);
    if (b.option == CallOption::SoDontLinger) {
      s.linger_on = b.value == 0;  // SO_DONTLINGER 0 = linger on, with the seconds set before
    } else if (b.option == CallOption::SoLinger) {
      s.linger_on = b.value != 0;
      s.linger_seconds = b.value2;
    }
  } else if (call == CallId::IoctlSocket) {
    if (named != 0 && b.option == CallOption::FionBio)
      socket_mut(named).nonblocking = b.value != 0;
  } else if (call == CallId::WSAEventSelect) {
    if (named == 0) return;
    SocketShadow& s = socket_mut(named);
    s.nonblocking = true;
    s.event_select = b.value != 0;
  } else if (call == CallId::Shutdown) {
    if (named == 0) return;
    SocketShadow& s = socket_mut(named);
    if (b.value == 0 || b.value == 2) s.shutdown_receive = true;
    if (b.value == 1 || b.value == 2) s.shutdown_send = true;
  } else if (call == CallId::Connect) {
    if (named != 0) socket_mut(named).connected = true;
  } else if (call == CallId::Recv) {
    if (named != 0) socket_mut(named).consumed += std::max<std::int64_t>(0, r.value);
  } else if (call == CallId::WSAStartup) {
    uninitialised_.erase(b.process);
  }
}

// --- messages ---

std::string call_text(const Trace& trace, const TraceRecord& begin) {
  if (begin.handle == 0) return fmt::format("{}()", begin.call);
  return fmt::format("{}({})", begin.call, trace.handle_name(begin.process, begin.handle, begin.socket));
}

std::string release_text(const Trace& trace, const std::string& process, Handle h, SocketId socket,
                         HandleKind kind) {
  return fmt::format("{}({})", kind == HandleKind::File ? "CloseHandle" : "WPUCloseSocketHandle",
                     trace.handle_name(process, h, socket));
}

std::string result_text(const TraceRecord& end) {
  if (end.error != 0) return error_name(end.error);
  return fmt::format("{}", end.value);
}


}  // namespace closesim::rules
