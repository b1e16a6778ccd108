// Closing: what a provider's WSPCloseSocket does (R1–R12), shutdown (R13) and WSACleanup
// (R14). The order inside a close is the contract of docs/trace.md: abort what is pending on the
// descriptor, drop the reference, disconnect on the last one as linger says, and only then hand
// the handle back — so that no completion can reach a reused handle value (R5, R11). What each
// step does is the provider's answer (world/provider.h); this file only fixes their order.
#include <algorithm>
#include "closesim/base/check.h"

#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

namespace {

bool drained(const Socket& s) {
  return s.queued == 0 && !s.transmitting && s.acked_total == s.sent_total;
}

}  // namespace

void World::State::release_descriptor(const std::string& p, Handle h, int layer, HandleKind kind,
                                       RuleId rule, int line) {
  Process& proc = process(p);
  Descriptor* d = proc.table.find(h);
  CLOSESIM_CHECK(d);
  SocketId s = d->socket;
  auto hand_back = [&] {
    TraceRecord r = record(RecordKind::HandleReleased, "provider");
    r.process = p;
    r.handle = h;
    r.socket = s;
    r.layer = layer;
    r.value = static_cast<std::int64_t>(kind);
    r.rule = rule;
    r.line = line;
    emit(std::move(r));
  };
  const int times = provider->hand_backs(kind);
  if (times == 0) {
    // The handle never goes back; the DLL keeps the value allocated for ever.
    d->app_level = false;
    return;
  }
  for (int i = 0; i < times; ++i) hand_back();
  if (d->app_level) proc.previous[h] = s;
  proc.table.release(h);
}

void World::State::release_layers(const std::string& p, Handle h, Handle lower, RuleId rule,
                                  int line) {
  const Descriptor* d = process(p).table.find(h);
  const int top = d ? d->layer : (provider->layered() ? 1 : 0);
  if (lower) release_descriptor(p, lower, 0, provider->base_handle_kind(), rule, line);
  if (h) release_descriptor(p, h, top, provider->top_handle_kind(), rule, line);
}

void World::State::abort_pending(const std::string& p, Handle h, SocketId sid, bool cleanup,
                                 bool last) {
  Socket& s = socket(sid);
  for (OpId id : std::vector<OpId>(s.ops)) {
    PendingOp& op = ops.at(id);
    if (op.completed || (op.acceptor == h && !provider->acceptor_close_aborts_accept())) continue;
    const bool mine = op.process == p && (op.handle == h || op.acceptor == h);  // AcceptEx: both
    if (!provider->aborts(op, mine, last, cleanup)) continue;
    if (op.blocking) {
      if (!provider->wakes_blocked_call(cleanup)) continue;
      op.completed = true;
      const int error = provider->wake_error();  // R2
      wake_record(op.thread, cleanup ? RuleId::R14 : RuleId::R2, error);
      schedule_return(op.thread, error_result(error, op.function == CallId::Accept));
      continue;
    }
    if (!provider->aborts_overlapped(cleanup)) continue;
    const int status = provider->abort_status(op, s);  // R3
    // R14: cleanup aborts without the completion action.
    const bool silent = !provider->fires_completion_on_abort(cleanup);
    complete_op(op, status, cleanup ? RuleId::R14 : RuleId::R3, silent);
    for (int again = 1; again < provider->completions_per_abort(); ++again)
      complete_op(op, status, RuleId::R3, silent, true);
  }
  end_readiness_waits_on_close(p, h, cleanup);  // select, WSAPoll on it (R2; C28, C32)
  prune_ops(s);
}

