// Datagrams: bind, sendto, recvfrom, and a UDP socket's far end. The far end is a UDP socket of
// the runner's own on loopback, made when the scenario's socket first gets an address (bind,
// connect or sendto) and connected back to it, so that `peer(u) send` reaches u and `peer(u)
// close` leaves a closed port behind (C19, C36).
#include "call_outcome.h"

namespace realstack {

namespace {

SOCKET bound_udp_socket(sockaddr_in& addr) {
  SOCKET far_end = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  addr = sockaddr_in{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int len = sizeof addr;
  if (far_end == INVALID_SOCKET || bind(far_end, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      getsockname(far_end, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (far_end != INVALID_SOCKET) closesocket(far_end);
    return INVALID_SOCKET;
  }
  return far_end;
}

// Once `s` has an address: the far end sends to it, and starts watching what arrives.
void attach_far_end(CallContext& cx, RealSocket& s, SOCKET far_end) {
  sockaddr_in mine{};
  int len = sizeof mine;
  if (getsockname(s.sock, reinterpret_cast<sockaddr*>(&mine), &len) == 0) {
    mine.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(far_end, reinterpret_cast<const sockaddr*>(&mine), len);
  }
  std::lock_guard<std::mutex> lock(cx.realm.mu);
  if (s.peer) cx.realm.retired_peers.push_back(std::move(s.peer));
  s.peer = std::make_unique<PeerEnd>(far_end, s.id, s.name, cx.log, true);
}

Outcome result_of(int r) { return r == SOCKET_ERROR ? socket_error(WSAGetLastError()) : value(r); }

}  // namespace

std::optional<Outcome> play_datagram(const PlanStep& st, CallContext& cx, RealSocket& s) {
  const std::string& f = st.call;
  const SOCKET h = s.sock;
  if (f == "bind") {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int r = bind(h, reinterpret_cast<const sockaddr*>(&a), sizeof a);
    if (r == SOCKET_ERROR) return socket_error(WSAGetLastError());
    if (s.udp && !s.peer) {
      SOCKET far_end = bound_udp_socket(s.far_addr);
      Outcome o = value(0);
      if (far_end != INVALID_SOCKET) o.after = [&cx, &s, far_end] { attach_far_end(cx, s, far_end); };
      return o;
    }
    return value(0);
  }
  if (f == "connect" && s.udp) {
    SOCKET far_end = s.peer ? INVALID_SOCKET : bound_udp_socket(s.far_addr);
    int r = connect(h, reinterpret_cast<const sockaddr*>(&s.far_addr), sizeof s.far_addr);
    Outcome o = result_of(r);
    if (far_end != INVALID_SOCKET) o.after = [&cx, &s, far_end] { attach_far_end(cx, s, far_end); };
    return o;
  }
  if (f == "sendto") {
    std::vector<char> data(static_cast<std::size_t>(st.args[1].value), 'a');
    const int n = static_cast<int>(data.size());
    if (!s.udp) return result_of(send(h, data.data(), n, 0));  // on TCP, sendto is send
    SOCKET far_end = s.peer ? INVALID_SOCKET : bound_udp_socket(s.far_addr);
    Outcome o = result_of(
        sendto(h, data.data(), n, 0, reinterpret_cast<const sockaddr*>(&s.far_addr), sizeof s.far_addr));
    if (far_end != INVALID_SOCKET) o.after = [&cx, &s, far_end] { attach_far_end(cx, s, far_end); };
    return o;
  }
  if (f == "recvfrom") {
    std::vector<char> data(static_cast<std::size_t>(st.args[1].value), 'a');
    sockaddr_in from{};
    int len = sizeof from;
    return result_of(recvfrom(h, data.data(), static_cast<int>(data.size()), 0,
                              reinterpret_cast<sockaddr*>(&from), &len));
  }
  return std::nullopt;
}

}  // namespace realstack
