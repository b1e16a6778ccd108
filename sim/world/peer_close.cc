// The peer's side of a close: its half-close (shutdown of its sending side, after which it still
// reads), its full closesocket (after which data that reaches it is answered with RST: C50, C51),
// and a connection aborted from outside — by neither end, as a tool that kills connections does
// (C17). The v1 actions (close, reset) are in peer.cc.
#include <algorithm>

#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

namespace {

// What a pending operation on a connection aborted from outside returns: blocking calls fail,
// overlapped ones complete (the status is the provider's answer).
bool is_data_op(const PendingOp& op) { return is_send_call(op.function) || is_receive_call(op.function); }

}  // namespace

bool World::State::peer_close_act(Socket& s, World::PeerDoes what, int line) {
  const SocketId id = s.id;
  auto note = [&](std::string text) {
    TraceRecord r = record(RecordKind::PeerAction, peer_actor(id));
    r.socket = id;
    r.text = std::move(text);
    r.line = line;
    emit(std::move(r));
  };
  // The peer's FIN, one latency away (as peer.cc's close sends it).
  auto send_fin = [&] {
    s.peer.sent_fin = true;
    engine.at(engine.now() + config.link.latency, s.lane, [this, id] {
      Socket& so = socket(id);
      if (so.released || so.rst_sent) return;
      so.fin_received = true;
      TraceRecord r = record(RecordKind::LocalSawFin, "link");
      r.socket = id;
      emit(std::move(r));
      serve_receivers(so);
      post_network_event(so, "FD_CLOSE", kFdClose);
    });
  };
  switch (what) {
    case World::PeerDoes::Shutdown:
      if (s.peer.sent_fin) return false;
      note("shutdown (SD_SEND)");
      send_fin();
      return true;
    case World::PeerDoes::Close:  // after its shutdown: nothing more on the wire (C45)
      if (s.peer.closed) return false;
      note("close");
      s.peer.closed = true;
      return true;
    case World::PeerDoes::CloseSocket: {
      if (s.peer.closed) return false;
      note("closesocket");
      s.peer.closed = true;
      s.peer.answers_data_with_rst = true;
      if (!s.peer.sent_fin) send_fin();
      // Data the peer never read (it had stopped reading) makes its close abortive (C51).
      if (!s.peer.reading && s.queued > 0) peer_rejects_data(id);
      return true;
    }
    case World::PeerDoes::Abort: {
      if (s.state != Socket::State::Connected || s.rst_sent || s.rst_received || s.released)
        return false;
      note("connection aborted from outside");
      s.connection_aborted = true;
      reset_connection(s, RuleId::None, line);  // the far end sees RST; unsent data is lost
      for (OpId op_id : std::vector<OpId>(s.ops)) {
        PendingOp& op = ops.at(op_id);
        if (op.completed || !is_data_op(op)) continue;
        if (op.blocking) {
          op.completed = true;
          std::erase(s.ops, op_id);
          wake(op.thread, RuleId::None, error_result(WSAECONNABORTED));
        } else {
          complete_op(op, provider->connection_aborted_status(op), RuleId::None);  // C17
        }
      }
      post_network_event(s, "FD_CLOSE", kFdClose);
      linger_check(id);
      maybe_discard(s, RuleId::None);
      return true;
    }
    default:
      return false;
  }
}

void World::State::peer_rejects_data(SocketId id) {
  Socket& s = socket(id);
  if (s.peer.sent_rst) return;
  TraceRecord r = record(RecordKind::Note, peer_actor(id));
  r.socket = id;
  r.text = "data reached a peer that has closed its socket: it answers with RST";
  emit(std::move(r));
  peer_act(id, World::PeerDoes::Reset, 0, 0);
}

}  // namespace closesim