void World::State::close_call(ThreadId t, const ApiCall& c) {
  Thread& th = threads.at(t);
  const std::string p = th.process;
  Descriptor* d = live(p, c.handle);
  if (!d || d->closing) {
    finish(t, error_result(WSAENOTSOCK));  // R1: the DLL answers; the provider is not called
    return;
  }
  const Handle h = d->handle;
  const Handle lower = d->lower;
  const int top = d->layer;
  Socket& s = socket(d->socket);
  const bool last = provider->is_last_reference(s);
  auto close_record = [&](RecordKind kind, Handle handle, int layer, int error) {
    TraceRecord r = record(kind, "provider");
    r.process = p;
    r.handle = handle;
    r.socket = s.id;
    r.layer = layer;
    r.error = error;
    r.line = c.line;
    emit(std::move(r));
  };
  close_record(RecordKind::ProviderCloseBegin, h, top, 0);
  if (lower) close_record(RecordKind::ProviderCloseBegin, lower, 0, 0);

  // R10: a non-blocking socket with linger {1,t} whose data has not drained cannot close now.
  // Only the last reference honours linger; closing a duplicate never blocks.
  const bool connected_tcp = !s.udp && s.state == Socket::State::Connected && s.has_peer &&
                             !s.rst_sent && !s.rst_received;
  const bool must_wait = s.refs == 1 && connected_tcp && s.linger_on && s.linger_seconds > 0 &&
                         !drained(s);
  if (must_wait && s.nonblocking && provider->fails_nonblocking_linger_close()) {
    if (lower) close_record(RecordKind::ProviderCloseEnd, lower, 0, WSAEWOULDBLOCK);
    if (provider->releases_on_would_block()) release_layers(p, h, lower, RuleId::R10, c.line);
    close_record(RecordKind::ProviderCloseEnd, h, top, WSAEWOULDBLOCK);
    finish(t, error_result(WSAEWOULDBLOCK));
    return;
  }

  d->closing = true;
  if (s.select_process == p && s.select_handle == h) {
    // R12: the close cancels the descriptor's event selection; nothing more is posted for it.
    if (provider->posts_fd_close_for_own_close()) {
      TraceRecord r = record(RecordKind::NetworkEvent, "provider");
      r.process = p;
      r.handle = h;
      r.socket = s.id;
      r.text = "FD_CLOSE";
      emit(std::move(r));
      notify_selection(s, kFdClose, 0);
    }
    s.unselect();  // C14: no WM_SOCKET message either
  }
  const bool recv_pending =
      std::any_of(s.ops.begin(), s.ops.end(), [&](OpId id) {
        const PendingOp& op = ops.at(id);
        return !op.completed && is_receive_call(op.function);
      });
  bool released_early = false;
  if (provider->hands_back_before_aborts()) {
    release_layers(p, h, lower, RuleId::R11, c.line);
    released_early = true;
  }
  abort_pending(p, h, s.id, false, s.refs == 1);  // R2, R3

  const bool let_go = drop_reference(s, p);  // R6
  record_refcount(p, h, s, RuleId::R6, c.line);
  if (!last && let_go && s.refs > 0) cancel_on_process_let_go(s, p);  // C39
  bool park_for_linger = false;
  if (last) {
    s.recv_ever_pending_at_close = recv_pending;
    disconnect_on_last_close(s, t, c.line, park_for_linger);
  }
  CloseInProgress cp{t, p, released_early ? 0 : h, released_early ? 0 : lower, s.id, last};
  closes[t] = cp;
  if (park_for_linger) {
    park(t, ParkReason::Linger,
         fmt::format("linger {{1,{}}}: the queue to drain", s.linger_seconds));
    return;
  }
  // Returns at once: hand the handles back (lower first), then return 0.
  CloseInProgress done = closes.at(t);
  closes.erase(t);
  release_layers(p, 0, done.lower, RuleId::R11, c.line);
  if (done.lower) close_record(RecordKind::ProviderCloseEnd, lower, 0, 0);
  release_layers(p, done.handle, 0, RuleId::R11, c.line);
  close_record(RecordKind::ProviderCloseEnd, h, top, 0);
  finish(t, value_result(0));
}

