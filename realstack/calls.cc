// The scenario's calls on ws2_32, one branch a call; overlapped ones are in overlapped.cc.
#include "calls.h"

#include "call_outcome.h"

namespace realstack {

thread_local std::string t_actor;
thread_local std::string t_process;

namespace {

// Binds `name` to a new socket `n`, numbered next, keeping the far end of what the name meant
// before alive (its peer may still be observed). REQUIRES: realm.mu held.
RealSocket& adopt(Realm& realm, const std::string& name, SOCKET n) {
  RealSocket& rs = realm.sockets[name];
  if (rs.peer) realm.retired_peers.push_back(std::move(rs.peer));
  rs = RealSocket{};
  realm.owner[n] = name;
  rs.sock = n;
  rs.id = realm.next_socket++;
  rs.name = name;
  return rs;
}

// info = WSADuplicateSocket(s, B): the protocol info for B's process id, handed over in the
// shared run with closesim's number of the socket (a duplicate shares it).
Outcome play_duplicate(const PlanStep& st, CallContext& cx, RealSocket& s) {
  SharedRun::Process* target = cx.shared->process(name_arg(st, 1));
  SharedRun::Info* slot = cx.shared->info(st.assign);
  if (!target || target->pid == 0 || !slot) return socket_error(WSAEINVAL);
  if (WSADuplicateSocketW(s.sock, target->pid, &slot->info) == SOCKET_ERROR) return socket_error(WSAGetLastError());
  slot->socket = s.id;
  std::atomic_ref<std::int32_t>(slot->set).store(1);
  return made();
}

// d = WSASocket(info), in the process the info was made for.
Outcome play_socket_from_info(const PlanStep& st, CallContext& cx) {
  SharedRun::Info* slot = cx.shared->info(name_arg(st, 0));
  if (!slot || std::atomic_ref<std::int32_t>(slot->set).load() == 0) return socket_error(WSAEINVAL, "INVALID_SOCKET");
  // Overlapped, so that both blocking and overlapped calls work on the duplicate.
  SOCKET n = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &slot->info, 0,
                        WSA_FLAG_OVERLAPPED);
  if (n == INVALID_SOCKET) return socket_error(WSAGetLastError(), "INVALID_SOCKET");
  std::lock_guard<std::mutex> lock(cx.realm.mu);
  RealSocket& rs = adopt(cx.realm, st.assign, n);
  rs.id = slot->socket;
  rs.overlapped = true;
  return made_socket(n, rs.id, st.assign);
}

Outcome play(const PlanStep& st, CallContext& cx, Record& begin) {
  Realm& realm = cx.realm;
  const std::string& f = st.call;
  auto name_arg = [&](std::size_t i) { return realstack::name_arg(st, i); };
  auto sock_of = [&](std::size_t i) { return socket_named(realm, name_arg(i)); };
  if (f == "select" || f == "WSAPoll") return play_readiness(st, cx, begin);  // it writes `begin`
  RealSocket* s = (f == "socket" || f == "WSACreateEvent" || f == "WSAStartup" || f == "WSACleanup" ||
                   f == "SleepEx" || f == "GetQueuedCompletionStatus" || f == "WaitForSingleObject" ||
                   f == "WSAResetEvent" || f == "ExitThread" || f == "WSASocket")
                      ? nullptr
                      : sock_of(0);
  if (s) {
    begin.handle = s->sock;
    begin.socket = s->id;
    begin.handle_name = s->name;
  }
  if (f == "send" || f == "recv" || f == "WSASend" || f == "WSARecv" || f == "WSARecvFrom" ||
      f == "sendto" || f == "recvfrom")
    begin.value = st.args[1].value;
  cx.log.write(begin);
  const SOCKET h = s ? s->sock : INVALID_SOCKET;

  if (f == "socket") {
    const bool udp = name_arg(0) == "udp";
    bool overlapped = false, nonblocking = false;
    for (const PlanArg& a : st.args) {
      overlapped |= a.text == "overlapped";
      nonblocking |= a.text == "nonblocking";
    }
    SOCKET n = WSASocketW(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, udp ? IPPROTO_UDP : IPPROTO_TCP,
                          nullptr, 0, overlapped ? WSA_FLAG_OVERLAPPED : 0);
    if (n == INVALID_SOCKET) return socket_error(WSAGetLastError(), "INVALID_SOCKET");
    if (nonblocking) {
      u_long on = 1;
      ioctlsocket(n, FIONBIO, &on);
    }
    if (!udp) {
      int size = static_cast<int>(cx.sndbuf);
      setsockopt(n, SOL_SOCKET, SO_SNDBUF, reinterpret_cast<const char*>(&size), sizeof size);
    }
    std::lock_guard<std::mutex> lock(realm.mu);
    RealSocket& rs = adopt(realm, st.assign, n);
    rs.udp = udp;
    rs.overlapped = overlapped;
    rs.nonblocking = nonblocking;
    return made_socket(n, rs.id, st.assign);
  }
  if (f == "WSAStartup") {
    WSADATA d;
    int e = WSAStartup(MAKEWORD(2, 2), &d);
    return e ? socket_error(e) : value(0);
  }
  if (f == "WSACleanup") return WSACleanup() == 0 ? value(0) : socket_error(WSAGetLastError());
  if (f == "WSACreateEvent") {
    WSAEVENT e = WSACreateEvent();
    if (e == WSA_INVALID_EVENT) return socket_error(WSAGetLastError());
    std::lock_guard<std::mutex> lock(realm.mu);
    realm.events[st.assign] = e;
    return made();
  }
  if (f == "SleepEx") {
    DWORD r = SleepEx(timeout_ms(st, 0, cx.clock), st.args.size() > 1 && st.args[1].value != 0);
    if (r == WAIT_IO_COMPLETION) {
      Outcome o;
      o.value = static_cast<std::int64_t>(r);
      o.text = "WAIT_IO_COMPLETION";
      return o;
    }
    return value(0);
  }
  if (f == "WSASocket") return play_socket_from_info(st, cx);
  if (f == "WSAResetEvent") return WSAResetEvent(event_named(realm, name_arg(0))) ? value(1) : socket_error(WSAGetLastError(), "FALSE");
  if (f == "ExitThread") return value(0);  // the worker ends the thread once this is recorded
  if (f == "WaitForSingleObject") {
    HANDLE e = event_named(realm, name_arg(0));
    DWORD r = WaitForSingleObject(e, timeout_ms(st, 1, cx.clock));
    Outcome o;
    o.value = static_cast<std::int64_t>(r);
    o.text = r == WAIT_OBJECT_0 ? "WAIT_OBJECT_0" : r == WAIT_TIMEOUT ? "WAIT_TIMEOUT" : "WAIT_FAILED";
    return o;
  }
  if (f == "GetQueuedCompletionStatus") return play_dequeue(st, cx);
  if (!s) return socket_error(WSAENOTSOCK);  // a name the runner never made: as the DLL would say
  if (auto o = play_datagram(st, cx, *s)) return std::move(*o);
  if (auto o = play_status(st, cx, *s)) return std::move(*o);

  if (f == "connect") {
    int r = connect(h, reinterpret_cast<const sockaddr*>(&realm.listen_addr), sizeof realm.listen_addr);
    int e = r == SOCKET_ERROR ? WSAGetLastError() : 0;
    if (e == WSAEWOULDBLOCK) {  // v1 connects at once: wait for the loopback handshake
      fd_set w;
      FD_ZERO(&w);
      FD_SET(h, &w);
      timeval tv{1, 0};
      e = select(0, nullptr, &w, nullptr, &tv) == 1 ? 0 : WSAETIMEDOUT;
    }
    if (e) return socket_error(e);
    if (s->udp) return value(0);  // a datagram socket only fixes its destination: no far end
    Outcome o = value(0);
    o.after = [&cx, &realm, s, h, line = st.line] {
      SOCKET far_end = accept(realm.listener, nullptr, nullptr);
      if (far_end == INVALID_SOCKET) return;
      std::lock_guard<std::mutex> lock(realm.mu);
      if (s->peer) realm.retired_peers.push_back(std::move(s->peer));
      s->peer = std::make_unique<PeerEnd>(far_end, s->id, s->name, cx.log);
      Record c;
      c.kind = "ConnectionOpened";
      c.actor = "link";
      c.process = t_process;
      c.handle = h;
      c.socket = s->id;
      c.handle_name = s->name;
      c.text = "peer(" + s->name + ")";
      c.line = line;
      cx.log.write(c);
    };
    return o;
  }
  if (f == "listen") {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(h, reinterpret_cast<const sockaddr*>(&a), sizeof a) == SOCKET_ERROR)
      return socket_error(WSAGetLastError());
    return listen(h, 8) == SOCKET_ERROR ? socket_error(WSAGetLastError()) : value(0);
  }
  if (f == "accept") {
    SOCKET n = accept(h, nullptr, nullptr);
    if (n == INVALID_SOCKET) return socket_error(WSAGetLastError(), "INVALID_SOCKET");
    std::lock_guard<std::mutex> lock(realm.mu);
    RealSocket& rs = adopt(realm, st.assign, n);
    std::vector<SOCKET>& waiting = realm.unaccepted[s->name];
    if (!waiting.empty()) {  // loopback accepts in connect order: the oldest is this one's far end
      rs.peer = std::make_unique<PeerEnd>(waiting.front(), rs.id, rs.name, cx.log);
      waiting.erase(waiting.begin());
    }
    return made_socket(n, rs.id, st.assign);
  }
  if (f == "send" || f == "recv") {
    std::vector<char> data(static_cast<std::size_t>(st.args[1].value), 'a');
    int n = f == "send" ? send(h, data.data(), static_cast<int>(data.size()), 0)
                        : recv(h, data.data(), static_cast<int>(data.size()), 0);
    return n == SOCKET_ERROR ? socket_error(WSAGetLastError()) : value(n);
  }
  if (f == "WSADuplicateSocket") return play_duplicate(st, cx, *s);
  if (f == "WSASend" || f == "WSARecv" || f == "WSARecvFrom" || f == "WSAIoctl" || f == "AcceptEx")
    return play_overlapped(st, cx, *s);
  if (f == "setsockopt") {
    int r;
    if (name_arg(1) == "SO_LINGER") {
      linger l{static_cast<u_short>(st.args[2].value), static_cast<u_short>(st.args[3].value)};
      begin.value = l.l_onoff;
      r = setsockopt(h, SOL_SOCKET, SO_LINGER, reinterpret_cast<const char*>(&l), sizeof l);
    } else {
      BOOL on = st.args[2].value != 0;
      r = setsockopt(h, SOL_SOCKET, SO_DONTLINGER, reinterpret_cast<const char*>(&on), sizeof on);
    }
    return r == SOCKET_ERROR ? socket_error(WSAGetLastError()) : value(r);
  }
  if (f == "ioctlsocket") {
    u_long on = st.args[2].value != 0;
    int r = ioctlsocket(h, FIONBIO, &on);
    return r == SOCKET_ERROR ? socket_error(WSAGetLastError()) : value(r);
  }
  if (f == "shutdown") {
    const std::string& how = name_arg(1);
    int r = shutdown(h, how == "SD_SEND" ? SD_SEND : how == "SD_RECEIVE" ? SD_RECEIVE : SD_BOTH);
    return r == SOCKET_ERROR ? socket_error(WSAGetLastError()) : value(r);
  }
  if (f == "closesocket") {
    int r = closesocket(h);
    return r == SOCKET_ERROR ? socket_error(WSAGetLastError()) : value(r);
  }
  if (f == "CreateIoCompletionPort") {
    HANDLE existing = nullptr;
    if (st.args.size() > 2) {
      std::lock_guard<std::mutex> lock(realm.mu);
      existing = realm.ports[name_arg(1)];
    }
    const PlanArg& key = st.args.back();
    HANDLE p = CreateIoCompletionPort(reinterpret_cast<HANDLE>(h), existing,
                                      static_cast<ULONG_PTR>(key.value), 0);
    if (!p) return socket_error(static_cast<int>(GetLastError()), "NULL");
    std::lock_guard<std::mutex> lock(realm.mu);
    realm.ports[st.assign] = p;
    s->port = st.assign;
    return made();
  }
  if (f == "WSAEventSelect") {
    HANDLE e;
    {
      std::lock_guard<std::mutex> lock(realm.mu);
      e = realm.events[name_arg(1)];
    }
    int r = WSAEventSelect(h, e, static_cast<long>(st.args[2].value));
    return r == SOCKET_ERROR ? socket_error(WSAGetLastError()) : value(r);
  }
  return socket_error(WSAEINVAL);
}

