// CloseHandle on a socket: the kernel's close, which the Winsock DLL and the provider never see.
// For an IFS socket the application's descriptor is the provider's file handle, so closing it
// is what the provider's own close would end with: the last handle of the socket aborts what is
// pending (C15: the same 1236 packet as closesocket, C14) and disconnects. What closesocket does
// in user mode does not happen: the DLL keeps its entry for the value, the selection is not
// dropped first, so FD_CLOSE with error 0 is posted (C15, C47). Later Winsock calls on the value
// find the entry but no socket behind it and fail with WSAENOTSOCK; the value is not handed out
// again (C54; docs/model.md says which parts are observed and which are a reading).
//
// For a non-IFS socket (or under a layered provider) the descriptor is a WPU handle the DLL made
// for the provider; closing it tells the provider nothing, so its socket, pending I/O and the
// hand-back it owes (R11) stay until closesocket, which works as before.
#include <algorithm>

#include <fmt/format.h>

#include "closesim/base/check.h"
#include "world/world_state.h"

namespace closesim {

namespace {

ApiResult handle_result(bool ok) {
  ApiResult r;
  r.value = ok ? 1 : 0;
  r.error = ok ? 0 : ERROR_INVALID_HANDLE;
  r.text = ok ? "1" : fmt::format("FALSE {}", error_name(ERROR_INVALID_HANDLE));
  return r;
}

}  // namespace

void World::State::close_handle_call(ThreadId t, const ApiCall& c) {
  Thread& th = threads.at(t);
  const std::string p = th.process;
  Descriptor* d = process(p).table.find(c.handle);
  if (!d || !d->app_level || d->handle_closed || d->wpu_closed || d->closing) {
    finish(t, handle_result(false));  // not an open handle of this process
    return;
  }
  if (provider->top_handle_kind() != HandleKind::File) {
    d->wpu_closed = true;
    TraceRecord r = record(RecordKind::Note, "kernel");
    r.process = p;
    r.handle = d->handle;
    r.socket = d->socket;
    r.line = c.line;
    r.text = "the WPU handle is closed; the provider is not told and its socket stays open";
    emit(std::move(r));
    finish(t, handle_result(true));
    return;
  }
  const Handle h = d->handle;
  d->handle_closed = true;
  Socket& s = socket(d->socket);
  if (s.select_process == p && s.select_handle == h && s.selected()) {
    // C15, C47: no closesocket dropped the selection, so the kernel's close reports FD_CLOSE.
    if ((s.select_mask & kFdClose) != 0 && provider->posts_fd_close_for_handle_close()) {
      TraceRecord r = record(RecordKind::NetworkEvent, "provider");
      r.process = p;
      r.handle = h;
      r.socket = s.id;
      r.text = "FD_CLOSE";
      r.value = kFdClose;
      emit(std::move(r));
      notify_selection(s, kFdClose, 0);
    }
    s.unselect();
  }
  // The kernel tears the socket down when its last handle goes (C39: a second handle in the same
  // process keeps everything pending).
  const bool last = provider->is_last_reference(s);
  const bool recv_pending = std::any_of(s.ops.begin(), s.ops.end(), [&](OpId id) {
    const PendingOp& op = ops.at(id);
    return !op.completed && is_receive_call(op.function);
  });
  if (last && provider->handle_close_aborts()) abort_pending(p, h, s.id, false, true);
  const bool let_go = drop_reference(s, p);
  record_refcount(p, h, s, RuleId::R6, c.line);
  if (!last && let_go && s.refs > 0) cancel_on_process_let_go(s, p);  // C39
  if (last) {
    s.recv_ever_pending_at_close = recv_pending;
    bool park = false;
    disconnect_on_last_close(s, t, c.line, park);
    if (park) {  // nothing waits in CloseHandle: a linger {1,t} close drains in the background
      s.linger_waiting = false;
      if (s.linger_timer.valid()) engine.cancel(s.linger_timer);
    }
  }
  finish(t, handle_result(true));
}

void World::State::cancel_on_process_let_go(Socket& s, const std::string& p) {
  // C39 (a reading of an AFD-level test): an IRP with an APC context and no event — the nearest
  // Winsock operation is a port-bound one without an event — is cancelled with STATUS_CANCELLED
  // when its process lets go of a socket another process keeps; every other kind stays pending.
  for (OpId id : std::vector<OpId>(s.ops)) {
    PendingOp& op = ops.at(id);
    if (op.completed || op.blocking || op.process != p || op.via != CompletionVia::Port) continue;
    complete_op(op, WSA_OPERATION_ABORTED, RuleId::R3);
  }
  prune_ops(s);
}

void World::State::duplicate_handle_call(ThreadId t, const ApiCall& c) {
  Thread& th = threads.at(t);
  const std::string target = c.target_process.empty() ? th.process : c.target_process;
  Descriptor* d = process(th.process).table.find(c.handle);
  if (!d || !d->app_level || d->handle_closed || d->wpu_closed) {
    finish(t, handle_result(false));
    return;
  }
  if (provider->top_handle_kind() != HandleKind::File) {
    // A WPU handle's copy would name nothing the provider knows: not modelled.
    ApiResult r;
    r.error = ERROR_NOT_SUPPORTED;
    r.text = fmt::format("FALSE {}", error_name(ERROR_NOT_SUPPORTED));
    finish(t, r);
    return;
  }
  const SocketId sid = d->socket;
  ApiResult res = ok_result();
  res.handle = create_descriptor(target, sid, c.line);
  res.socket = sid;
  process(target).table.find(res.handle)->raw_copy = true;
  finish(t, res);
}

}  // namespace closesim