void World::State::disconnect_on_last_close(Socket& s, ThreadId closer, int line, bool& park) {
  s.closed = true;
  if (s.state == Socket::State::Listening) {
    // Connections nobody accepted are reset.
    for (SocketId conn : s.backlog) {
      Socket& c = socket(conn);
      c.closed = true;
      reset_connection(c, RuleId::R8, line);
      maybe_discard(c, RuleId::R8);
    }
    s.backlog.clear();
  }
  if (s.udp || !s.has_peer || s.state != Socket::State::Connected || s.rst_sent ||
      s.rst_received) {
    maybe_discard(s, RuleId::R6);
    return;
  }
  // A connection closed with a receive pending or unread data may be reset whatever the linger
  // setting (the provider's answer; C18, C51).
  if (provider->resets_on_close(s)) {
    reset_connection(s, RuleId::R7, line);
    maybe_discard(s, RuleId::R7);
    return;
  }
  if (s.linger_on && s.linger_seconds == 0) {
    if (provider->hard_close(s) == HardClose::Reset) {
      reset_connection(s, RuleId::R8, line);  // R8: hard close
      maybe_discard(s, RuleId::R8);
      return;
    }
    s.fin_wanted = true;
    kick(s);
    maybe_discard(s, RuleId::R8);
    return;
  }
  if (s.linger_on && s.linger_seconds > 0) {
    s.fin_wanted = true;
    kick(s);
    if (drained(s) && (s.fin_sent || !s.has_peer)) {
      maybe_discard(s, s.nonblocking ? RuleId::R10 : RuleId::R9);
      return;
    }
    // R9: the close waits for the drain, at most linger seconds.
    s.linger_thread = closer;
    s.linger_waiting = true;
    const Time deadline = engine.now() + static_cast<Time>(s.linger_seconds) * kSecond;
    TraceRecord r = record(RecordKind::LingerTimerStarted, "provider");
    r.socket = s.id;
    r.value = deadline;
    r.rule = RuleId::R9;
    r.line = line;
    emit(std::move(r));
    if (provider->times_out_linger()) {
      SocketId id = s.id;
      s.linger_timer = engine.at(deadline, threads.at(closer).lane, [this, id, line] {
        Socket& so = socket(id);
        if (!so.linger_waiting) return;
        so.linger_waiting = false;
        TraceRecord e = record(RecordKind::LingerTimerExpired, "provider");
        e.socket = id;
        e.rule = RuleId::R9;
        emit(std::move(e));
        reset_connection(so, RuleId::R9, line);
        finish_close(so.linger_thread, RuleId::R9);
      });
    }
    park = true;
    return;
  }
  // R7: SO_DONTLINGER — return now, send what is queued in the background, then FIN.
  if (provider->discards_queue_on_graceful_close() && s.queued > 0) {
    TraceRecord r = record(RecordKind::DataDiscarded, "provider");
    r.socket = s.id;
    r.bytes = s.queued;
    r.text = "send";
    emit(std::move(r));
    s.queued = 0;
  }
  s.fin_wanted = true;
  kick(s);
  maybe_discard(s, RuleId::R7);
}

void World::State::linger_check(SocketId id) {
  Socket& s = socket(id);
  if (!s.linger_waiting) return;
  const bool gone = s.rst_received || s.rst_sent;
  if (!gone && !(drained(s) && s.fin_sent)) return;
  s.linger_waiting = false;
  if (s.linger_timer.valid()) engine.cancel(s.linger_timer);
  finish_close(s.linger_thread, RuleId::R9);
}

