// The World's front door: threads, the DLL's routing of calls to the provider, and the calls
// that only touch options and objects. The data path, completions and close live beside it.
#include "closesim/world/world.h"

#include "closesim/check.h"

#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

std::string_view api_name(ApiFunction f) {
  switch (f) {
    case ApiFunction::Socket: return "socket";
    case ApiFunction::Connect: return "connect";
    case ApiFunction::Listen: return "listen";
    case ApiFunction::Accept: return "accept";
    case ApiFunction::Send: return "send";
    case ApiFunction::Recv: return "recv";
    case ApiFunction::WSASend: return "WSASend";
    case ApiFunction::WSARecv: return "WSARecv";
    case ApiFunction::SetLinger: return "setsockopt";
    case ApiFunction::SetDontLinger: return "setsockopt";
    case ApiFunction::SetNonBlocking: return "ioctlsocket";
    case ApiFunction::Shutdown: return "shutdown";
    case ApiFunction::CloseSocket: return "closesocket";
    case ApiFunction::DuplicateSocket: return "WSADuplicateSocket";
    case ApiFunction::WSASocket: return "WSASocket";
    case ApiFunction::CreateIoCompletionPort: return "CreateIoCompletionPort";
    case ApiFunction::GetQueuedCompletionStatus: return "GetQueuedCompletionStatus";
    case ApiFunction::WaitForSingleObject: return "WaitForSingleObject";
    case ApiFunction::SleepEx: return "SleepEx";
    case ApiFunction::WSACreateEvent: return "WSACreateEvent";
    case ApiFunction::WSAEventSelect: return "WSAEventSelect";
    case ApiFunction::WSAStartup: return "WSAStartup";
    case ApiFunction::WSACleanup: return "WSACleanup";
  }
  return "?";
}

World::World(Engine& engine, Trace& trace, const WorldConfig& config, WorldListener& listener)
    : state_(std::make_unique<State>(engine, trace, config, listener)) {}

World::~World() = default;

ThreadId World::thread(const std::string& process, const std::string& name, Lane lane) {
  State& w = *state_;
  std::string label = process + "." + name;
  for (ThreadId i = 0; i < w.threads.size(); ++i)
    if (w.threads[i].label == label) return i;
  w.process(process);
  Thread t;
  t.process = process;
  t.name = name;
  t.label = label;
  t.lane = lane;
  w.threads.push_back(std::move(t));
  return static_cast<ThreadId>(w.threads.size() - 1);
}

bool World::busy(ThreadId thread) const {
  const Thread& t = state_->threads.at(thread);
  return t.park != ParkReason::None || t.returning;
}

const std::string& World::thread_label(ThreadId thread) const {
  return state_->threads.at(thread).label;
}

void World::call(ThreadId thread, const ApiCall& call) {
  CLOSESIM_CHECK(!busy(thread));
  state_->begin_call(thread, call);
}

bool World::peer_act(SocketId socket, PeerDoes what, std::int64_t bytes, int line) {
  return state_->peer_act(socket, what, bytes, line);
}

SocketId World::socket_of(const std::string& process, Handle handle) const {
  auto it = state_->processes.find(process);
  if (it == state_->processes.end()) return 0;
  const Descriptor* d = it->second.table.find(handle);
  return d && d->app_level ? d->socket : 0;
}

