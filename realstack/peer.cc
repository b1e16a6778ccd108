// The runner's peer. It never blocks indefinitely: it polls with a short select so that it can
// stop, pause (stop_reading) and still notice a reset while paused (a peek fails on RST).
#include "realm.h"

namespace realstack {

PeerEnd::PeerEnd(SOCKET s, std::uint32_t id, std::string name, TraceLog& log, bool datagram)
    : sock_(s), id_(id), name_(std::move(name)), log_(log), datagram_(datagram) {
  reader_ = std::thread([this] { read_loop(); });
}

PeerEnd::~PeerEnd() { stop(); }

void PeerEnd::stop() {
  stop_ = true;
  if (reader_.joinable()) reader_.join();
}

void PeerEnd::record(const char* kind, std::int64_t bytes, int error, const std::string& text) {
  Record r;
  r.kind = kind;
  r.actor = "peer#" + std::to_string(id_);
  r.socket = id_;
  r.handle_name = name_;
  r.bytes = bytes;
  r.value = received_;
  r.error = error;
  r.text = text;
  log_.write(r);
}

void PeerEnd::read_loop() {
  std::vector<char> buf(64 * 1024);
  while (!stop_ && !ended_) {
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(sock_, &readable);
    timeval tv{0, 1000};
    int n = select(0, &readable, nullptr, nullptr, &tv);
    if (n <= 0) continue;
    const bool reading = reading_;
    int got = recv(sock_, buf.data(), reading ? static_cast<int>(buf.size()) : 1, reading ? 0 : MSG_PEEK);
    if (datagram_) {  // no stream to end: an ICMP error or an empty datagram is not a FIN or RST
      if (got > 0) {
        received_ += got;
        record("PeerReceived", got, 0, "");
      }
      continue;
    }
    if (got > 0) {
      if (!reading) {
        // Data waits for start_reading; only a reset behind it matters now, and a peek does not
        // show one while data is queued: the socket's pending error does.
        int err = 0, len = sizeof err;
        if (getsockopt(sock_, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&err), &len) == 0 &&
            (err == WSAECONNRESET || err == WSAECONNABORTED)) {
          record("PeerSawRst", 0, err, "while not reading");
          ended_ = true;
          continue;
        }
        Sleep(1);
        continue;
      }
      received_ += got;
      record("PeerReceived", got, 0, "");
    } else if (got == 0) {
      record("PeerSawFin", 0, 0, "");
      ended_ = true;
    } else {
      int e = WSAGetLastError();
      if (e == WSAECONNRESET || e == WSAECONNABORTED) record("PeerSawRst", 0, e, "");
      else record("Note", 0, e, "the peer's recv failed");
      ended_ = true;
    }
  }
}

bool PeerEnd::act(const std::string& action, std::int64_t bytes, int line, std::string& why) {
  Record r;
  r.kind = "PeerAction";
  r.actor = "peer#" + std::to_string(id_);
  r.socket = id_;
  r.handle_name = name_;
  r.line = line;
  r.text = action == "send" ? "send " + std::to_string(bytes) : action;
  if (action == "stop_reading" || action == "start_reading") {
    reading_ = action == "start_reading";
    log_.write(r);
    return true;
  }
  if (closed_) {
    why = "the far end is already closed or reset";
    return false;
  }
  log_.write(r);
  if (action == "send") {
    std::vector<char> data(static_cast<std::size_t>(bytes), 'p');
    if (datagram_) {
      if (send(sock_, data.data(), static_cast<int>(bytes), 0) == SOCKET_ERROR) {
        why = "the peer's datagram failed with " + error_name(WSAGetLastError());
        return false;
      }
      return true;
    }
    std::int64_t sent = 0;
    while (sent < bytes) {
      int n = send(sock_, data.data() + sent, static_cast<int>(bytes - sent), 0);
      if (n == SOCKET_ERROR) {
        why = "the peer's send failed with " + error_name(WSAGetLastError());
        return false;
      }
      sent += n;
    }
    return true;
  }
  if (datagram_ && (action == "close" || action == "closesocket" || action == "reset")) {
    stop();  // its port is closed: what is sent there comes back as ICMP port unreachable
    closesocket(sock_);
    closed_ = true;
    return true;
  }
  if (action == "close" || action == "shutdown") {
    if (!shut_) shutdown(sock_, SD_SEND);  // after a shutdown, a close sends nothing more (C45)
    shut_ = true;
    return true;
  }
  if (action == "closesocket") {
    // A full close: the reader stops, so data that arrives afterwards is answered with RST
    // (C50), and unread data waiting makes the close itself a reset (C51).
    stop();
    closesocket(sock_);
    closed_ = true;
    return true;
  }
  if (action == "reset") {
    stop();
    linger l{1, 0};
    setsockopt(sock_, SOL_SOCKET, SO_LINGER, reinterpret_cast<const char*>(&l), sizeof l);
    closesocket(sock_);
    closed_ = true;
    return true;
  }
  why = "unknown peer action " + action;
  return false;
}

}  // namespace realstack
