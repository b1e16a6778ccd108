// The Winsock DLL's routing: every call enters here, is recorded (CallBegin with its structured
// arguments), and goes where the call table says — the kernel's calls (waits, ports, CancelIo)
// aside, the DLL's own (WSAStartup, WSACleanup, events), and the rest to the provider through
// the process's descriptor table. R1: a value that is not a live descriptor of the calling
// process never reaches the provider; the DLL answers WSAENOTSOCK.
#include "closesim/base/check.h"

#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

void World::State::begin_call(ThreadId t, const ApiCall& c) {
  Thread& th = threads.at(t);
  th.current = c.call;
  th.handle = c.handle;
  th.line = c.line;
  Process& proc = process(th.process);
  {
    TraceRecord r = record(RecordKind::CallBegin, th.label);
    r.process = th.process;
    r.call = c.call;
    r.handle = c.handle;
    Descriptor* d = live(th.process, c.handle);
    r.socket = d ? d->socket : 0;
    r.text = c.text;
    r.line = c.line;
    r.op = c.op;
    r.option = c.option;
    switch (c.call) {
      case CallId::Socket:
        r.value = c.overlapped;
        r.value2 = c.nonblocking;
        break;
      case CallId::SleepEx:
      case CallId::WaitForSingleObject:
      case CallId::GetQueuedCompletionStatus:
        r.value = c.timeout;
        r.value2 = c.count;
        break;
      case CallId::AcceptEx:  // value = receive size, value2 = the accept socket's descriptor
        r.value = c.count;
        r.value2 = c.handle2;
        break;
      default:
        r.value = c.count;
        r.value2 = c.count2;
        break;
    }
    emit(std::move(r));
  }

  // Calls that need no descriptor.
  switch (c.call) {
    case CallId::WSAStartup:
      proc.startup_count += 1;
      finish(t, value_result(0));
      return;
    case CallId::WSACleanup:
      cleanup_call(t, c);
      return;
    case CallId::WaitForSingleObject:
      wait_call(t, c);
      return;
    case CallId::SleepEx:
      sleep_call(t, c);
      return;
    case CallId::GetQueuedCompletionStatus:
      port_wait_call(t, c);
      return;
    case CallId::CancelIo:
    case CallId::CancelIoEx:
      cancel_call(t, c);  // kernel calls: WSACleanup does not stop them
      return;
    case CallId::GetOverlappedResult:
      overlapped_result_call(t, c);  // a kernel call: reads the OVERLAPPED, whatever the handle
      return;
    case CallId::WSAResetEvent:
      reset_event_call(t, c);  // an event object's own call
      return;
    case CallId::ExitThread:
      exit_thread_call(t, c);
      return;
    case CallId::CloseHandle:
      close_handle_call(t, c);  // the kernel's: it never passes through the DLL's table (C54)
      return;
    case CallId::DuplicateHandle:
      duplicate_handle_call(t, c);
      return;
    case CallId::PeekMessage:
      peek_message_call(t, c);  // user32's: the thread's message queue
      return;
    default:
      break;
  }
  if (proc.startup_count <= 0) {  // R14: after the final WSACleanup nothing works
    finish(t, error_result(WSANOTINITIALISED, c.call == CallId::Socket ||
                                                  c.call == CallId::WSASocket));
    return;
  }
  switch (c.call) {
    case CallId::Socket: {
      SocketId s = new_socket(c.udp, c.overlapped, c.nonblocking);
      ApiResult res = ok_result();
      res.handle = create_descriptor(th.process, s, c.line);
      res.socket = s;
      finish(t, res);
      return;
    }
    case CallId::WSACreateEvent: {
      ObjectId id = next_object++;
      events[id] = EventObject{c.object_name, false};
      ApiResult res = ok_result();
      res.object = id;
      finish(t, res);
      return;
    }
    case CallId::WSASocket: {
      auto it = infos.find(c.object);
      if (it == infos.end() || it->second.target_process != th.process ||
          sockets.count(it->second.socket) == 0 || socket(it->second.socket).closed) {
        finish(t, error_result(WSAEINVAL, true));
        return;
      }
      SocketId s = it->second.socket;
      infos.erase(it);  // a protocol info is good for one WSASocket
      ApiResult res = ok_result();
      res.handle = create_descriptor(th.process, s, c.line);
      res.socket = s;
      finish(t, res);
      return;
    }
    case CallId::CloseSocket:
      close_call(t, c);
      return;
    case CallId::Select:  // each names several descriptors, checked one by one (R1, C30)
      select_call(t, c);
      return;
    case CallId::WSAPoll:
      poll_call(t, c);
      return;
    case CallId::WSAGetOverlappedResult:
      overlapped_result_call(t, c);
      return;
    case CallId::CreateIoCompletionPort: {
      ObjectId port = c.object;
      if (port == 0 || ports.count(port) == 0) {
        port = next_object++;
        ports[port] = Port{c.object_name, {}};
      }
      if (c.handle != 0) {
        Descriptor* d = live(th.process, c.handle);
        if (!d) {
          finish(t, error_result(WSAENOTSOCK, true));
          return;
        }
        socket(d->socket).port = port;
      }
      ApiResult res = ok_result();
      res.object = port;
      finish(t, res);
      return;
    }
    default:
      break;
  }

  // Everything else names a descriptor. R1: the DLL answers WSAENOTSOCK for a value that is
  // not live in this process, and the provider never sees the call.
  Descriptor* d = live(th.process, c.handle);
  if (!d) {
    finish(t, error_result(WSAENOTSOCK, c.call == CallId::Accept));
    return;
  }
  Descriptor stale;
  if (provider->routes_reused_value_to_old_socket()) {
    // The bug R1 warns of: a table that still maps a reused value to its old socket.
    auto prev = proc.previous.find(c.handle);
    if (prev != proc.previous.end() && prev->second != d->socket &&
        !socket(prev->second).released) {
      stale = *d;
      stale.socket = prev->second;
      d = &stale;
      TraceRecord r = record(RecordKind::Note, "dll");
      r.process = th.process;
      r.handle = c.handle;
      r.socket = prev->second;
      r.call = c.call;
      r.text = "routed to the socket this value named before it was reused";
      emit(std::move(r));
    }
  }
  Socket& s = socket(d->socket);
  if (c.via == CompletionVia::Apc && s.port != 0 && s.overlapped &&
      (is_send_call(c.call) || is_receive_call(c.call))) {
    // C27: a completion routine on a socket bound to a completion port is refused at once, and
    // the routine never runs.
    finish(t, error_result(WSAEINVAL));
    return;
  }
  switch (c.call) {
    case CallId::Connect: connect_call(t, c, *d); return;
    case CallId::Listen:
      if (s.udp || s.state != Socket::State::Fresh) {
        finish(t, error_result(WSAEINVAL));
        return;
      }
      s.state = Socket::State::Listening;
      finish(t, value_result(0));
      return;
    case CallId::Accept:
      accept_call(t, c, *d);
      reenable_network_event(s, kFdAccept);  // FD_ACCEPT again while connections wait
      return;
    case CallId::Send: send_call(t, c, *d, false); return;
    case CallId::WSASend: send_call(t, c, *d, true); return;
    case CallId::Recv:
      recv_call(t, c, *d, false);
      reenable_network_event(s, kFdRead);  // FD_READ again while data is left
      return;
    case CallId::WSARecv:
      recv_call(t, c, *d, true);
      reenable_network_event(s, kFdRead);
      return;
    case CallId::SetSockOpt:
      if (c.option == CallOption::SoDontLinger) {
        if (provider->refuses_linger(s)) {
          finish(t, error_result(WSAENOPROTOOPT));
          return;
        }
        s.linger_on = c.count == 0;  // SO_DONTLINGER 0 turns linger on with the last seconds
        finish(t, value_result(0));
        return;
      }
      // Linger applies to connection-oriented sockets; whether UDP refuses it is the profile's
      // answer (C8).
      if (provider->refuses_linger(s)) {
        finish(t, error_result(WSAENOPROTOOPT));
        return;
      }
      s.linger_on = c.count != 0;
      s.linger_seconds = static_cast<int>(c.count2);
      finish(t, value_result(0));
      return;
    case CallId::IoctlSocket:
      if (c.count == 0 && s.selected()) {  // an event or async selection keeps it non-blocking
        finish(t, error_result(WSAEINVAL));
        return;
      }
      s.nonblocking = c.count != 0;
      finish(t, value_result(0));
      return;
    case CallId::Shutdown: shutdown_call(t, c, *d); return;
    case CallId::GetSockOpt: getsockopt_call(t, c, *d); return;
    case CallId::AcceptEx: accept_ex_call(t, c, *d); return;
    case CallId::Bind: bind_call(t, c, *d); return;
    case CallId::SendTo: sendto_call(t, c, *d); return;
    case CallId::RecvFrom: recv_call(t, c, *d, false); return;
    case CallId::WSARecvFrom: recv_call(t, c, *d, true); return;
    case CallId::WSAIoctl: ioctl_call(t, c, *d); return;
    case CallId::WSADuplicateSocket: {
      process(c.target_process);
      ObjectId id = next_object++;
      infos[id] = ProtocolInfo{s.id, c.target_process};
      ApiResult res = ok_result();
      res.object = id;
      finish(t, res);
      return;
    }
    case CallId::WSAEventSelect: event_select_call(t, c, s); return;
    case CallId::WSAAsyncSelect: async_select_call(t, c, s); return;
    case CallId::WSAEnumNetworkEvents: enum_network_events_call(t, c, s); return;
    default:
      CLOSESIM_CHECK(false && "unrouted call");
      finish(t, error_result(WSAEINVAL));
      return;
  }
}

}  // namespace closesim
