#include "closesim/base/errors.h"

#include <charconv>

namespace closesim {

namespace {

struct Named {
  int code;
  const char* name;
};

constexpr Named kNames[] = {
    {kNoError, "NO_ERROR"},
    {ERROR_INVALID_HANDLE, "ERROR_INVALID_HANDLE"},
    {ERROR_NOT_SUPPORTED, "ERROR_NOT_SUPPORTED"},
    {WSA_OPERATION_ABORTED, "WSA_OPERATION_ABORTED"},
    {WSA_IO_PENDING, "WSA_IO_PENDING"},
    {ERROR_NOT_FOUND, "ERROR_NOT_FOUND"},
    {ERROR_CONNECTION_ABORTED, "ERROR_CONNECTION_ABORTED"},
    {WSAEINTR, "WSAEINTR"},
    {WSAEFAULT, "WSAEFAULT"},
    {WSAEINVAL, "WSAEINVAL"},
    {WSAEWOULDBLOCK, "WSAEWOULDBLOCK"},
    {WSAENOTSOCK, "WSAENOTSOCK"},
    {WSAENOPROTOOPT, "WSAENOPROTOOPT"},
    {WSAECONNABORTED, "WSAECONNABORTED"},
    {WSAECONNRESET, "WSAECONNRESET"},
    {WSAENOTCONN, "WSAENOTCONN"},
    {WSAESHUTDOWN, "WSAESHUTDOWN"},
    {WSANOTINITIALISED, "WSANOTINITIALISED"},
    {ERROR_NETNAME_DELETED, "ERROR_NETNAME_DELETED"},
    {WSAEISCONN, "WSAEISCONN"},
    {WSA_IO_INCOMPLETE, "WSA_IO_INCOMPLETE"},
    // Win32 spellings of codes named above: accepted in scripts, never printed.
    {ERROR_OPERATION_ABORTED, "ERROR_OPERATION_ABORTED"},
    {WSA_IO_INCOMPLETE, "ERROR_IO_INCOMPLETE"},
};

const char* const kNameList[] = {
    "NO_ERROR",       "WSA_OPERATION_ABORTED", "WSA_IO_PENDING", "ERROR_CONNECTION_ABORTED",
    "WSAEINTR",       "WSAEFAULT",             "WSAEINVAL",      "WSAEWOULDBLOCK",
    "WSAENOTSOCK",    "WSAENOPROTOOPT",        "WSAECONNABORTED", "WSAECONNRESET",
    "WSAENOTCONN",    "WSAESHUTDOWN",          "WSANOTINITIALISED", "ERROR_INVALID_HANDLE",
    "ERROR_NOT_FOUND", "ERROR_NETNAME_DELETED", "WSA_IO_INCOMPLETE", "ERROR_OPERATION_ABORTED",
    "ERROR_IO_INCOMPLETE", "WSAEISCONN", "ERROR_NOT_SUPPORTED", nullptr,
};

}  // namespace

std::string error_name(int code) {
  if (code == kNoError) return "0";
  for (const Named& n : kNames)
    if (n.code == code) return n.name;
  return std::to_string(code);
}

std::optional<int> parse_error_name(std::string_view text) {
  for (const Named& n : kNames)
    if (text == n.name) return n.code;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  return std::nullopt;
}

const char* const* error_names() { return kNameList; }

int win32_error_of(int status) {
  switch (status) {
    case WSAECONNRESET: return ERROR_NETNAME_DELETED;      // STATUS_CONNECTION_RESET
    case WSAECONNABORTED: return ERROR_CONNECTION_ABORTED;  // STATUS_CONNECTION_ABORTED
    default: return status;                                 // 995, 1236 and 64 are Win32's own
  }
}

int winsock_error_of(int status) {
  switch (status) {
    case ERROR_CONNECTION_ABORTED: return WSAECONNABORTED;  // C14
    case ERROR_NETNAME_DELETED: return WSAECONNRESET;
    default: return status;  // 995 is WSA_OPERATION_ABORTED too
  }
}

}  // namespace closesim
