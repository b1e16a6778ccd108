// The World's front door: threads, the calls a parked thread returns from, and descriptors as
// the provider makes them. Routing is in dll_routing.cc; the data path, completions, close beside.
#include "closesim/world/world.h"

#include "closesim/base/check.h"

#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

World::World(Engine& engine, Trace& trace, const WorldConfig& config, WorldListener& listener)
    : state_(std::make_unique<State>(engine, trace, config, listener)) {}

World::~World() = default;

ThreadId World::thread(const std::string& process, const std::string& name, Lane lane) {
  State& w = *state_;
  std::string label = process + "." + name;
  if (auto it = w.thread_by_label.find(label); it != w.thread_by_label.end()) return it->second;
  w.thread_by_label.emplace(label, static_cast<ThreadId>(w.threads.size()));
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
                              call_name(t.current), t.line, t.waiting_for));
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
  if (!d || !d->app_level || d->handle_closed || d->raw_copy) return nullptr;
  return d;
}

ApiResult World::State::value_result(std::int64_t v) {
  ApiResult r;
  r.value = v;
  r.text = std::to_string(v);
  return r;
}

ApiResult World::State::ok_result() {
  ApiResult r;
  r.text = "ok";
  return r;
}

ApiResult World::State::error_result(int error, bool invalid_socket) const {
  ApiResult r;
  r.value = -1;
  r.error = error;
  r.text = fmt::format("{} {}", invalid_socket ? "INVALID_SOCKET" : "SOCKET_ERROR", error_name(error));
  return r;
}

void World::State::finish(ThreadId t, const ApiResult& res) {
  Thread& th = threads.at(t);
  TraceRecord r = record(RecordKind::CallEnd, th.label);
  r.process = th.process;
  r.call = th.current;
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
  r.call = th.current;
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
  r.call = th.current;
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
  const Provider& pv = *provider;
  if (pv.layered()) {
    lower = proc.table.allocate(s, 0, pv.base_handle_kind(), false);
    created(lower, 0, pv.base_handle_kind());
  }
  int layer = pv.layered() ? 1 : 0;
  HandleKind kind = pv.top_handle_kind();
  Handle h = proc.table.allocate(s, layer, kind, true);
  proc.table.find(h)->lower = lower;
  created(h, layer, kind);
  Socket& sock = socket(s);
  sock.refs += 1;
  sock.handles_in[p] += 1;
  record_refcount(p, h, sock, sock.refs > 1 ? RuleId::R6 : RuleId::None, line);
  return h;
}

bool World::State::drop_reference(Socket& s, const std::string& p) {
  s.refs -= 1;
  CLOSESIM_CHECK(s.refs >= 0);
  auto it = s.handles_in.find(p);
  CLOSESIM_CHECK(it != s.handles_in.end() && it->second > 0);
  if (--it->second > 0) return false;
  s.handles_in.erase(it);
  return true;
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

}  // namespace closesim