void World::State::finish_close(ThreadId t, RuleId rule) {
  auto it = closes.find(t);
  CLOSESIM_CHECK(it != closes.end());
  CloseInProgress cp = it->second;
  closes.erase(it);
  Socket& s = socket(cp.socket);
  wake_record(t, rule, 0);
  maybe_discard(s, rule);
  if (!s.released) {
    // Reset by the timer or the peer: nothing is left to drain.
    if (s.rst_sent || s.rst_received) maybe_discard(s, rule);
  }
  auto end_record = [&](Handle h, int layer) {
    TraceRecord r = record(RecordKind::ProviderCloseEnd, "provider");
    r.process = cp.process;
    r.handle = h;
    r.socket = cp.socket;
    r.layer = layer;
    emit(std::move(r));
  };
  const int top = provider->layered() ? 1 : 0;
  release_layers(cp.process, 0, cp.lower, RuleId::R11, 0);
  if (cp.lower) end_record(cp.lower, 0);
  release_layers(cp.process, cp.handle, 0, RuleId::R11, 0);
  end_record(cp.handle, top);
  schedule_return(t, value_result(0));
}

void World::State::shutdown_call(ThreadId t, const ApiCall& c, Descriptor& d) {
  Socket& s = socket(d.socket);
  if (s.state != Socket::State::Connected && !s.udp) {  // WSAENOTCONN is for TCP only
    finish(t, error_result(WSAENOTCONN));
    return;
  }
  if (provider->shutdown_releases()) {
    drop_reference(s, threads.at(t).process);
    release_layers(threads.at(t).process, d.handle, d.lower, RuleId::R13, c.line);
  }
  const std::int64_t how = c.count;  // 0 SD_RECEIVE, 1 SD_SEND, 2 SD_BOTH
  if (how == 0 && s.rcv_buffered > 0 && provider->resets_on_receive_shutdown(s)) {
    reset_connection(s, RuleId::R13, c.line);  // C51: unread data makes SD_RECEIVE abortive
    s.shut_recv = true;
    finish(t, value_result(0));
    return;
  }
  if (how == 0 || how == 2) s.shut_recv = true;
  if (how == 2) wake_datagram_receivers(s);  // C36
  if (how == 1 || how == 2) {
    // R13: FIN follows the queued data; the descriptor stays valid and still needs a close.
    s.shut_send = true;
    s.fin_wanted = true;
    kick(s);
  }
  finish(t, value_result(0));
}

void World::State::cleanup_call(ThreadId t, const ApiCall& c) {
  Thread& th = threads.at(t);
  const std::string p = th.process;
  Process& proc = process(p);
  if (proc.startup_count <= 0) {
    finish(t, error_result(WSANOTINITIALISED));
    return;
  }
  proc.startup_count -= 1;
  if (proc.startup_count > 0) {  // only the WSACleanup that brings the count to zero works
    finish(t, value_result(0));
    return;
  }
  {
    TraceRecord r = record(RecordKind::CleanupBegin, "dll");
    r.process = p;
    r.rule = RuleId::R14;
    r.line = c.line;
    emit(std::move(r));
  }
  std::vector<Handle> handles;
  for (const auto& [h, d] : proc.table.live())  // not Winsock's: CloseHandle'd, DuplicateHandle'd
    if (d.app_level && !d.closing && !d.handle_closed && !d.raw_copy) handles.push_back(h);
  for (Handle h : handles) {
    Descriptor* d = proc.table.find(h);
    if (!d) continue;
    d->closing = true;
    const Handle lower = d->lower;
    Socket& s = socket(d->socket);
    if (s.select_process == p && s.select_handle == h) s.unselect();
    const bool last = s.refs == 1;
    abort_pending(p, h, s.id, true, last);  // R14: 995, no completion action
    drop_reference(s, p);
    record_refcount(p, h, s, RuleId::R14, c.line);
    if (last) {
      s.closed = true;
      reset_connection(s, RuleId::R14, c.line);  // as R8: RST, no linger
      maybe_discard(s, RuleId::R14);
    }
    release_layers(p, h, lower, RuleId::R14, c.line);
  }
  {
    TraceRecord r = record(RecordKind::CleanupEnd, "dll");
    r.process = p;
    r.rule = RuleId::R14;
    r.line = c.line;
    emit(std::move(r));
  }
  finish(t, value_result(0));
}

}  // namespace closesim
