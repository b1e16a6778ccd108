// AcceptEx: an overlapped accept into a socket the scenario made. The accept socket's far end is
// the connection `peer(l) connect` makes: one already waiting in the backlog is taken now, else
// the next one to come is this accept's (main.cc hands it over).
#include <mswsock.h>

#include "call_outcome.h"

namespace realstack {

int play_accept_ex(const PlanStep& st, CallContext& cx, RealSocket& listener, Operation& op, DWORD& count) {
  // mswsock's AcceptEx is reached through the provider's own pointer, as Microsoft advises.
  LPFN_ACCEPTEX accept_ex = nullptr;
  GUID id = WSAID_ACCEPTEX;
  DWORD got = 0;
  if (WSAIoctl(listener.sock, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &accept_ex,
               sizeof accept_ex, &got, nullptr, nullptr) == SOCKET_ERROR)
    return SOCKET_ERROR;
  RealSocket* accepted = socket_named(cx.realm, name_arg(st, 1));
  if (!accepted) {
    WSASetLastError(WSAENOTSOCK);
    return SOCKET_ERROR;
  }
  {
    std::lock_guard<std::mutex> lock(cx.realm.mu);
    std::vector<SOCKET>& waiting = cx.realm.unaccepted[listener.name];
    if (!waiting.empty()) {
      if (accepted->peer) cx.realm.retired_peers.push_back(std::move(accepted->peer));
      accepted->peer = std::make_unique<PeerEnd>(waiting.front(), accepted->id, accepted->name, cx.log);
      waiting.erase(waiting.begin());
    } else {
      cx.realm.accepting[listener.name].push_back(accepted->name);
    }
  }
  const DWORD address = sizeof(sockaddr_in) + 16;
  if (accept_ex(listener.sock, accepted->sock, op.data.data(), op.buf.len, address, address, &count, &op.ov))
    return 0;
  return SOCKET_ERROR;
}

}  // namespace realstack
