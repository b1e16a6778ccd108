// Overlapped operations: issued with an event, a completion routine (APC) or for a completion
// port, and seen complete by polling their OVERLAPPED, so that a completion the scenario never
// waits for is still recorded (R3, R4).
#include <winternl.h>

#include "call_outcome.h"

namespace realstack {

namespace {

void record_op_completed(CallContext& cx, Operation& op) {
  bool expected = false;
  if (!op.done.compare_exchange_strong(expected, true)) return;
  Record r;
  r.kind = "OpCompleted";
  r.actor = op.thread;
  r.process = op.process;
  r.handle = op.handle;
  r.handle_name = op.socket_name;
  r.socket = op.socket;
  r.call = op.call;
  r.op = op.name;
  r.value = static_cast<int>(op.via);
  const auto status = static_cast<NTSTATUS>(op.ov.Internal);
  r.error = status == 0 ? 0 : static_cast<int>(RtlNtStatusToDosError(status));
  r.bytes = static_cast<std::int64_t>(op.ov.InternalHigh);
  r.value2 = static_cast<std::uint32_t>(status);  // the NTSTATUS itself, for fidelity notes
  r.line = op.line;
  cx.log.write(r);
}

CallContext* g_apc_context = nullptr;  // set once before any thread starts; APCs need it

void CALLBACK completion_routine(DWORD, DWORD, LPWSAOVERLAPPED ov, DWORD) {
  auto* op = reinterpret_cast<Operation*>(ov);
  record_op_completed(*g_apc_context, *op);
  // The routine runs, so it was queued: seen only now, by the thread that runs it.
  Record queued;
  queued.kind = "ApcQueued";
  queued.actor = t_actor;
  queued.process = t_process;
  queued.op = op->name;
  queued.line = op->line;
  g_apc_context->log.write(queued);
  Record r;
  r.kind = "ApcRan";
  r.actor = t_actor;
  r.process = t_process;
  r.op = op->name;
  r.call = op->call;
  r.socket = op->socket;
  r.handle_name = op->socket_name;
  r.line = op->line;
  g_apc_context->log.write(r);
}

}  // namespace

void poll_completions(CallContext& cx) {
  g_apc_context = &cx;
  std::lock_guard<std::mutex> lock(cx.realm.mu);
  for (auto& [name, op] : cx.realm.ops)
    if (!op->done && op->ov.Internal != static_cast<ULONG_PTR>(STATUS_PENDING)) record_op_completed(cx, *op);
}

Outcome play_dequeue(const PlanStep& st, CallContext& cx) {
  Realm& realm = cx.realm;
  auto name_arg = [&](std::size_t i) -> std::string { return i < st.args.size() ? st.args[i].text : std::string(); };
  HANDLE port;
  {
    std::lock_guard<std::mutex> lock(realm.mu);
    port = realm.ports.count(name_arg(0)) ? realm.ports[name_arg(0)] : nullptr;
  }
  DWORD bytes = 0;
  ULONG_PTR key = 0;
  OVERLAPPED* ov = nullptr;
  BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, timeout_ms(st, 1, cx.clock));
  int e = ok ? 0 : static_cast<int>(GetLastError());
  Outcome o;
  if (!ov) {
    o.value = e == WAIT_TIMEOUT ? WAIT_TIMEOUT : -1;
    o.text = e == WAIT_TIMEOUT ? "WAIT_TIMEOUT" : "FALSE " + error_name(e);
    return o;
  }
  auto* op = reinterpret_cast<Operation*>(ov);
  record_op_completed(cx, *op);
  // A dequeued packet was posted: the application cannot see when, only that it was, by now.
  Record posted;
  posted.kind = "PortPacketPosted";
  posted.actor = "provider";
  posted.process = t_process;
  posted.op = op->name;
  posted.text = name_arg(0);
  posted.line = op->line;
  cx.log.write(posted);
  Record d;
  d.kind = "PortPacketDequeued";
  d.actor = t_actor;
  d.process = t_process;
  d.op = op->name;
  d.text = name_arg(0);
  d.line = st.line;
  cx.log.write(d);
  o.op = op->name;
  o.error = e;
  o.bytes = bytes;
  o.value = bytes;
  o.text = op->name + " " + (e ? error_name(e) : "0") + " " + std::to_string(bytes) + " bytes";
  return o;
}

