// The real objects a scenario's names stand for in the runner: sockets with their far ends,
// events, completion ports and overlapped operations. One lock guards the maps; the objects
// themselves are used by the thread that plays the step (as a program would).
#pragma once

#include <winsock2.h>
#include <windows.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "trace_log.h"

namespace realstack {

// The far end of one connection, driven by the runner: it reads by default (what the simulator's
// peer does) and records what arrived: bytes, FIN (recv returns 0), RST (recv fails).
class PeerEnd {
 public:
  // `datagram`: the far end of a UDP socket, which receives datagrams and has no FIN or RST.
  PeerEnd(SOCKET s, std::uint32_t id, std::string name, TraceLog& log, bool datagram = false);
  ~PeerEnd();
  PeerEnd(const PeerEnd&) = delete;
  PeerEnd& operator=(const PeerEnd&) = delete;

  void set_reading(bool on) { reading_ = on; }
  // send N, close and shutdown (FIN: shutdown SD_SEND, still reading), closesocket (a full
  // close: FIN, or RST if unread data waits), reset (RST: SO_LINGER {1,0} then closesocket). A
  // datagram far end's close closes its port. Returns false, with a reason, when the far end is
  // already gone.
  bool act(const std::string& action, std::int64_t bytes, int line, std::string& why);
  void stop();

 private:
  void read_loop();
  void record(const char* kind, std::int64_t bytes, int error, const std::string& text);

  // Fixed at construction.
  SOCKET sock_;
  std::uint32_t id_;
  std::string name_;
  TraceLog& log_;
  bool datagram_;
  // Changes while the run goes on.
  std::atomic<bool> reading_{true};
  std::atomic<bool> stop_{false};
  std::atomic<bool> ended_{false};
  std::atomic<bool> closed_{false};
  bool shut_ = false;  // its sending side is shut down (only act() touches it)
  std::int64_t received_ = 0;
  std::thread reader_;
};

struct RealSocket {
  SOCKET sock = INVALID_SOCKET;
  std::uint32_t id = 0;  // closesim's socket number: 1, 2, ... in creation order
  std::string name;
  bool overlapped = false;
  bool nonblocking = false;
  bool udp = false;
  std::string port;  // the completion port it is associated with, if any
  std::unique_ptr<PeerEnd> peer;
  sockaddr_in far_addr{};  // a UDP socket's far end, once made (datagram.cc)
};

enum class Via { None = 0, Event = 1, Apc = 2, Port = 3 };  // closesim's CompletionVia numbers

// An overlapped operation. The OVERLAPPED comes first so a completion routine's pointer finds
// its operation.
struct Operation {
  WSAOVERLAPPED ov{};
  WSABUF buf{};
  std::vector<char> data;
  std::string name, call, thread, process, socket_name;
  std::uint64_t handle = 0;
  std::uint32_t socket = 0;
  Via via = Via::None;
  int line = 0;
  std::atomic<bool> done{false};
  sockaddr_in from{};  // WSARecvFrom's source address
  int from_len = 0;
};

class Realm {
 public:
  std::mutex mu;
  std::map<std::string, RealSocket> sockets;  // by scenario name
  // Which name's socket a handle value belongs to now: a stale name whose value was reused acts
  // on the new socket, as it does in a real program (R1, handle reuse).
  std::map<SOCKET, std::string> owner;
  std::vector<std::unique_ptr<PeerEnd>> retired_peers;  // far ends of reconnected names
  // Connections the peer made to a listening socket (`peer(l) connect`), oldest first, waiting
  // for the scenario's accept(l) to take them: the far end of each accepted socket.
  std::map<std::string, std::vector<SOCKET>> unaccepted;
  // Accept sockets of AcceptEx calls pending on a listener, oldest first: the next `peer(l)
  // connect` is the far end of the first.
  std::map<std::string, std::vector<std::string>> accepting;
  std::map<std::string, HANDLE> events;
  std::map<std::string, HANDLE> ports;
  std::map<std::string, std::unique_ptr<Operation>> ops;
  std::uint32_t next_socket = 1;
  // Loopback listener the scenario's connects reach; its accepted end becomes the peer.
  SOCKET listener = INVALID_SOCKET;
  sockaddr_in listen_addr{};
  // The peer's receive buffer: small, so that a peer that stops reading makes data pile up in
  // the sender's queue as the model's does (a loopback would otherwise swallow megabytes).
  static constexpr int kPeerReceiveBuffer = 8 * 1024;
};

}  // namespace realstack
