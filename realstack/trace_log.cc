#include "trace_log.h"

#include <windows.h>

#include <thread>

namespace realstack {

std::int64_t Clock::now() const {
  auto wall = std::chrono::steady_clock::now() - t0_;
  return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count() / scale_);
}

void Clock::sleep_until(std::int64_t virtual_ns) const {
  std::this_thread::sleep_until(t0_ + std::chrono::nanoseconds(wall_ns(virtual_ns)));
}

namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

void TraceLog::write(const Record& r) {
  std::lock_guard<std::mutex> lock(mu_);
  if (mutex_) WaitForSingleObject(mutex_, INFINITE);
  const std::int64_t t = clock_.now();
  const std::uint64_t seq = shared_seq_ ? static_cast<std::uint64_t>((*shared_seq_)++) : seq_++;
  std::string peer = r.socket && !r.handle_name.empty() ? "peer(" + r.handle_name + ")" : "";
  std::string line = "{\"type\":\"record\",\"time_ns\":" + std::to_string(t) +
                     ",\"seq\":" + std::to_string(seq) + ",\"kind\":" + json_string(r.kind) +
                     ",\"rule\":\"\",\"actor\":" + json_string(r.actor) +
                     ",\"process\":" + json_string(r.process) +
                     ",\"handle\":" + std::to_string(r.handle) +
                     ",\"handle_name\":" + json_string(r.handle_name) +
                     ",\"socket\":" + std::to_string(r.socket) + ",\"peer\":" + json_string(peer) +
                     ",\"layer\":0,\"call\":" + json_string(r.call) + ",\"op\":" + json_string(r.op) +
                     ",\"value\":" + std::to_string(r.value) + ",\"value2\":" + std::to_string(r.value2) +
                     ",\"bytes\":" + std::to_string(r.bytes) + ",\"error\":" + std::to_string(r.error) +
                     ",\"error_name\":" + json_string(r.error ? error_name(r.error) : "") +
                     ",\"text\":" + json_string(r.text) + ",\"line\":" + std::to_string(r.line) + "}\n";
  std::fputs(line.c_str(), out_);
  if (mutex_) {
    std::fflush(out_);
    ReleaseMutex(mutex_);
  }
}

void TraceLog::flush() {
  std::lock_guard<std::mutex> lock(mu_);
  std::fflush(out_);
}

std::string error_name(int code) {
  switch (code) {
    case 6: return "ERROR_INVALID_HANDLE";
    case 995: return "WSA_OPERATION_ABORTED";
    case 996: return "WSA_IO_INCOMPLETE";
    case 1168: return "ERROR_NOT_FOUND";
    case 10056: return "WSAEISCONN";
    case 997: return "WSA_IO_PENDING";
    case 1236: return "ERROR_CONNECTION_ABORTED";
    case 64: return "ERROR_NETNAME_DELETED";
    case 676: return "ERROR_HANDLES_CLOSED";
    case 10004: return "WSAEINTR";
    case 10009: return "WSAEBADF";
    case 10014: return "WSAEFAULT";
    case 10022: return "WSAEINVAL";
    case 10035: return "WSAEWOULDBLOCK";
    case 10036: return "WSAEINPROGRESS";
    case 10038: return "WSAENOTSOCK";
    case 10053: return "WSAECONNABORTED";
    case 10054: return "WSAECONNRESET";
    case 10057: return "WSAENOTCONN";
    case 10058: return "WSAESHUTDOWN";
    case 10060: return "WSAETIMEDOUT";
    case 10093: return "WSANOTINITIALISED";
    case 10042: return "WSAENOPROTOOPT";
  }
  return std::to_string(code);
}

std::string win32_error_name(int code) {
  if (code == 995) return "ERROR_OPERATION_ABORTED";
  if (code == 996) return "ERROR_IO_INCOMPLETE";
  return error_name(code);
}

}  // namespace realstack
