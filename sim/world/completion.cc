// Pending operations and the three ways an overlapped one reports that it finished (R3): an
// event, a completion routine queued to the issuing thread, a packet on a completion port; and
// the waits that observe them.
#include <algorithm>
#include "closesim/base/check.h"

#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

namespace {

constexpr std::int64_t kWaitObject0 = 0;
constexpr std::int64_t kWaitIoCompletion = 0xC0;
constexpr std::int64_t kWaitTimeout = 0x102;

ApiResult wait_result(std::int64_t code, const char* name) {
  ApiResult r;
  r.value = code;
  r.wait = name;
  r.text = name;
  return r;
}

ApiResult packet_result(const Packet& p) {
  ApiResult r;
  r.value = 1;
  r.packet_op = p.op;
  r.packet_status = p.status;
  r.packet_bytes = p.bytes;
  r.text = fmt::format("{} {} {} bytes", p.op, p.status ? error_name(p.status) : "0", p.bytes);
  return r;
}

}  // namespace

OpId World::State::new_op(ThreadId t, CallId f, const ApiCall& c, const Descriptor& d,
                          bool blocking) {
  Thread& th = threads.at(t);
  Socket& s = socket(d.socket);
  PendingOp op;
  op.id = next_op++;
  op.label = blocking ? std::string(call_name(f)) : c.op;
  op.function = f;
  op.blocking = blocking;
  op.thread = t;
  op.process = th.process;
  op.handle = d.handle;
  op.socket = d.socket;
  op.wanted = c.count;
  op.via = c.via;
  op.target = c.object;
  op.target_name = c.object_name;
  if (!blocking && op.via == CompletionVia::None && s.port != 0) {
    // A socket associated with a completion port reports there unless told otherwise.
    op.via = CompletionVia::Port;
    op.target = s.port;
    op.target_name = ports.at(s.port).name;
  }
  if (op.via == CompletionVia::Apc) op.target_name = th.label;
  if (!blocking) {
    TraceRecord r = record(RecordKind::OpIssued, th.label);
    r.process = th.process;
    r.op = op.label;
    r.call = f;
    r.handle = d.handle;
    r.socket = d.socket;
    r.value = static_cast<std::int64_t>(op.via);
    r.bytes = op.wanted;
    r.value2 = c.handle2;  // AcceptEx: the accept socket's descriptor
    r.text = op.target_name;
    r.line = c.line;
    emit(std::move(r));
  }
  OpId id = op.id;
  ops.emplace(id, std::move(op));
  if (s.ops.size() == s.ops.capacity()) prune_ops(s);  // amortised: before the vector grows
  s.ops.push_back(id);
  return id;
}

void World::State::prune_ops(Socket& s) {
  std::erase_if(s.ops, [this](OpId id) { return ops.at(id).completed; });
}

void World::State::complete_op(PendingOp& op, int status, RuleId rule, bool silent, bool again) {
  CLOSESIM_CHECK(!op.blocking);
  CLOSESIM_CHECK(!op.completed || again);
  op.completed = true;  // left in its sockets' ops (an AcceptEx: two) until their next prune
  op.status = status;
  const Thread& th = threads.at(op.thread);
  CompletionVia via = silent ? CompletionVia::None : op.via;
  {
    TraceRecord r = record(RecordKind::OpCompleted, th.label);
    r.process = op.process;
    r.op = op.label;
    r.call = op.function;
    r.handle = op.handle;
    r.socket = op.socket;
    r.error = status;
    r.bytes = status == WSA_OPERATION_ABORTED || status == ERROR_CONNECTION_ABORTED ? 0 : op.done;
    r.value = static_cast<std::int64_t>(via);
    r.rule = rule;
    r.layer = provider->layered() ? 1 : 0;  // a layered provider relays its base provider's completion
    emit(std::move(r));
  }
  const std::int64_t bytes =
      status == WSA_OPERATION_ABORTED || status == ERROR_CONNECTION_ABORTED ? 0 : op.done;
  switch (via) {
    case CompletionVia::None: break;
    case CompletionVia::Event: signal_event(op.target, op.label); break;
    case CompletionVia::Apc: {
      Thread& target = threads.at(op.thread);
      target.apcs.push_back(op.label);
      TraceRecord r = record(RecordKind::ApcQueued, target.label);
      r.process = target.process;
      r.op = op.label;
      r.rule = rule;
      emit(std::move(r));
      if (target.park == ParkReason::Sleep && target.alertable && !target.returning)
        deliver_apcs(op.thread);
      break;
    }
    case CompletionVia::Port: post_packet(op.target, Packet{op.label, status, bytes}); break;
  }
  serve_result_waits(op);  // GetOverlappedResult(wait=1) on it returns now
}

