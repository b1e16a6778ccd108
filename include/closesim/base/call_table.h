// The calls of the Winsock surface the simulator models, one row each: the name a script and a
// report spell, the WSP entry point the Winsock DLL routes it to, its parameters, what it makes
// and the result forms it can return. Every layer reads this table; no other place lists calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace closesim {

// A call as the trace, the world and the reports carry it.
enum class CallId : std::uint8_t {
  None,  // no call (a record that is not about one)
  Socket, Connect, Listen, Accept, Send, Recv, WSASend, WSARecv, SetSockOpt, IoctlSocket,
  Shutdown, CloseSocket, WSADuplicateSocket, WSASocket, CreateIoCompletionPort,
  GetQueuedCompletionStatus, WaitForSingleObject, SleepEx, WSACreateEvent, WSAEventSelect,
  WSAStartup, WSACleanup, CancelIo, CancelIoEx,
  // Readiness, options and completion status (C1, C8, C14, C17, C28-C34).
  Select, WSAPoll, GetSockOpt, GetOverlappedResult, WSAGetOverlappedResult,
  // Network events (C42-C47).
  WSAEnumNetworkEvents, WSAResetEvent,
  // The accept path, datagrams, threads and ioctls (C9, C19-C24, C31, C36).
  AcceptEx, Bind, SendTo, RecvFrom, WSARecvFrom, ExitThread, WSAIoctl,
  // Handles and window messages (C15, C47, C54).
  CloseHandle, WSAAsyncSelect, PeekMessage, DuplicateHandle,
};

// The keyword a call was given that selects its variant, carried structured in the trace so
// that no reader has to search argument text.
enum class CallOption : std::uint8_t {
  None,
  Tcp, Udp,                          // socket
  Overlapped, NonBlocking,           // socket's flags (carried in value/value2 of the trace)
  SoLinger, SoDontLinger,            // setsockopt
  FionBio,                           // ioctlsocket
  SdReceive, SdSend, SdBoth,         // shutdown
  SoError, SoType,                   // getsockopt (with SoLinger, SoDontLinger)
  SioAddressListChange,              // WSAIoctl
};

// What one argument is. The first five name something a step made (the name check reads them).
enum class ParamKind : std::uint8_t {
  Socket,     // a descriptor name
  Event,      // an event made by WSACreateEvent
  Port,       // a completion port made by CreateIoCompletionPort
  Info,       // a protocol info made by WSADuplicateSocket
  Op,         // an overlapped operation's label, made by the call that takes it (o1)
  Process,    // a process name
  Keyword,    // one of `words`
  Bytes,      // a byte count
  Switch,     // 0 or 1 without a unit
  Seconds,    // whole seconds without a unit (SO_LINGER's l_linger)
  Timeout,    // a duration, plain milliseconds or INFINITE
  Notify,     // the completion action: event=e | apc | port=p
  EventMask,  // FD_* flags
  Key,        // a completion key: a number or a name
  SocketSet,  // select's fd_set: `read={s1, s2}` (the key is the parameter's one word)
  PollFd,     // one WSAPOLLFD: `{s, POLLRDNORM|POLLWRNORM}` (the socket and the events asked)
};

// What a call reports besides its return value, written after the result as KEY=VALUE
// (`= 1 read={s}`, `= 1 s=POLLNVAL`, `= 0 optval={1, 5}`, `= FALSE ERROR_... bytes=0`).
enum class Outputs : std::uint8_t {
  None,
  SocketSets,   // select: read={...} write={...} except={...}, the sockets left in each set
  PollEvents,   // WSAPoll: NAME=POLL... for each socket, its revents (0 for none)
  OptionValue,  // getsockopt: optval=N, optval={onoff, seconds} (SO_LINGER), optval=SOCK_STREAM
                // or optval=untouched (a failed call writes nothing, C1)
  Transferred,  // GetOverlappedResult, WSAGetOverlappedResult: bytes=N
  Message,      // PeekMessage: wParam=s (the socket), lParam=0x20 (WSAMAKESELECTREPLY)
};

// What a call's result may be named as (`s = socket(tcp)`).
enum class Makes : std::uint8_t { Nothing, Socket, Event, Port, Info };

// The result forms a call can return, as bits (the expectation a step may state).
enum ResultForm : std::uint8_t {
  kReturnsValue = 1,       // a number (0, bytes)
  kReturnsOk = 2,          // `ok`: a handle or object was made
  kReturnsError = 4,       // SOCKET_ERROR / INVALID_SOCKET / FALSE with an error
  kReturnsPending = 8,     // WSA_IO_PENDING
  kReturnsWait = 16,       // WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_IO_COMPLETION
  kReturnsCompletion = 32, // a dequeued completion packet
  kReturnsEvents = 64,     // WSAEnumNetworkEvents: the recorded events and their error codes
};

struct ParamWord {
  std::string_view word;  // "SO_LINGER"
  CallOption option = CallOption::None;
};

struct ParamSpec {
  std::string_view name;  // as the usage line shows it
  ParamKind kind = ParamKind::Socket;
  std::vector<ParamWord> words;  // Keyword: the words accepted
};

struct CallSpec {
  CallId id = CallId::None;
  std::string_view name;  // "closesocket": what scripts and reports spell
  std::string_view wsp;   // "WSPCloseSocket"; "" when the call never reaches the provider
  std::string_view usage; // "closesocket(s)"
  std::vector<std::vector<ParamSpec>> forms;  // the argument lists accepted
  Makes makes = Makes::Nothing;
  std::uint8_t results = 0;  // ResultForm bits
  std::string_view does;     // one line for the language reference
  bool kernel = false;       // a kernel32 call: the Winsock DLL never sees it
  Outputs outputs = Outputs::None;  // what the result may report after the value
};

// Every call, in CallId order (without None).
const std::vector<CallSpec>& call_table();
// REQUIRES: id != CallId::None.
const CallSpec& call_spec(CallId id);
std::optional<CallId> find_call_id(std::string_view name);
// "closesocket"; "" for None.
std::string_view call_name(CallId id);
// "WSPCloseSocket"; "" when the call does not reach the provider.
std::string_view wsp_name(CallId id);
std::string_view option_word(CallOption option);  // "SO_LINGER"; "" for None

// Families the model and the checker ask about.
bool is_send_call(CallId id);     // send, WSASend, sendto
bool is_receive_call(CallId id);  // recv, WSARecv, recvfrom, WSARecvFrom
bool makes_descriptor(CallId id); // socket, accept, WSASocket
bool is_kernel_call(CallId id);   // CreateIoCompletionPort, waits, CancelIo...
// An Op argument that names an operation an earlier WSASend/WSARecv issued (CancelIoEx,
// GetOverlappedResult) rather than a new one.
bool refers_to_op(CallId id);
// select and WSAPoll: calls that watch several sockets at once (the trace's handle is the first).
bool is_readiness_call(CallId id);

}  // namespace closesim

// fmt prints a CallId as its name.
template <>
struct fmt::formatter<closesim::CallId> : fmt::formatter<std::string_view> {
  auto format(closesim::CallId id, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(closesim::call_name(id), ctx);
  }
};
