// Error and status codes that appear in scenarios and traces, with their Winsock names.
// One table serves the parser (name -> code) and every report (code -> name).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace closesim {

// Numeric values are Windows' own, so traces read like a debugger session.
enum ErrorCode : int {
  kNoError = 0,
  ERROR_INVALID_HANDLE = 6,
  ERROR_NOT_SUPPORTED = 50,  // DuplicateHandle of a non-IFS socket: not modelled
  WSA_OPERATION_ABORTED = 995,
  WSA_IO_PENDING = 997,
  ERROR_NOT_FOUND = 1168,  // CancelIoEx: nothing to cancel (C4)
  ERROR_CONNECTION_ABORTED = 1236,
  WSAEINTR = 10004,
  WSAEFAULT = 10014,
  WSAEINVAL = 10022,
  WSAEWOULDBLOCK = 10035,
  WSAENOTSOCK = 10038,
  WSAENOPROTOOPT = 10042,
  WSAECONNABORTED = 10053,
  WSAECONNRESET = 10054,
  WSAENOTCONN = 10057,
  WSAESHUTDOWN = 10058,
  WSANOTINITIALISED = 10093,
  // Completion status as GetOverlappedResult and WSAGetOverlappedResult give it (C14, C17).
  ERROR_NETNAME_DELETED = 64,
  WSA_IO_INCOMPLETE = 996,  // also ERROR_IO_INCOMPLETE: the operation has not completed
  // The peer's side of a close (C5, C6, C49); ERROR_NETNAME_DELETED above is also what a pending
  // receive failed by the peer's RST gets, as Win32 reports it.
  WSAEISCONN = 10056,
};
// Win32's name for 995 (the same code as WSA_OPERATION_ABORTED).
inline constexpr int ERROR_OPERATION_ABORTED = WSA_OPERATION_ABORTED;

// One completion status, as the two surfaces report it (C14, C17): GetOverlappedResult's Win32
// code (1236 ERROR_CONNECTION_ABORTED, 64 ERROR_NETNAME_DELETED for a reset, 995) and
// WSAGetOverlappedResult's Winsock error (WSAECONNABORTED, WSAECONNRESET, 995). 0 stays 0.
int win32_error_of(int status);
int winsock_error_of(int status);

// "WSAEINTR" for 10004; "0" for kNoError; the decimal number for an unknown code.
std::string error_name(int code);
// Accepts a name ("WSAEINTR", "NO_ERROR") or a decimal number; nullopt when neither.
std::optional<int> parse_error_name(std::string_view text);
// Every known name, for "did you mean" hints.
const char* const* error_names();

}  // namespace closesim