void World::State::signal_event(ObjectId e, const std::string& op) {
  auto it = events.find(e);
  if (it == events.end()) return;
  it->second.signaled = true;  // WSACreateEvent makes manual-reset events: it stays signalled
  TraceRecord r = record(RecordKind::EventSignaled, "provider");
  r.op = op;
  r.text = it->second.name;
  emit(std::move(r));
  for (ThreadId t = 0; t < threads.size(); ++t) {
    Thread& th = threads[t];
    if (th.park == ParkReason::Event && th.waiting_on == e && !th.returning)
      wake(t, RuleId::None, wait_result(kWaitObject0, "WAIT_OBJECT_0"));
  }
}

void World::State::post_packet(ObjectId port, const Packet& p) {
  auto it = ports.find(port);
  if (it == ports.end()) return;
  TraceRecord r = record(RecordKind::PortPacketPosted, "provider");
  r.op = p.op;
  r.error = p.status;
  r.bytes = p.bytes;
  r.text = it->second.name;
  emit(std::move(r));
  for (ThreadId t = 0; t < threads.size(); ++t) {
    Thread& th = threads[t];
    if (th.park == ParkReason::Port && th.waiting_on == port && !th.returning) {
      record_dequeue(th, p, it->second);
      wake(t, RuleId::None, packet_result(p));
      return;
    }
  }
  it->second.packets.push_back(p);
}

void World::State::record_dequeue(const Thread& th, const Packet& p, const Port& port) {
  TraceRecord d = record(RecordKind::PortPacketDequeued, th.label);
  d.process = th.process;
  d.op = p.op;
  d.text = port.name;
  emit(std::move(d));
}

void World::State::arm_timeout(ThreadId t, Time timeout) {
  Thread& th = threads.at(t);
  if (timeout < 0) return;  // INFINITE
  th.timer = engine.at(engine.now() + timeout, th.lane, [this, t] {
    Thread& w = threads.at(t);
    w.timer = EventId{};
    if (w.park == ParkReason::None || w.returning) return;
    if (w.park == ParkReason::Sleep) {
      ApiResult r;
      r.value = 0;
      r.text = "0";
      wake(t, RuleId::None, r);
    } else {
      wake(t, RuleId::None, wait_result(kWaitTimeout, "WAIT_TIMEOUT"));
    }
  });
}

void World::State::wait_call(ThreadId t, const ApiCall& c) {
  auto it = events.find(c.object);
  if (it == events.end()) {
    ApiResult r;
    r.value = -1;  // WAIT_FAILED
    r.error = 6;   // ERROR_INVALID_HANDLE
    r.text = "WAIT_FAILED";
    finish(t, r);
    return;
  }
  if (it->second.signaled) {
    finish(t, wait_result(kWaitObject0, "WAIT_OBJECT_0"));
    return;
  }
  wait_on(t, c, ParkReason::Event, fmt::format("event {}", it->second.name));
}

void World::State::port_wait_call(ThreadId t, const ApiCall& c) {
  auto it = ports.find(c.object);
  if (it == ports.end()) {
    ApiResult r;
    r.value = 0;
    r.error = 6;  // ERROR_INVALID_HANDLE
    r.text = "FALSE ERROR_INVALID_HANDLE";
    finish(t, r);
    return;
  }
  if (!it->second.packets.empty()) {
    Packet p = it->second.packets.front();
    it->second.packets.pop_front();
    record_dequeue(threads.at(t), p, it->second);
    finish(t, packet_result(p));
    return;
  }
  wait_on(t, c, ParkReason::Port, fmt::format("a packet on {}", it->second.name));
}

void World::State::wait_on(ThreadId t, const ApiCall& c, ParkReason why,
                           const std::string& waiting_for) {
  // A zero timeout polls: nothing is due, so the call returns at once.
  if (c.timeout == 0) {
    finish(t, wait_result(kWaitTimeout, "WAIT_TIMEOUT"));
    return;
  }
  threads.at(t).waiting_on = c.object;
  park(t, why, waiting_for);
  arm_timeout(t, c.timeout);
}

void World::State::sleep_call(ThreadId t, const ApiCall& c) {
  Thread& th = threads.at(t);
  th.alertable = c.count != 0;
  if (th.alertable && !th.apcs.empty()) {
    run_apcs(t);
    finish(t, wait_result(kWaitIoCompletion, "WAIT_IO_COMPLETION"));
    return;
  }
  if (c.timeout == 0) {
    ApiResult r;
    r.text = "0";
    finish(t, r);
    return;
  }
  park(t, ParkReason::Sleep, th.alertable ? "an APC or the timeout (alertable)" : "the timeout");
  arm_timeout(t, c.timeout);
}

void World::State::run_apcs(ThreadId t) {
  Thread& th = threads.at(t);
  while (!th.apcs.empty()) {
    std::string op = th.apcs.front();
    th.apcs.pop_front();
    TraceRecord r = record(RecordKind::ApcRan, th.label);
    r.process = th.process;
    r.op = op;
    emit(std::move(r));
  }
}

void World::State::deliver_apcs(ThreadId t) {
  run_apcs(t);
  wake(t, RuleId::None, wait_result(kWaitIoCompletion, "WAIT_IO_COMPLETION"));
}

}  // namespace closesim
