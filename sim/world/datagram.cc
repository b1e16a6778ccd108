// Datagrams: bind, sendto, and what a UDP socket hears back. `peer(u)` of a UDP socket is the
// application it exchanges datagrams with (connect's address, or sendto's); `peer(u) close`
// closes that application's port, after which each datagram sent there bounces: an ICMP port
// unreachable comes back one latency after the datagram arrived, and the socket's next receive
// that finds no datagram waiting fails with WSAECONNRESET (recvfrom's documented meaning of that
// code on a datagram socket; Windows reports it by default, SIO_UDP_CONNRESET).
//
// Receives on a UDP socket go through the common receive path (transfer.cc): they need the
// socket bound or connected. A pending one is cancelled by close with WSA_OPERATION_ABORTED
// (STATUS_CANCELLED, C19), a blocked one woken with WSAEINTR (R2).
#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

void World::State::bind_call(ThreadId t, const ApiCall& c, Descriptor& d) {
  (void)c;
  Socket& s = socket(d.socket);
  if (s.bound || s.state != Socket::State::Fresh) {
    finish(t, error_result(WSAEINVAL));  // bound already, or a connect or listen bound it
    return;
  }
  s.bound = true;
  if (s.udp) s.has_peer = true;  // datagrams can now arrive from peer(s)
  finish(t, value_result(0));
}

void World::State::sendto_call(ThreadId t, const ApiCall& c, Descriptor& d) {
  Socket& s = socket(d.socket);
  if (!s.udp) {
    // On a connected TCP socket sendto ignores the address and is send.
    send_call(t, c, d, false);
    return;
  }
  if (s.shut_send) {
    finish(t, error_result(WSAESHUTDOWN));  // R13
    return;
  }
  // An unbound socket is bound on its first sendto.
  s.bound = true;
  s.has_peer = true;
  enqueue(s, c.count, c.line);
  finish(t, value_result(c.count));
}

void World::State::port_unreachable(SocketId id) {
  Socket& s = socket(id);
  {
    TraceRecord r = record(RecordKind::Note, peer_actor(id));
    r.socket = id;
    r.text = "datagram reached a closed port: ICMP port unreachable";
    emit(std::move(r));
  }
  engine.at(engine.now() + config.link.latency, s.lane, [this, id] {
    Socket& so = socket(id);
    if (so.closed) return;
    so.unreachable = true;
    TraceRecord r = record(RecordKind::Note, "link");
    r.socket = id;
    r.text = "ICMP port unreachable arrived: the next receive fails with WSAECONNRESET";
    emit(std::move(r));
    serve_receivers(so);
  });
}

// C36: on Windows a shutdown of the receiving side ends a recvfrom blocked on a UDP socket
// (a blocked TCP recv or accept stays blocked); the documents promise nothing of the kind, so
// the documented profile leaves it blocked (R13: shutdown is not close).
void World::State::wake_datagram_receivers(Socket& s) {
  if (!s.udp || !provider->shutdown_wakes_datagram_receive()) return;
  for (OpId id : std::vector<OpId>(s.ops)) {
    PendingOp& op = ops.at(id);
    if (op.completed || !op.blocking || !is_receive_call(op.function)) continue;
    op.completed = true;
    std::erase(s.ops, id);
    wake(op.thread, RuleId::R13, error_result(WSAESHUTDOWN));
  }
}

}  // namespace closesim
