// The data path of the v1 network model: connect and accept, the send queue draining over the
// link while the peer reads, the receive buffer, and what the peer application does.
// Timing: a burst of bytes leaves at the link rate, each byte reaches the peer one latency after
// it leaves and is acknowledged one latency after that; FIN and RST travel one latency.
#include <algorithm>
#include <cassert>
#include <utility>

#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

namespace {

constexpr std::int64_t kSegment = 1460;  // bytes per segment on the wire

// The rule a closed socket's background drain and FIN follow: R7 with linger off, R8 for {1,0}
// (a graceful one only after shutdown, windows profile), R9 for {1,t} on a blocking socket and
// R10 on a non-blocking one (its close returned once nothing was left to wait for).
RuleId drain_rule(bool linger_on, int linger_seconds, bool nonblocking) {
  if (!linger_on) return RuleId::R7;
  if (linger_seconds == 0) return RuleId::R8;
  return nonblocking ? RuleId::R10 : RuleId::R9;
}

// What an overlapped call that did not finish at once returns.
ApiResult pending_result() {
  ApiResult r;
  r.value = -1;
  r.error = WSA_IO_PENDING;
  r.io_pending = true;
  r.text = "WSA_IO_PENDING";
  return r;
}

// When the first `bytes` of a burst have left, measured from the burst's start: exact to the
// nanosecond and rounded up, so a long burst does not accumulate rounding.
// Saturates at kForever (closesim/base/time.h): a burst too long for 64 bits simply never ends.
Time wire_time(std::int64_t bytes, std::int64_t rate) { return transmission_time(bytes, rate); }

}  // namespace

void World::State::connect_call(ThreadId t, const ApiCall& c, Descriptor& d) {
  Socket& s = socket(d.socket);
  (void)c;
  if (s.state != Socket::State::Fresh) {
    // C49: a connected socket (shut down or not) answers WSAEISCONN.
    finish(t, error_result(s.state == Socket::State::Connected ? WSAEISCONN : WSAEINVAL));
    return;
  }
  // v1: the handshake is not modelled; connect completes at once.
  s.state = Socket::State::Connected;
  s.has_peer = true;
  TraceRecord r = record(RecordKind::ConnectionOpened, "link");
  r.socket = s.id;
  r.process = threads.at(t).process;
  r.handle = d.handle;
  r.text = s.udp ? "udp" : "tcp";
  r.line = c.line;
  emit(std::move(r));
  finish(t, value_result(0));
}

void World::State::accept_call(ThreadId t, const ApiCall& c, Descriptor& d) {
  Socket& s = socket(d.socket);
  if (s.state != Socket::State::Listening) {
    finish(t, error_result(WSAEINVAL, true));
    return;
  }
  if (!s.backlog.empty()) {
    SocketId conn = s.backlog.front();
    s.backlog.pop_front();
    ApiResult res;
    res.text = "ok";
    inherit_listener_options(s, socket(conn));  // C9
    res.handle = create_descriptor(threads.at(t).process, conn, c.line);
    res.socket = conn;
    finish(t, res);
    return;
  }
  if (s.nonblocking) {
    finish(t, error_result(WSAEWOULDBLOCK, true));
    return;
  }
  OpId id = new_op(t, CallId::Accept, c, d, true);
  threads.at(t).op = id;
  park(t, ParkReason::Op, "an incoming connection");
}

void World::State::send_call(ThreadId t, const ApiCall& c, Descriptor& d, bool overlapped_call) {
  Socket& s = socket(d.socket);
  if (s.shut_send) {
    finish(t, error_result(WSAESHUTDOWN));  // R13
    return;
  }
  if (s.rst_received || s.rst_sent) {
    finish(t, error_result(WSAECONNRESET));
    return;
  }
  if (s.state != Socket::State::Connected) {
    finish(t, error_result(WSAENOTCONN));
    return;
  }
  const bool overlapped = overlapped_call && s.overlapped;
  if (s.udp) {
    // A datagram leaves at once; it reaches a reading peer one latency later.
    enqueue(s, c.count, c.line);
    ApiResult res = value_result(overlapped_call ? 0 : c.count);
    if (overlapped) {
      OpId id = new_op(t, CallId::WSASend, c, d, false);
      finish(t, res);
      complete_op(ops.at(id), 0, RuleId::None);
      ops.at(id).done = c.count;
      return;
    }
    finish(t, res);
    return;
  }
  const std::int64_t room = config.link.sndbuf - s.queued;
  if (c.count <= room) {
    enqueue(s, c.count, c.line);
    if (overlapped) {
      OpId id = new_op(t, CallId::WSASend, c, d, false);
      ops.at(id).done = c.count;
      finish(t, value_result(0));
      complete_op(ops.at(id), 0, RuleId::None);
      return;
    }
    finish(t, value_result(overlapped_call ? 0 : c.count));
    return;
  }
  if (s.nonblocking && !overlapped) {
    s.events_disabled &= ~kFdWrite;  // FD_WRITE's re-enabling call: recorded once room frees
    finish(t, error_result(WSAEWOULDBLOCK));
    return;
  }
  // Does not fit: take what fits now, wait for room for the rest.
  OpId id = new_op(t, overlapped ? CallId::WSASend : c.call, c, d, !overlapped);
  PendingOp& op = ops.at(id);
  if (room > 0) {
    enqueue(s, room, c.line);
    op.done = room;
  }
  if (overlapped) {
    finish(t, pending_result());
    return;
  }
  threads.at(t).op = id;
  park(t, ParkReason::Op, "room in the send queue");
}