Outcome play_overlapped(const PlanStep& st, CallContext& cx, RealSocket& sock) {
  Realm& realm = cx.realm;
  const std::string& f = st.call;
  RealSocket* s = &sock;
  const SOCKET h = s->sock;
  // Where the operation's name and completion action are: AcceptEx has the accept socket and
  // the byte count before them, WSAIoctl its control code.
  const bool accept_ex = f == "AcceptEx";
  const std::size_t op_at = accept_ex ? 3 : 2;
  const std::int64_t size = accept_ex ? st.args[2].value : f == "WSAIoctl" ? 0 : st.args[1].value;
  auto op = std::make_unique<Operation>();
  op->name = name_arg(st, op_at);
  op->call = f;
  op->thread = t_actor;
  op->process = t_process;
  op->socket_name = s->name;
  op->handle = h;
  op->socket = s->id;
  op->line = st.line;
  // AcceptEx writes the two addresses after the data it waits for.
  const std::size_t addresses = accept_ex ? 2 * (sizeof(sockaddr_in) + 16) : 0;
  op->data.assign(static_cast<std::size_t>(size) + addresses, 'a');
  op->buf.len = static_cast<ULONG>(size);
  op->buf.buf = op->data.data();
  LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = nullptr;
  std::string target;
  if (st.args.size() > op_at + 1) {
    const PlanArg& n = st.args[op_at + 1];
    if (n.kind == 'k' && n.key == "event") {
      op->ov.hEvent = event_named(realm, n.text);
      op->via = Via::Event;
    } else if (n.kind == 'k' && n.key == "port") {
      op->via = Via::Port;
    } else if (n.text == "apc") {
      routine = completion_routine;
      op->via = Via::Apc;
    }
    target = n.kind == 'k' ? n.text : t_actor;
  } else if (!s->port.empty()) {
    op->via = Via::Port;  // no action named: the packet goes to the socket's port
    target = s->port;
  }
  // Pending until ws2_32 says otherwise: the poller must not take a fresh, zeroed OVERLAPPED
  // for a finished one before the call has even been made.
  op->ov.Internal = static_cast<ULONG_PTR>(STATUS_PENDING);
  Operation* raw = op.get();
  {
    std::lock_guard<std::mutex> lock(realm.mu);
    realm.ops[op->name] = std::move(op);
  }
  DWORD count = 0, flags = 0;
  int r;
  if (f == "WSASend") {
    r = WSASend(h, &raw->buf, 1, &count, 0, &raw->ov, routine);
  } else if (f == "WSARecv") {
    r = WSARecv(h, &raw->buf, 1, &count, &flags, &raw->ov, routine);
  } else if (f == "WSARecvFrom") {
    raw->from_len = sizeof raw->from;
    r = WSARecvFrom(h, &raw->buf, 1, &count, &flags, reinterpret_cast<sockaddr*>(&raw->from),
                    &raw->from_len, &raw->ov, routine);
  } else if (f == "WSAIoctl") {
    r = WSAIoctl(h, SIO_ADDRESS_LIST_CHANGE, nullptr, 0, nullptr, 0, &count, &raw->ov, routine);
  } else {
    r = play_accept_ex(st, cx, *s, *raw, count);
  }
  int e = r == SOCKET_ERROR ? WSAGetLastError() : 0;
  if (r == 0 || e == WSA_IO_PENDING) {
    Record issued;
    issued.kind = "OpIssued";
    issued.actor = t_actor;
    issued.process = t_process;
    issued.handle = h;
    issued.socket = s->id;
    issued.handle_name = s->name;
    issued.call = f;
    issued.op = raw->name;
    issued.value = static_cast<int>(raw->via);
    issued.text = target;
    issued.line = st.line;
    cx.log.write(issued);
  } else {
    raw->done = true;  // failed at once: nothing will complete
  }
  if (e == WSA_IO_PENDING) {
    Outcome o;
    o.value = -1;
    o.error = WSA_IO_PENDING;
    o.text = "WSA_IO_PENDING";
    return o;
  }
  return r == 0 ? value(0) : socket_error(e);
}

void record_if_completed(CallContext& cx, Operation& op) {
  if (!op.done && op.ov.Internal != static_cast<ULONG_PTR>(STATUS_PENDING)) record_op_completed(cx, op);
}

}  // namespace realstack
