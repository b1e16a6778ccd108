// What an application reads back about a socket and its operations: getsockopt, the two
// overlapped-result calls (the Win32 and the Winsock surface of one completion, C14, C40), the
// network events recorded for a socket, and the kernel's cancels.
#include <cstring>

#include "call_outcome.h"

namespace realstack {

namespace {

Outcome bool_outcome(BOOL ok, int error, bool win32) {
  if (ok) return value(1);
  Outcome o;
  o.value = 0;
  o.error = error;
  o.text = "FALSE " + (win32 ? win32_error_name(error) : error_name(error));
  return o;
}

Operation* op_named(Realm& realm, const std::string& name) {
  std::lock_guard<std::mutex> lock(realm.mu);
  auto it = realm.ops.find(name);
  return it == realm.ops.end() ? nullptr : it->second.get();
}

// optval as a script writes it; a failed call that left the buffer as it was is `untouched` (C1).
Outcome play_getsockopt(const PlanStep& st, SOCKET h) {
  const std::string opt = name_arg(st, 1);
  const int name = opt == "SO_LINGER" ? SO_LINGER
                   : opt == "SO_DONTLINGER" ? SO_DONTLINGER
                   : opt == "SO_TYPE" ? SO_TYPE : SO_ERROR;
  char buf[16];
  char before[sizeof buf];
  std::memset(buf, 0xA5, sizeof buf);  // a pattern no option value has
  std::memcpy(before, buf, sizeof buf);
  int len = name == SO_LINGER ? static_cast<int>(sizeof(linger)) : static_cast<int>(sizeof(int));
  if (getsockopt(h, SOL_SOCKET, name, buf, &len) == SOCKET_ERROR) {
    Outcome o = socket_error(WSAGetLastError());
    add_output(o, "optval", std::memcmp(buf, before, sizeof buf) == 0 ? "untouched" : "written");
    return o;
  }
  Outcome o = value(0);
  if (name == SO_LINGER) {
    linger l;
    std::memcpy(&l, buf, sizeof l);
    // l_onoff reads back as whatever the stack keeps; a script states it as a boolean (C8).
    add_output(o, "optval", "{" + std::to_string(l.l_onoff ? 1 : 0) + ", " + std::to_string(l.l_linger) + "}");
    return o;
  }
  int v;
  std::memcpy(&v, buf, sizeof v);
  if (name == SO_DONTLINGER) add_output(o, "optval", v ? "1" : "0");
  else if (name == SO_TYPE)
    add_output(o, "optval", v == SOCK_STREAM ? "SOCK_STREAM" : v == SOCK_DGRAM ? "SOCK_DGRAM" : std::to_string(v));
  else add_output(o, "optval", std::to_string(v));
  return o;
}

Outcome play_overlapped_result(const PlanStep& st, CallContext& cx, SOCKET h) {
  Operation* op = op_named(cx.realm, name_arg(st, 1));
  const bool winsock = st.call == "WSAGetOverlappedResult";
  if (!op) return bool_outcome(FALSE, WSAEINVAL, !winsock);  // no such OVERLAPPED to ask about
  const BOOL wait = st.args.size() > 2 && st.args[2].value != 0;
  DWORD bytes = 0, flags = 0;
  BOOL ok;
  int error = 0;
  if (winsock) {
    ok = WSAGetOverlappedResult(h, &op->ov, &bytes, wait, &flags);
    if (!ok) error = WSAGetLastError();
  } else {
    ok = GetOverlappedResult(reinterpret_cast<HANDLE>(h), &op->ov, &bytes, wait);
    if (!ok) error = static_cast<int>(GetLastError());
  }
  record_if_completed(cx, *op);
  Outcome o = bool_outcome(ok, error, !winsock);
  add_output(o, "bytes", std::to_string(bytes));
  return o;
}

// `FD_READ 0 FD_CLOSE WSAECONNABORTED`: each event recorded, in bit order, with its error code.
Outcome play_enum_network_events(const PlanStep& st, CallContext& cx, SOCKET h) {
  HANDLE e = st.args.size() > 1 ? event_named(cx.realm, name_arg(st, 1)) : nullptr;
  WSANETWORKEVENTS ne{};
  if (WSAEnumNetworkEvents(h, e, &ne) == SOCKET_ERROR) return socket_error(WSAGetLastError());
  static const char* const kNames[] = {"FD_READ", "FD_WRITE", "FD_OOB", "FD_ACCEPT", "FD_CONNECT", "FD_CLOSE"};
  Outcome o = value(0);
  std::string text;
  for (int bit = 0; bit < 6; ++bit) {
    if (!(ne.lNetworkEvents & (1L << bit))) continue;
    const int code = ne.iErrorCode[bit];
    text += (text.empty() ? "" : " ") + std::string(kNames[bit]) + " " + (code ? error_name(code) : "0");
  }
  if (!text.empty()) o.text = text;
  return o;
}

Outcome play_cancel(const PlanStep& st, CallContext& cx, SOCKET h) {
  if (st.call == "CancelIo") {
    BOOL ok = CancelIo(reinterpret_cast<HANDLE>(h));
    return bool_outcome(ok, ok ? 0 : static_cast<int>(GetLastError()), true);
  }
  Operation* op = st.args.size() > 1 ? op_named(cx.realm, name_arg(st, 1)) : nullptr;
  if (st.args.size() > 1 && !op) return bool_outcome(FALSE, ERROR_NOT_FOUND, true);
  BOOL ok = CancelIoEx(reinterpret_cast<HANDLE>(h), op ? &op->ov : nullptr);
  return bool_outcome(ok, ok ? 0 : static_cast<int>(GetLastError()), true);
}

}  // namespace

std::optional<Outcome> play_status(const PlanStep& st, CallContext& cx, RealSocket& s) {
  const std::string& f = st.call;
  if (f == "getsockopt") return play_getsockopt(st, s.sock);
  if (f == "GetOverlappedResult" || f == "WSAGetOverlappedResult") return play_overlapped_result(st, cx, s.sock);
  if (f == "WSAEnumNetworkEvents") return play_enum_network_events(st, cx, s.sock);
  if (f == "CancelIo" || f == "CancelIoEx") return play_cancel(st, cx, s.sock);
  if (f == "WSAIoctl" && st.args.size() < 3) {  // no operation: it blocks until it is ended
    DWORD bytes = 0;
    int r = WSAIoctl(s.sock, SIO_ADDRESS_LIST_CHANGE, nullptr, 0, nullptr, 0, &bytes, nullptr, nullptr);
    return r == SOCKET_ERROR ? socket_error(WSAGetLastError()) : value(r);
  }
  return std::nullopt;
}

}  // namespace realstack