void World::State::recv_call(ThreadId t, const ApiCall& c, Descriptor& d, bool overlapped_call) {
  Socket& s = socket(d.socket);
  if (s.shut_recv) {
    finish(t, error_result(WSAESHUTDOWN));  // R13
    return;
  }
  if (s.state != Socket::State::Connected && !(s.udp && s.bound)) {  // a bound UDP socket hears all
    finish(t, error_result(WSAENOTCONN));
    return;
  }
  const bool overlapped = overlapped_call && s.overlapped;
  auto ready = [&]() -> std::optional<ApiResult> {
    if (s.rcv_buffered > 0) {
      std::int64_t n = std::min(c.count, s.rcv_buffered);
      s.rcv_buffered -= n;
      return value_result(n);
    }
    if (s.rst_received || s.connection_aborted || std::exchange(s.unreachable, false))
      return error_result(WSAECONNRESET);  // C17; UDP: a port-unreachable report
    if (s.fin_received) return value_result(0);
    return std::nullopt;
  };
  if (std::optional<ApiResult> now = ready()) {
    if (overlapped) {
      OpId id = new_op(t, c.call == CallId::WSARecvFrom ? c.call : CallId::WSARecv, c, d, false);
      int status = now->error;
      ops.at(id).done = now->error ? 0 : now->value;
      if (status) {
        // A call that fails at once started nothing: no event, routine or packet (C27).
        finish(t, error_result(status));
        complete_op(ops.at(id), status, RuleId::None, /*silent=*/true);
      } else {
        finish(t, value_result(0));
        complete_op(ops.at(id), 0, RuleId::None);
      }
      return;
    }
    if (overlapped_call && !now->error) now->text = "0", now->value = 0;
    finish(t, *now);
    return;
  }
  if (s.nonblocking && !overlapped) {
    finish(t, error_result(WSAEWOULDBLOCK));
    return;
  }
  OpId id = new_op(t, overlapped && c.call != CallId::WSARecvFrom ? CallId::WSARecv : c.call, c, d, !overlapped);
  if (overlapped) {
    finish(t, pending_result());
    return;
  }
  threads.at(t).op = id;
  park(t, ParkReason::Op, "data");
}

void World::State::enqueue(Socket& s, std::int64_t bytes, int line) {
  if (bytes <= 0) return;
  s.queued += bytes;
  s.queued_total += bytes;
  TraceRecord r = record(RecordKind::DataQueued, "link");
  r.socket = s.id;
  r.bytes = bytes;
  r.value = s.queued_total;
  r.line = line;
  emit(std::move(r));
  kick(s);
}

void World::State::kick(Socket& s) {
  if (s.transmitting) return;
  if (s.queued == 0 || !s.peer.reading || s.rst_sent || s.rst_received || !s.has_peer ||
      s.peer.sent_rst) {
    send_fin_if_due(s, s.closed ? drain_rule(s.linger_on, s.linger_seconds, s.nonblocking) : RuleId::R13);
    return;
  }
  s.transmitting = true;
  s.burst_start = engine.now();
  s.burst_bytes = 0;
  std::int64_t seg = s.udp ? s.queued : std::min(kSegment, s.queued);
  Time leaves = s.udp ? engine.now() : add_time(s.burst_start, wire_time(seg, config.link.rate));
  SocketId id = s.id;
  engine.at(leaves, s.lane, [this, id] { transmit_next(id); });
}

