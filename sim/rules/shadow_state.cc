#include "rules/shadow_state.h"

#include <algorithm>

#include <fmt/format.h>

#include "closesim/base/errors.h"

namespace closesim::rules {

namespace {

// The running total a wire record carries; `value` per the contract, `bytes` added as a fallback
// for a record that only says how much moved.
std::int64_t running_total(std::int64_t previous, const TraceRecord& r) {
  return r.value > 0 ? std::max(previous, r.value) : previous + std::max<std::int64_t>(0, r.bytes);
}

}  // namespace

std::string_view linger_branch(LingerMode mode) {
  switch (mode) {
    case LingerMode::Off: return "linger off";
    case LingerMode::Hard: return "linger {1,0}";
    case LingerMode::Timeout: return "linger {1,t}";
  }
  return "";
}

std::string_view provider_name(ProviderKind p) {
  switch (p) {
    case ProviderKind::NonIfs: return "nonifs";
    case ProviderKind::Ifs: return "ifs";
    case ProviderKind::Lsp: return "lsp";
  }
  return "";
}

std::set<std::string> CloseBranches::names() const {
  return {std::string(linger_branch(linger)), nonblocking ? "non-blocking" : "blocking",
          std::string(provider_name(provider)), shared ? "shared" : "single"};
}

int CloseBranches::code() const {
  return ((static_cast<int>(linger) * 2 + (nonblocking ? 1 : 0)) * 3 + static_cast<int>(provider)) *
             2 +
         (shared ? 1 : 0);
}

LingerMode SocketShadow::linger() const {
  if (!linger_on) return LingerMode::Off;
  return linger_seconds == 0 ? LingerMode::Hard : LingerMode::Timeout;
}

ProviderKind DescriptorShadow::provider_kind() const {
  if (layer >= 1) return ProviderKind::Lsp;
  return kind == HandleKind::File ? ProviderKind::Ifs : ProviderKind::NonIfs;
}

CloseShadow ShadowState::make_close(const TraceRecord& begin, const DescriptorShadow& d) const {
  const SocketShadow& s = socket(d.socket);
  CloseShadow c;
  c.begin = &begin;
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
  if (auto it = receives_waiting_.find(d.socket); it != receives_waiting_.end())
    c.receive_pending = it->second > 0;
  c.branches = {c.linger, c.nonblocking, d.provider_kind(), s.shared()};
  return c;
}

// --- updates ---

void ShadowState::apply(const TraceRecord& r) {
  switch (r.kind) {
    case RecordKind::CallBegin: {
      CallShadow call;
      call.begin = &r;
      const DescriptorShadow* d = r.handle != 0 ? app_live(r.process, r.handle) : nullptr;
      if (d != nullptr) call.descriptor = d->id;
      set_call(r.actor, std::move(call));
      // A descriptor already being closed is not closed again: the DLL answers WSAENOTSOCK.
      if (r.call == CallId::CloseSocket && d != nullptr && !d->dropped && close_of(d->id) == nullptr)
        set_close(r.actor, make_close(r, *d));
      // CloseHandle of an IFS base handle drops its reference at once (a WPU handle's close
      // never reaches the provider: its reference stays until closesocket).
      if (r.call == CallId::CloseHandle && d != nullptr && !d->dropped && !d->handle_closed &&
          d->kind == HandleKind::File && d->layer == 0 && close_of(d->id) == nullptr) {
        handle_closes_[r.actor] = make_close(r, *d);
        DescriptorShadow& m = live_.at(d->key);
        m.dropped = true;
        m.handle_closed = true;
      }
      break;
    }
    case RecordKind::CallEnd:
      apply_call_end(r);
      if (auto c = closes_.find(r.actor); c != closes_.end() && r.error != 0) {
        // A close that failed keeps its reference, whatever a RefCount inside it said.
        auto d = live_.find(c->second.key);
        if (d != live_.end() && d->second.id == c->second.descriptor) d->second.dropped = false;
      }
      erase_call(r.actor);
      erase_close(r.actor);
      handle_closes_.erase(r.actor);
      break;
    case RecordKind::ThreadBlocked:
      if (auto it = calls_.find(r.actor); it != calls_.end()) {
        count_waiting_receive(it->second, -1);
        it->second.blocked = true;
        count_waiting_receive(it->second, +1);
      }
      break;
    case RecordKind::ThreadWoken:
      if (auto it = calls_.find(r.actor); it != calls_.end()) {
        count_waiting_receive(it->second, -1);
        it->second.woken = true;
        count_waiting_receive(it->second, +1);
      }
      break;
    case RecordKind::OpIssued: {
      OpShadow op;
      op.issued = &r;
      if (const DescriptorShadow* d = app_of(r.process, r.handle)) op.descriptor = d->id;
      ops_by_name_[r.op].push_back(ops_.size());
      pending_.insert({op.descriptor, ops_.size()});
      if (r.call == CallId::AcceptEx && r.value2 > 0) {
        if (const DescriptorShadow* a = app_of(r.process, static_cast<Handle>(r.value2))) {
          op.acceptor = a->id;
          op.acceptor_socket = a->socket;
          pending_.insert({op.acceptor, ops_.size()});
        }
      }
      if (is_receive_call(r.call)) ++receives_waiting_[r.socket];
      ops_.push_back(op);
      break;
    }
    case RecordKind::OpCompleted: {
      auto index = completion_index(r.op);
      if (!index) break;
      OpShadow* op = &ops_[*index];
      if (!op->completed) {
        op->completed = true;
        pending_.erase({op->descriptor, *index});
        if (op->acceptor != 0) pending_.erase({op->acceptor, *index});
        if (r.error == 0 && op->acceptor_socket != 0)  // AcceptEx took the first data
          socket_mut(op->acceptor_socket).consumed += std::max<std::int64_t>(0, r.bytes);
        if (is_receive_call(op->issued->call)) --receives_waiting_[op->issued->socket];
        op->completion = &r;
        if (r.error == 0 && is_receive_call(op->issued->call))
          socket_mut(op->issued->socket).consumed += std::max<std::int64_t>(0, r.bytes);
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
        for (auto it = by_socket_.lower_bound({r.socket, 0});
             it != by_socket_.end() && it->first == r.socket; ++it) {
          DescriptorShadow& other = live_.at(key_of_.at(it->second));
          if (other.key.first == r.process && other.layer == 0 && !other.below &&
              (below == nullptr || other.id > below->id))
            below = &other;
        }
        if (below != nullptr) {
          below->below = true;
          d.lower = below->key.second;
        }
      }
      add_descriptor(d);
      SocketShadow& s = socket_mut(r.socket);
      s.most_references = std::max(s.most_references, references(r.socket));
      break;
    }
    case RecordKind::HandleReleased: {
      auto it = live_.find({r.process, r.handle});
      if (it == live_.end()) break;
      const DescriptorShadow& d = it->second;
      const int references_left = other_references(d.socket, d.id);
      for (auto p = pending_.lower_bound({d.id, 0}); p != pending_.end() && p->first == d.id; ++p) {
        OpShadow& op = ops_[p->second];
        op.outlived_descriptor = true;
        op.outlived_with_references = references_left > 0;
      }
      if (d.id >= released_.size()) {
        released_.resize(d.id + 1);
        released_app_.resize(d.id + 1);
      }
      released_[d.id] = true;
      released_app_[d.id] = d.app();
      erase_descriptor(it);
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

// --- index upkeep ---

// A descriptor replacing a live one of the same key (a HandleCreated without the release) drops
// the old one from every index first, as the map assignment did.
void ShadowState::add_descriptor(const DescriptorShadow& d) {
  if (auto old = live_.find(d.key); old != live_.end()) erase_descriptor(old);
  live_[d.key] = d;
  key_of_[d.id] = d.key;
  by_socket_.insert({d.socket, d.id});
  if (d.lower) uppers_.insert({DescKey{d.key.first, *d.lower}, d.key});
}

void ShadowState::erase_descriptor(std::map<DescKey, DescriptorShadow, DescKeyLess>::iterator it) {
  const DescriptorShadow& d = it->second;
  key_of_.erase(d.id);
  by_socket_.erase({d.socket, d.id});
  if (d.lower) uppers_.erase({DescKey{d.key.first, *d.lower}, d.key});
  live_.erase(it);
}

// A blocked, not yet woken receive call counts as a receive pending on its socket (CloseShadow).
void ShadowState::count_waiting_receive(const CallShadow& call, int delta) {
  if (call.blocked && !call.woken && is_receive_call(call.begin->call))
    receives_waiting_[call.begin->socket] += delta;
}

void ShadowState::set_call(std::string_view thread, CallShadow call) {
  erase_call(thread);
  count_waiting_receive(call, +1);
  calls_.emplace(std::string(thread), call);
}

void ShadowState::erase_call(std::string_view thread) {
  auto it = calls_.find(thread);
  if (it == calls_.end()) return;
  count_waiting_receive(it->second, -1);
  calls_.erase(it);
}

void ShadowState::set_close(std::string_view thread, CloseShadow close) {
  erase_close(thread);
  close_thread_[close.descriptor] = std::string(thread);
  closes_.insert_or_assign(std::string(thread), std::move(close));
}

void ShadowState::erase_close(std::string_view thread) {
  auto it = closes_.find(thread);
  if (it == closes_.end()) return;
  close_thread_.erase(it->second.descriptor);
  closes_.erase(it);
}

// Options take effect only when the call that sets them succeeded.
void ShadowState::apply_call_end(const TraceRecord& r) {
  auto it = calls_.find(r.actor);
  if (it == calls_.end() || r.error != 0) return;
  const TraceRecord& b = *it->second.begin;
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
    // The accepted socket is overlapped if the listener is and has its linger; otherwise it
    // starts from the defaults (blocking) — docs/rules.md, Decisions.
    if (r.socket == 0) return;
    const SocketShadow listener = socket(b.socket);  // a copy: socket_mut may move the table
    SocketShadow& s = socket_mut(r.socket);
    s.options_set = true;
    s.udp = false;
    s.overlapped = listener.overlapped;
    s.linger_on = listener.linger_on;  // C9: linger too, as accept's page says
    s.linger_seconds = listener.linger_seconds;
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
  } else if (call == CallId::Recv || call == CallId::RecvFrom) {
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
