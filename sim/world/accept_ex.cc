// AcceptEx: an overlapped accept into a socket the application made beforehand, and what an
// accepted socket takes from its listener.
//
// An AcceptEx is one pending operation that two descriptors hold: it was issued through the
// listener and it names the accept socket, so closing either end aborts it with
// WSA_OPERATION_ABORTED through its completion action (R3, C20, C22c), exactly once (R4). When a
// connection arrives, the accept socket becomes that connection (the backlog's socket is folded
// into it, so `peer(a)` names the far end); with a receive size N > 0 the operation then waits
// for the first data, or the peer's FIN, before it completes (C22a, C22b). A connection taken by
// an AcceptEx belongs to the accept socket: closing the listener afterwards leaves it alone.
#include <algorithm>

#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

namespace {

// AcceptEx returns a BOOL: FALSE with the error, TRUE when it finished at once.
ApiResult failed(int error) {
  ApiResult r;
  r.value = 0;
  r.error = error;
  r.text = fmt::format("FALSE {}", error_name(error));
  return r;
}

ApiResult pending() {
  ApiResult r;
  r.value = -1;
  r.error = WSA_IO_PENDING;
  r.io_pending = true;
  r.text = "WSA_IO_PENDING";
  return r;
}

}  // namespace

// C9: accept's new socket has the listener's properties (its linger among them). AcceptEx's
// accept socket keeps its own until SO_UPDATE_ACCEPT_CONTEXT, which the model does not have.
void World::State::inherit_listener_options(const Socket& listener, Socket& accepted) {
  accepted.linger_on = listener.linger_on;
  accepted.linger_seconds = listener.linger_seconds;
}

void World::State::accept_ex_call(ThreadId t, const ApiCall& c, Descriptor& d) {
  Socket& l = socket(d.socket);
  Descriptor* a = live(threads.at(t).process, c.handle2);
  if (!a) {
    finish(t, failed(WSAENOTSOCK));
    return;
  }
  Socket& acc = socket(a->socket);
  // The listener must listen; the accept socket must be a fresh TCP socket of its own.
  if (l.state != Socket::State::Listening || acc.id == l.id || acc.udp ||
      acc.state != Socket::State::Fresh || acc.closed) {
    finish(t, failed(WSAEINVAL));
    return;
  }
  const OpId id = new_op(t, CallId::AcceptEx, c, d, false);
  PendingOp& op = ops.at(id);
  op.acceptor = a->handle;
  op.acceptor_socket = acc.id;
  acc.ops.push_back(id);
  serve_accept_ex(l, op);
  if (!op.completed) {
    finish(t, pending());
    return;
  }
  // Done at once (a connection was waiting, N = 0): TRUE, and the completion action still
  // fired (C27: a synchronous success still queues its packet).
  finish(t, value_result(1));
}

bool World::State::serve_accept_ex(Socket& s, PendingOp& op) {
  if (op.function != CallId::AcceptEx) return false;
  if (op.completed) return true;
  if (!op.accepted) {
    if (s.id != op.socket || s.backlog.empty()) return true;
    const SocketId conn = s.backlog.front();
    s.backlog.pop_front();
    std::erase(s.ops, op.id);  // the listener's part is over
    Socket& from = socket(conn);
    Socket& acc = socket(op.acceptor_socket);
    acc.state = Socket::State::Connected;
    acc.has_peer = true;
    acc.peer = from.peer;
    // The backlog's socket lives on as the accept socket; its own record ends here.
    from.has_peer = false;
    from.closed = true;
    from.released = true;
    op.accepted = true;
    {
      TraceRecord r = record(RecordKind::Note, "provider");
      r.process = op.process;
      r.handle = op.acceptor;
      r.socket = acc.id;
      r.op = op.label;
      r.text = fmt::format("{} takes the connection of peer#{} into its accept socket", op.label,
                           conn);
      emit(std::move(r));
    }
    TraceRecord r = record(RecordKind::ConnectionOpened, "link");
    r.socket = acc.id;
    r.process = op.process;
    r.handle = op.acceptor;
    r.text = "tcp";
    emit(std::move(r));
  }
  Socket& acc = socket(op.acceptor_socket);
  if (op.wanted == 0) {
    complete_op(op, 0, RuleId::None);
    return true;
  }
  // C22: an AcceptEx with a receive buffer completes with the first data, or at the peer's FIN
  // with 0 bytes.
  if (acc.rcv_buffered > 0) {
    const std::int64_t n = std::min(op.wanted, acc.rcv_buffered);
    acc.rcv_buffered -= n;
    op.done = n;
    complete_op(op, 0, RuleId::None);
  } else if (acc.rst_received) {
    complete_op(op, WSAECONNRESET, RuleId::None);
  } else if (acc.fin_received) {
    complete_op(op, 0, RuleId::None);
  }
  return true;
}

}  // namespace closesim