std::vector<std::string> World::parked() const {
  std::vector<std::string> out;
  for (const Thread& t : state_->threads) {
    if (t.park == ParkReason::None) continue;
    out.push_back(fmt::format("{} is still blocked in {} (line {}): waiting for {}", t.label,
                              api_name(t.current), t.line, t.waiting_for));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

TraceRecord World::State::record(RecordKind kind, std::string actor) const {
  TraceRecord r;
  r.time = engine.now();
  r.event = engine.current_event();
  r.kind = kind;
  r.actor = std::move(actor);
  return r;
}

Process& World::State::process(const std::string& name) {
  auto it = processes.find(name);
  if (it == processes.end()) it = processes.emplace(name, Process{name, 1, {}, {}}).first;
  return it->second;
}

Socket& World::State::socket(SocketId id) {
  auto it = sockets.find(id);
  CLOSESIM_CHECK(it != sockets.end());
  return it->second;
}

Descriptor* World::State::live(const std::string& p, Handle h) {
  auto it = processes.find(p);
  if (it == processes.end()) return nullptr;
  Descriptor* d = it->second.table.find(h);
  if (!d || !d->app_level) return nullptr;
  return d;
}

ApiResult World::State::error_result(int error, bool invalid_socket) const {
  ApiResult r;
  r.value = -1;
  r.error = error;
  r.text = fmt::format("{} {}", invalid_socket ? "INVALID_SOCKET" : "SOCKET_ERROR", error_name(error));
  return r;
}

namespace {

ApiResult value_result(std::int64_t v) {
  ApiResult r;
  r.value = v;
  r.text = std::to_string(v);
  return r;
}

ApiResult ok_result() {
  ApiResult r;
  r.text = "ok";
  return r;
}

}  // namespace

void World::State::finish(ThreadId t, const ApiResult& res) {
  Thread& th = threads.at(t);
  TraceRecord r = record(RecordKind::CallEnd, th.label);
  r.process = th.process;
  r.call = std::string(api_name(th.current));
  r.handle = res.handle ? res.handle : th.handle;
  r.socket = res.socket ? res.socket : (live(th.process, r.handle) ? live(th.process, r.handle)->socket : 0);
  r.value = res.value;
  r.error = res.error;
  r.text = res.text;
  r.line = th.line;
  if (!res.packet_op.empty()) {
    r.op = res.packet_op;
    r.bytes = res.packet_bytes;
  }
  emit(std::move(r));
  th.park = ParkReason::None;
  th.returning = false;
  listener.on_return(t, res);
}

void World::State::park(ThreadId t, ParkReason why, const std::string& waiting_for) {
  Thread& th = threads.at(t);
  th.park = why;
  th.waiting_for = waiting_for;
  TraceRecord r = record(RecordKind::ThreadBlocked, th.label);
  r.process = th.process;
  r.call = std::string(api_name(th.current));
  r.handle = th.handle;
  r.text = waiting_for;
  r.line = th.line;
  emit(std::move(r));
}

void World::State::wake(ThreadId t, RuleId rule, const ApiResult& res) {
  wake_record(t, rule, res.error);
  schedule_return(t, res);
}

void World::State::wake_record(ThreadId t, RuleId rule, int error) {
  Thread& th = threads.at(t);
  CLOSESIM_CHECK(th.park != ParkReason::None && !th.returning);
  if (th.timer.valid()) engine.cancel(th.timer);
  th.timer = EventId{};
  TraceRecord r = record(RecordKind::ThreadWoken, th.label);
  r.process = th.process;
  r.call = std::string(api_name(th.current));
  r.handle = th.handle;
  r.rule = rule;
  r.error = error;
  r.line = th.line;
  emit(std::move(r));
  th.returning = true;
}

void World::State::schedule_return(ThreadId t, const ApiResult& res) {
  // The woken thread returns at the same instant, but as its own step: another thread's call
  // (the close that woke it) may return first or second — a choice point when explored.
  engine.at(engine.now(), threads.at(t).lane, [this, t, res] { finish(t, res); });
}

SocketId World::State::new_socket(bool udp, bool overlapped, bool nonblocking) {
  Socket s;
  s.id = next_socket++;
  s.udp = udp;
  s.overlapped = overlapped;
  s.nonblocking = nonblocking;
  s.lane = engine.add_lane(fmt::format("link#{}", s.id));
  SocketId id = s.id;
  sockets.emplace(id, std::move(s));
  return id;
}

// A new application-level descriptor for socket `s` in `process`. Under a layered provider the
// base provider's descriptor is made first (the LSP opens the socket below, then asks the DLL
// for its own handle).
Handle World::State::create_descriptor(const std::string& p, SocketId s, int line) {
  Process& proc = process(p);
  auto created = [&](Handle h, int layer, HandleKind kind) {
    TraceRecord r = record(RecordKind::HandleCreated, "provider");
    r.process = p;
    r.handle = h;
    r.socket = s;
    r.layer = layer;
    r.value = static_cast<std::int64_t>(kind);
    r.line = line;
    emit(std::move(r));
  };
  Handle lower = 0;
  if (layered()) {
    lower = proc.table.allocate(s, 0, base_handle_kind(), false);
    created(lower, 0, base_handle_kind());
  }
  int layer = layered() ? 1 : 0;
  HandleKind kind = layered() ? HandleKind::Wpu : base_handle_kind();
  Handle h = proc.table.allocate(s, layer, kind, true);
  proc.table.find(h)->lower = lower;
  created(h, layer, kind);
  Socket& sock = socket(s);
  sock.refs += 1;
  record_refcount(p, h, sock, sock.refs > 1 ? RuleId::R6 : RuleId::None, line);
  return h;
}

void World::State::record_refcount(const std::string& p, Handle h, const Socket& s, RuleId why,
                                   int line) {
  TraceRecord r = record(RecordKind::RefCount, "provider");
  r.process = p;
  r.handle = h;
  r.socket = s.id;
  r.value = s.refs;
  r.rule = why;
  r.line = line;
  emit(std::move(r));
}

void World::State::begin_call(ThreadId t, const ApiCall& c) {
  Thread& th = threads.at(t);
  th.current = c.function;
  th.handle = c.handle;
  th.line = c.line;
  Process& proc = process(th.process);
  {
    TraceRecord r = record(RecordKind::CallBegin, th.label);
    r.process = th.process;
    r.call = std::string(api_name(c.function));
    r.handle = c.handle;
    Descriptor* d = live(th.process, c.handle);
    r.socket = d ? d->socket : 0;
    r.text = c.text;
    r.line = c.line;
    r.op = c.op;
    switch (c.function) {
      case ApiFunction::Socket:
        r.value = c.overlapped;
        r.value2 = c.nonblocking;
        break;
      case ApiFunction::SetLinger:
        r.value = c.count;
        r.value2 = c.count2;
        break;
      case ApiFunction::SleepEx:
      case ApiFunction::WaitForSingleObject:
      case ApiFunction::GetQueuedCompletionStatus:
        r.value = c.timeout;
        r.value2 = c.count2;
        break;
      default:
        r.value = c.count;
        r.value2 = c.count2;
        break;
    }
    emit(std::move(r));
  }

  // Calls that need no descriptor.
  switch (c.function) {
    case ApiFunction::WSAStartup:
      proc.startup_count += 1;
      finish(t, value_result(0));
      return;
    case ApiFunction::WSACleanup:
      cleanup_call(t, c);
      return;
    case ApiFunction::WaitForSingleObject:
      wait_call(t, c);
      return;
    case ApiFunction::SleepEx:
      sleep_call(t, c);
      return;
    case ApiFunction::GetQueuedCompletionStatus:
      port_wait_call(t, c);
      return;
    default:
      break;
  }
  if (proc.startup_count <= 0) {  // R14: after the final WSACleanup nothing works
    finish(t, error_result(WSANOTINITIALISED, c.function == ApiFunction::Socket ||
                                                  c.function == ApiFunction::WSASocket));
    return;
  }
  switch (c.function) {
    case ApiFunction::Socket: {
      SocketId s = new_socket(c.udp, c.overlapped, c.nonblocking);
      ApiResult res = ok_result();
      res.handle = create_descriptor(th.process, s, c.line);
      res.socket = s;
      finish(t, res);
      return;
    }
    case ApiFunction::WSACreateEvent: {
      ObjectId id = next_object++;
      events[id] = EventObject{c.object_name, false};
      ApiResult res = ok_result();
      res.object = id;
      finish(t, res);
      return;
    }
    case ApiFunction::WSASocket: {
      auto it = infos.find(c.object);
      if (it == infos.end() || it->second.target_process != th.process ||
          sockets.count(it->second.socket) == 0 || socket(it->second.socket).closed) {
        finish(t, error_result(WSAEINVAL, true));
        return;
      }
      SocketId s = it->second.socket;
      infos.erase(it);  // a protocol info is good for one WSASocket
      ApiResult res = ok_result();
      res.handle = create_descriptor(th.process, s, c.line);
      res.socket = s;
      finish(t, res);
      return;
    }
    case ApiFunction::CloseSocket:
      close_call(t, c);
      return;
    case ApiFunction::CreateIoCompletionPort: {
      ObjectId port = c.object;
      if (port == 0 || ports.count(port) == 0) {
        port = next_object++;
        ports[port] = Port{c.object_name, {}};
      }
      if (c.handle != 0) {
        Descriptor* d = live(th.process, c.handle);
        if (!d) {
          finish(t, error_result(WSAENOTSOCK, true));
          return;
        }
        socket(d->socket).port = port;
      }
      ApiResult res = ok_result();
      res.object = port;
      finish(t, res);
      return;
    }
    default:
      break;
  }

  // Everything else names a descriptor. R1: the DLL answers WSAENOTSOCK for a value that is
  // not live in this process, and the provider never sees the call.
  Descriptor* d = live(th.process, c.handle);
  if (!d) {
    finish(t, error_result(WSAENOTSOCK, c.function == ApiFunction::Accept));
    return;
  }
  Descriptor stale;
  if (mutant(Mutant::StaleHandleRouting)) {
    // The bug R1 warns of: a table that still maps a reused value to its old socket.
    auto prev = proc.previous.find(c.handle);
    if (prev != proc.previous.end() && prev->second != d->socket &&
        !socket(prev->second).released) {
      stale = *d;
      stale.socket = prev->second;
      d = &stale;
      TraceRecord r = record(RecordKind::Note, "dll");
      r.process = th.process;
      r.handle = c.handle;
      r.socket = prev->second;
      r.call = std::string(api_name(c.function));
      r.text = "routed to the socket this value named before it was reused";
      emit(std::move(r));
    }
  }
  Socket& s = socket(d->socket);
  switch (c.function) {
    case ApiFunction::Connect: connect_call(t, c, *d); return;
    case ApiFunction::Listen:
      if (s.udp || s.state != Socket::State::Fresh) {
        finish(t, error_result(WSAEINVAL));
        return;
      }
      s.state = Socket::State::Listening;
      finish(t, value_result(0));
      return;
    case ApiFunction::Accept: accept_call(t, c, *d); return;
    case ApiFunction::Send: send_call(t, c, *d, false); return;
    case ApiFunction::WSASend: send_call(t, c, *d, true); return;
    case ApiFunction::Recv: recv_call(t, c, *d, false); return;
    case ApiFunction::WSARecv: recv_call(t, c, *d, true); return;
    case ApiFunction::SetLinger:
      // Linger applies to connection-oriented sockets; the windows profile also refuses it on
      // UDP, as Windows is seen to (observed, not documented).
      if (s.udp && windows()) {
        finish(t, error_result(WSAENOPROTOOPT));
        return;
      }
      s.linger_on = c.count != 0;
      s.linger_seconds = static_cast<int>(c.count2);
      finish(t, value_result(0));
      return;
    case ApiFunction::SetDontLinger:
      if (s.udp && windows()) {
        finish(t, error_result(WSAENOPROTOOPT));
        return;
      }
      s.linger_on = c.count == 0;  // SO_DONTLINGER 0 turns linger on with the last seconds
      finish(t, value_result(0));
      return;
    case ApiFunction::SetNonBlocking:
      if (c.count == 0 && s.select_event != 0) {  // WSAEventSelect keeps it non-blocking
        finish(t, error_result(WSAEINVAL));
        return;
      }
      s.nonblocking = c.count != 0;
      finish(t, value_result(0));
      return;
    case ApiFunction::Shutdown: shutdown_call(t, c, *d); return;
    case ApiFunction::DuplicateSocket: {
      process(c.target_process);
      ObjectId id = next_object++;
      infos[id] = ProtocolInfo{s.id, c.target_process};
      ApiResult res = ok_result();
      res.object = id;
      finish(t, res);
      return;
    }
    case ApiFunction::WSAEventSelect:
      if (events.count(c.object) == 0) {
        finish(t, error_result(WSAEINVAL));
        return;
      }
      s.select_process = th.process;
      s.select_handle = c.handle;
      s.select_event = c.object;
      s.select_mask = c.count;
      s.nonblocking = true;  // WSAEventSelect puts the socket in non-blocking mode
      finish(t, value_result(0));
      return;
    default:
      CLOSESIM_CHECK(false && "unrouted call");
      finish(t, error_result(WSAEINVAL));
      return;
  }
}

}  // namespace closesim