void World::State::transmit_next(SocketId id) {
  Socket& s = socket(id);
  if (!s.transmitting) return;  // a reset discarded the burst
  if (s.rst_sent || s.rst_received) {
    s.transmitting = false;
    return;
  }
  std::int64_t seg = s.udp ? s.queued : std::min(kSegment, s.queued);
  s.queued -= seg;
  s.sent_total += seg;
  s.burst_bytes += seg;
  {
    TraceRecord r = record(RecordKind::DataSent, "link");
    r.socket = id;
    r.bytes = seg;
    r.value = s.sent_total;
    emit(std::move(r));
  }
  const Time latency = config.link.latency;
  engine.at(engine.now() + latency, s.lane, [this, id, seg] {
    Socket& so = socket(id);
    if (so.peer.sent_rst) return;  // the peer's end is gone
    if (so.udp && so.peer.port_closed) return port_unreachable(id);
    if (!so.peer.reading && so.udp) return;  // a datagram nobody reads is dropped
    if (so.peer.answers_data_with_rst) return peer_rejects_data(id);  // C50
    so.peer.received += seg;
    TraceRecord r = record(RecordKind::PeerReceived, peer_actor(id));
    r.socket = id;
    r.bytes = seg;
    r.value = so.peer.received;
    emit(std::move(r));
  });
  if (!s.udp) {
    engine.at(engine.now() + 2 * latency, s.lane, [this, id, seg] {
      Socket& so = socket(id);
      if (so.rst_sent || so.rst_received || so.released) return;
      so.acked_total += seg;
      TraceRecord r = record(RecordKind::DataAcked, "link");
      r.socket = id;
      r.bytes = seg;
      r.value = so.acked_total;
      emit(std::move(r));
      linger_check(id);
      maybe_discard(so, drain_rule(so.linger_on, so.linger_seconds, so.nonblocking));
    });
  }
  serve_senders(s);
  post_network_event(s, "FD_WRITE", kFdWrite);  // room in the queue again
  if (s.queued > 0 && s.peer.reading && !s.udp) {
    std::int64_t next = std::min(kSegment, s.queued);
    Time leaves = add_time(s.burst_start, wire_time(s.burst_bytes + next, config.link.rate));
    engine.at(leaves, s.lane, [this, id] { transmit_next(id); });
    return;
  }
  s.transmitting = false;
  if (s.queued > 0) kick(s);  // udp: more datagrams queued meanwhile
  else send_fin_if_due(s, s.closed ? drain_rule(s.linger_on, s.linger_seconds, s.nonblocking) : RuleId::R13);
}

void World::State::serve_senders(Socket& s) {
  for (OpId id : std::vector<OpId>(s.ops)) {
    PendingOp& op = ops.at(id);
    if (op.completed) continue;
    if (op.function != CallId::Send && op.function != CallId::WSASend) continue;
    if (s.rst_sent || s.rst_received) {
      if (op.blocking) {
        op.completed = true;
        wake(op.thread, RuleId::None, error_result(WSAECONNRESET));
      } else {
        complete_op(op, WSAECONNRESET, RuleId::None);
      }
      continue;
    }
    std::int64_t room = config.link.sndbuf - s.queued;
    std::int64_t chunk = std::min(room, op.wanted - op.done);
    if (chunk <= 0) break;  // queue order: later sends wait behind this one
    op.done += chunk;
    enqueue(s, chunk, 0);
    if (op.done < op.wanted) break;
    if (op.blocking) {
      op.completed = true;
      wake(op.thread, RuleId::None, value_result(op.wanted));
    } else {
      complete_op(op, 0, RuleId::None);
    }
  }
  serve_readiness_waits();  // select, WSAPoll (readiness.cc)
}

void World::State::serve_receivers(Socket& s) {
  for (OpId id : std::vector<OpId>(s.ops)) {
    PendingOp& op = ops.at(id);
    if (op.completed || serve_accept_ex(s, op)) continue;
    if (op.function == CallId::Accept) {
      if (s.backlog.empty()) continue;
      SocketId conn = s.backlog.front();
      s.backlog.pop_front();
      op.completed = true;
      ApiResult res;
      res.text = "ok";
      inherit_listener_options(s, socket(conn));  // C9
      res.handle = create_descriptor(op.process, conn, 0);
      res.socket = conn;
      wake(op.thread, RuleId::None, res);
      continue;
    }
    if (!is_receive_call(op.function)) continue;
    int error = 0;
    std::int64_t n = 0;
    if (s.rcv_buffered > 0) {
      n = std::min(op.wanted, s.rcv_buffered);
      s.rcv_buffered -= n;
    } else if (s.rst_received) {
      error = provider->reset_status(op);  // C5, C6
    } else if (std::exchange(s.unreachable, false)) {
      error = WSAECONNRESET;  // UDP: the port-unreachable report of an earlier datagram
    } else if (!s.fin_received) {
      break;
    }
    if (op.blocking) {
      op.completed = true;
      const bool wsa = op.function == CallId::WSARecv || op.function == CallId::WSARecvFrom;
      ApiResult res = error ? error_result(error) : value_result(wsa ? 0 : n);
      wake(op.thread, RuleId::None, res);
    } else {
      op.done = n;
      complete_op(op, error, RuleId::None);
    }
  }
  serve_readiness_waits();  // select, WSAPoll (readiness.cc)
}

// post_network_event: network_events.cc.

void World::State::maybe_discard(Socket& s, RuleId why) {
  if (!s.closed || s.released) return;
  const bool reset = s.rst_sent || s.rst_received;
  const bool drained = s.fin_sent && s.queued == 0 && s.acked_total == s.sent_total;
  const bool idle = s.udp || !s.has_peer;
  if (!reset && !drained && !idle) return;
  s.released = true;
  TraceRecord r = record(RecordKind::SocketReleased, "provider");
  r.socket = s.id;
  r.rule = why;
  emit(std::move(r));
}

}  // namespace closesim