std::string args_text(const PlanStep& st) {
  std::string out;
  for (const PlanArg& a : st.args) {
    if (!out.empty()) out += ", ";
    if (a.kind == 'n') out += std::to_string(a.value);
    else if (a.kind == 'd') out += std::to_string(a.value / 1000) + "us";
    else if (a.kind == 'k') out += a.key + "=" + a.text;
    else out += a.text;
  }
  return out;
}

}  // namespace

RealSocket* socket_named(Realm& realm, const std::string& name) {
  std::lock_guard<std::mutex> lock(realm.mu);
  auto it = realm.sockets.find(name);
  if (it == realm.sockets.end()) return nullptr;
  auto now = realm.owner.find(it->second.sock);
  if (now != realm.owner.end() && now->second != it->first) return &realm.sockets[now->second];
  return &it->second;
}

HANDLE event_named(Realm& realm, const std::string& name) {
  std::lock_guard<std::mutex> lock(realm.mu);
  auto it = realm.events.find(name);
  return it == realm.events.end() ? nullptr : it->second;
}

void play_call(const PlanStep& st, CallContext& cx) {
  t_actor = st.actor();
  t_process = st.process;
  Record begin;
  begin.kind = "CallBegin";
  begin.actor = t_actor;
  begin.process = st.process;
  begin.call = st.call;
  begin.text = args_text(st);
  begin.line = st.line;
  // The operation a call issues or names (docs/trace.md, CallBegin).
  const std::string& c = st.call;
  if ((c == "WSASend" || c == "WSARecv" || c == "WSARecvFrom" || c == "WSAIoctl") && st.args.size() > 2)
    begin.op = st.args[2].text;
  if (c == "AcceptEx") begin.op = st.args[3].text;
  if ((c == "CancelIoEx" || c == "GetOverlappedResult" || c == "WSAGetOverlappedResult") && st.args.size() > 1)
    begin.op = st.args[1].text;
  Outcome o = play(st, cx, begin);
  Record end = begin;
  end.kind = "CallEnd";
  end.value = o.value;
  end.error = o.error == WSA_IO_PENDING ? WSA_IO_PENDING : o.error;
  end.text = o.text;
  end.bytes = o.bytes;
  if (!o.op.empty()) end.op = o.op;
  if (o.socket) {
    end.handle = o.handle;
    end.socket = o.socket;
    end.handle_name = o.handle_name;
  }
  cx.log.write(end);
  if (o.after) o.after();
}

}  // namespace realstack
