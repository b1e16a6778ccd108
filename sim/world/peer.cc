// The ends of a connection: FIN and RST leaving the local stack, and what the peer application
// at the far end does (send, stop or start reading, close, reset, connect to a listener). The
// data path between them is in transfer.cc.
#include "closesim/base/check.h"

#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

void World::State::send_fin_if_due(Socket& s, RuleId why) {
  if (!s.fin_wanted || s.fin_sent || s.queued > 0 || s.transmitting || s.rst_sent ||
      s.rst_received || s.udp || !s.has_peer)
    return;
  s.fin_sent = true;
  TraceRecord r = record(RecordKind::FinSent, "link");
  r.socket = s.id;
  r.rule = why;
  emit(std::move(r));
  SocketId id = s.id;
  engine.at(engine.now() + config.link.latency, s.lane, [this, id, why] {
    Socket& so = socket(id);
    if (so.peer.sent_rst) return;
    so.peer.saw_fin = true;
    TraceRecord f = record(RecordKind::PeerSawFin, peer_actor(id));
    f.socket = id;
    f.rule = why;
    emit(std::move(f));
  });
  linger_check(s.id);
  maybe_discard(s, why);
}

void World::State::reset_connection(Socket& s, RuleId why, int line) {
  if (s.udp || !s.has_peer || s.rst_sent || s.rst_received) return;
  if (s.queued > 0) {
    TraceRecord d = record(RecordKind::DataDiscarded, "provider");
    d.socket = s.id;
    d.bytes = s.queued;
    d.text = "send";
    d.rule = why;
    d.line = line;
    emit(std::move(d));
    s.queued = 0;
  }
  s.transmitting = false;
  s.rst_sent = true;
  TraceRecord r = record(RecordKind::RstSent, "link");
  r.socket = s.id;
  r.rule = why;
  r.line = line;
  emit(std::move(r));
  SocketId id = s.id;
  engine.at(engine.now() + config.link.latency, s.lane, [this, id, why] {
    Socket& so = socket(id);
    if (so.peer.sent_rst) return;
    so.peer.saw_rst = true;
    TraceRecord f = record(RecordKind::PeerSawRst, peer_actor(id));
    f.socket = id;
    f.rule = why;
    emit(std::move(f));
  });
}

bool World::State::peer_act(SocketId id, World::PeerDoes what, std::int64_t bytes, int line) {
  auto it = sockets.find(id);
  if (it == sockets.end()) return false;
  Socket& s = it->second;
  const Time latency = config.link.latency;
  auto note = [&](std::string text) {
    TraceRecord r = record(RecordKind::PeerAction, peer_actor(id));
    r.socket = id;
    r.bytes = bytes;
    r.text = std::move(text);
    r.line = line;
    emit(std::move(r));
  };
  if (what == World::PeerDoes::Connect) {
    if (s.state != Socket::State::Listening || s.closed) return false;
    SocketId conn = new_socket(false, s.overlapped, false);
    Socket& c = socket(conn);
    c.state = Socket::State::Connected;
    c.has_peer = true;
    note(fmt::format("connect (becomes peer#{})", conn));
    TraceRecord r = record(RecordKind::ConnectionOpened, "link");
    r.socket = conn;
    r.text = "tcp";
    r.line = line;
    emit(std::move(r));
    socket(id).backlog.push_back(conn);
    Socket& l = socket(id);
    post_network_event(l, "FD_ACCEPT", 8);
    serve_receivers(l);
    return true;
  }
  if (!s.has_peer || s.peer.sent_rst) return false;
  if (s.udp && (what == World::PeerDoes::Close || what == World::PeerDoes::Reset)) {
    // A datagram peer has no connection to end: its port closes (datagram.cc).
    if (s.peer.port_closed) return false;
    note("close (its port is closed)");
    s.peer.port_closed = true;
    return true;
  }
  switch (what) {
    case World::PeerDoes::StopReading:
      note("stop_reading");
      s.peer.reading = false;
      return true;
    case World::PeerDoes::StartReading:
      note("start_reading");
      s.peer.reading = true;
      kick(s);
      return true;
    case World::PeerDoes::Send:
      if (s.peer.sent_fin) return false;
      note(fmt::format("send {}", bytes));
      engine.at(engine.now() + latency, s.lane, [this, id, bytes] {
        Socket& so = socket(id);
        if (so.released || so.rst_sent) return;
        so.rcv_buffered += bytes;
        TraceRecord r = record(RecordKind::LocalReceived, "link");
        r.socket = id;
        r.bytes = bytes;
        r.value = so.rcv_buffered;
        emit(std::move(r));
        serve_receivers(so);
        post_network_event(so, "FD_READ", 1);
      });
      return true;
    case World::PeerDoes::Close:
      if (s.peer.sent_fin) return peer_close_act(s, what, line);  // after its shutdown
      note("close");
      s.peer.sent_fin = true;
      s.peer.closed = true;
      engine.at(engine.now() + latency, s.lane, [this, id] {
        Socket& so = socket(id);
        if (so.released || so.rst_sent) return;
        so.fin_received = true;
        TraceRecord r = record(RecordKind::LocalSawFin, "link");
        r.socket = id;
        emit(std::move(r));
        serve_receivers(so);
        post_network_event(so, "FD_CLOSE", 32);
      });
      return true;
    case World::PeerDoes::Reset:
      note("reset");
      s.peer.sent_rst = true;
      engine.at(engine.now() + latency, s.lane, [this, id] {
        Socket& so = socket(id);
        if (so.released || so.rst_sent) return;
        so.rst_received = true;
        TraceRecord r = record(RecordKind::LocalSawRst, "link");
        r.socket = id;
        emit(std::move(r));
        if (so.queued > 0) {
          TraceRecord d = record(RecordKind::DataDiscarded, "provider");
          d.socket = id;
          d.bytes = so.queued;
          d.text = "send";
          emit(std::move(d));
          so.queued = 0;
        }
        so.transmitting = false;
        // Windows throws away what was received and not yet read; the documents keep it
        // readable until the reset is reported.
        if (provider->rst_discards_unread_data() && so.rcv_buffered > 0) {
          TraceRecord d = record(RecordKind::DataDiscarded, "provider");
          d.socket = id;
          d.bytes = so.rcv_buffered;
          d.text = "receive";
          emit(std::move(d));
          so.rcv_buffered = 0;
        }
        serve_receivers(so);
        serve_senders(so);
        post_network_event(so, "FD_CLOSE", 32);
        linger_check(id);
        maybe_discard(so, RuleId::None);
      });
      return true;
    case World::PeerDoes::Connect:
      break;
    case World::PeerDoes::Shutdown:
    case World::PeerDoes::CloseSocket:
    case World::PeerDoes::Abort:
      return peer_close_act(s, what, line);
  }
  return false;
}

}  // namespace closesim
