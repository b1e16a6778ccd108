// The one place call names are spelled (besides the language reference, which a test keeps in
// step with this table).
#include "closesim/base/call_table.h"

#include "closesim/base/check.h"

namespace closesim {

namespace {

using K = ParamKind;
using O = CallOption;

const ParamSpec kSocket{"s", K::Socket, {}};
const ParamSpec kBytes{"N", K::Bytes, {}};
const ParamSpec kOp{"o1", K::Op, {}};
const ParamSpec kNotify{"event=e | apc | port=p", K::Notify, {}};
const ParamSpec kTimeout{"timeout", K::Timeout, {}};
const ParamSpec kProtocol{"tcp|udp", K::Keyword, {{"tcp", O::Tcp}, {"udp", O::Udp}}};
const ParamSpec kSocketFlag{"overlapped|nonblocking", K::Keyword,
                            {{"overlapped", O::Overlapped}, {"nonblocking", O::NonBlocking}}};

const ParamSpec kReadSet{"read={s...}", K::SocketSet, {{"read", O::None}}};
const ParamSpec kWriteSet{"write={s...}", K::SocketSet, {{"write", O::None}}};
const ParamSpec kExceptSet{"except={s...}", K::SocketSet, {{"except", O::None}}};
const ParamSpec kPollFd{"{s, POLL...}", K::PollFd, {}};
const ParamSpec kAddressListChange{"SIO_ADDRESS_LIST_CHANGE", K::Keyword,
                                   {{"SIO_ADDRESS_LIST_CHANGE", O::SioAddressListChange}}};

constexpr std::uint8_t kValueOrError = kReturnsValue | kReturnsError;
constexpr std::uint8_t kOkOrError = kReturnsOk | kReturnsError;

std::vector<CallSpec> make_table() {
  return {
      {CallId::Socket, "socket", "WSPSocket", "socket(tcp|udp [, overlapped] [, nonblocking])",
       {{kProtocol}, {kProtocol, kSocketFlag}, {kProtocol, kSocketFlag, kSocketFlag}},
       Makes::Socket, kOkOrError, "makes a socket and its descriptor"},
      {CallId::Connect, "connect", "WSPConnect", "connect(s)", {{kSocket}}, Makes::Nothing,
       kValueOrError, "connects to the peer application"},
      {CallId::Listen, "listen", "WSPListen", "listen(s)", {{kSocket}}, Makes::Nothing,
       kValueOrError, "makes the socket accept connections from peer(s) connect"},
      {CallId::Accept, "accept", "WSPAccept", "c = accept(s)", {{kSocket}}, Makes::Socket,
       kOkOrError, "takes a connection off the listener's backlog (blocks until one comes)"},
      {CallId::Send, "send", "WSPSend", "send(s, N)", {{kSocket, kBytes}}, Makes::Nothing,
       kValueOrError, "queues N bytes; blocks while the send queue is full"},
      {CallId::Recv, "recv", "WSPRecv", "recv(s, N)", {{kSocket, kBytes}}, Makes::Nothing,
       kValueOrError, "reads up to N bytes; blocks until data, FIN or RST"},
      {CallId::WSASend, "WSASend", "WSPSend", "WSASend(s, N, o1 [, event=e | apc | port=p])",
       {{kSocket, kBytes, kOp}, {kSocket, kBytes, kOp, kNotify}}, Makes::Nothing,
       kValueOrError | kReturnsPending, "an overlapped send named o1"},
      {CallId::WSARecv, "WSARecv", "WSPRecv", "WSARecv(s, N, o1 [, event=e | apc | port=p])",
       {{kSocket, kBytes, kOp}, {kSocket, kBytes, kOp, kNotify}}, Makes::Nothing,
       kValueOrError | kReturnsPending, "an overlapped receive named o1"},
      {CallId::SetSockOpt, "setsockopt", "WSPSetSockOpt",
       "setsockopt(s, SO_LINGER, onoff, seconds) or setsockopt(s, SO_DONTLINGER, 0|1)",
       {{kSocket, {"SO_LINGER", K::Keyword, {{"SO_LINGER", O::SoLinger}}}, {"onoff", K::Switch, {}},
         {"seconds", K::Seconds, {}}},
        {kSocket, {"SO_DONTLINGER", K::Keyword, {{"SO_DONTLINGER", O::SoDontLinger}}},
         {"0|1", K::Switch, {}}}},
       Makes::Nothing, kValueOrError, "sets the linger options a close follows (R7-R10)"},
      {CallId::IoctlSocket, "ioctlsocket", "WSPIoctl", "ioctlsocket(s, FIONBIO, 0|1)",
       {{kSocket, {"FIONBIO", K::Keyword, {{"FIONBIO", O::FionBio}}}, {"0|1", K::Switch, {}}}},
       Makes::Nothing, kValueOrError, "makes the socket non-blocking (1) or blocking (0)"},
      {CallId::Shutdown, "shutdown", "WSPShutdown", "shutdown(s, SD_SEND|SD_RECEIVE|SD_BOTH)",
       {{kSocket,
         {"SD_SEND|SD_RECEIVE|SD_BOTH", K::Keyword,
          {{"SD_SEND", O::SdSend}, {"SD_RECEIVE", O::SdReceive}, {"SD_BOTH", O::SdBoth}}}}},
       Makes::Nothing, kValueOrError, "ends a direction; the descriptor stays valid (R13)"},
      {CallId::CloseSocket, "closesocket", "WSPCloseSocket", "closesocket(s)", {{kSocket}},
       Makes::Nothing, kValueOrError, "closes the descriptor (R1-R12)"},
      {CallId::WSADuplicateSocket, "WSADuplicateSocket", "WSPDuplicateSocket",
       "info = WSADuplicateSocket(s, B)", {{kSocket, {"B", K::Process, {}}}}, Makes::Info,
       kOkOrError, "a protocol info with which process B opens the same socket"},
      {CallId::WSASocket, "WSASocket", "WSPSocket", "d = WSASocket(info)",
       {{{"info", K::Info, {}}}}, Makes::Socket, kOkOrError,
       "opens a duplicate from a protocol info (R6)"},
      {CallId::CreateIoCompletionPort, "CreateIoCompletionPort", "",
       "p = CreateIoCompletionPort(s [, p], key)",
       {{kSocket, {"key", K::Key, {}}}, {kSocket, {"p", K::Port, {}}, {"key", K::Key, {}}}},
       Makes::Port, kOkOrError, "makes a completion port, or adds the socket to one", true},
      {CallId::GetQueuedCompletionStatus, "GetQueuedCompletionStatus", "",
       "GetQueuedCompletionStatus(p [, timeout])",
       {{{"p", K::Port, {}}}, {{"p", K::Port, {}}, kTimeout}}, Makes::Nothing,
       kReturnsCompletion | kReturnsWait | kReturnsError, "dequeues one completion packet", true},
      {CallId::WaitForSingleObject, "WaitForSingleObject", "", "WaitForSingleObject(e [, timeout])",
       {{{"e", K::Event, {}}}, {{"e", K::Event, {}}, kTimeout}}, Makes::Nothing,
       kReturnsWait | kReturnsError, "waits for an event", true},
      {CallId::SleepEx, "SleepEx", "", "SleepEx(timeout, alertable)",
       {{kTimeout, {"alertable", K::Switch, {}}}}, Makes::Nothing, kReturnsValue | kReturnsWait,
       "sleeps; an alertable sleep runs queued completion routines", true},
      {CallId::WSACreateEvent, "WSACreateEvent", "", "e = WSACreateEvent()", {{}}, Makes::Event,
       kOkOrError, "makes an event object"},
      {CallId::WSAEventSelect, "WSAEventSelect", "WSPEventSelect",
       "WSAEventSelect(s, e, FD_READ|FD_CLOSE...)",
       {{kSocket, {"e", K::Event, {}}, {"FD_...", K::EventMask, {}}}}, Makes::Nothing,
       kValueOrError, "signals e on the network events in the mask (R12)"},
      {CallId::WSAStartup, "WSAStartup", "WSPStartup", "WSAStartup()", {{}}, Makes::Nothing,
       kValueOrError, "adds one to the process's start count"},
      {CallId::WSACleanup, "WSACleanup", "WSPCleanup", "WSACleanup()", {{}}, Makes::Nothing,
       kValueOrError, "the last one closes every descriptor of the process (R14)"},
      {CallId::CancelIo, "CancelIo", "", "CancelIo(s)", {{kSocket}}, Makes::Nothing,
       kValueOrError,
       "cancels the overlapped operations this thread issued on s; they complete with "
       "WSA_OPERATION_ABORTED", true},
      {CallId::CancelIoEx, "CancelIoEx", "", "CancelIoEx(s [, o1])",
       {{kSocket}, {kSocket, kOp}}, Makes::Nothing, kValueOrError,
       "cancels every overlapped operation on s (or just o1); FALSE ERROR_NOT_FOUND if none", true},
      // --- readiness, options and completion status ---
      {CallId::Select, "select", "WSPSelect",
       "select(read={s...}, write={s...}, except={s...} [, timeout]) = N read={...} ...",
       {{kReadSet, kWriteSet, kExceptSet}, {kReadSet, kWriteSet, kExceptSet, kTimeout}},
       Makes::Nothing, kValueOrError,
       "waits until a socket of a set is ready; reports the count and the sockets left in each set "
       "(C28, C30)", false, Outputs::SocketSets},
      {CallId::WSAPoll, "WSAPoll", "",
       "WSAPoll({s, POLLRDNORM|POLLWRNORM}..., timeout) = N s=POLL...",
       {{kPollFd, kTimeout}, {kPollFd, kPollFd, kTimeout}, {kPollFd, kPollFd, kPollFd, kTimeout},
        {kPollFd, kPollFd, kPollFd, kPollFd, kTimeout}},
       Makes::Nothing, kValueOrError,
       "waits until a socket has an event asked for; reports each socket's revents, POLLHUP, "
       "POLLERR and POLLNVAL whether asked or not (C32, C34)", false, Outputs::PollEvents},
      {CallId::GetSockOpt, "getsockopt", "WSPGetSockOpt",
       "getsockopt(s, SO_LINGER|SO_DONTLINGER|SO_ERROR|SO_TYPE) = 0 optval=...",
       {{kSocket,
         {"SO_LINGER|SO_DONTLINGER|SO_ERROR|SO_TYPE", K::Keyword,
          {{"SO_LINGER", O::SoLinger}, {"SO_DONTLINGER", O::SoDontLinger},
           {"SO_ERROR", O::SoError}, {"SO_TYPE", O::SoType}}}}},
       Makes::Nothing, kValueOrError,
       "reads an option; a failed call leaves optval untouched (C1, C8)", false,
       Outputs::OptionValue},
      {CallId::GetOverlappedResult, "GetOverlappedResult", "",
       "GetOverlappedResult(s, o1 [, wait]) = 1 bytes=N",
       {{kSocket, kOp}, {kSocket, kOp, {"wait", K::Switch, {}}}}, Makes::Nothing, kValueOrError,
       "the Win32 status of o1: FALSE ERROR_CONNECTION_ABORTED, ERROR_OPERATION_ABORTED... "
       "(C14, C17); wait=1 blocks until it completes", true, Outputs::Transferred},
      {CallId::WSAGetOverlappedResult, "WSAGetOverlappedResult", "WSPGetOverlappedResult",
       "WSAGetOverlappedResult(s, o1 [, wait]) = 1 bytes=N",
       {{kSocket, kOp}, {kSocket, kOp, {"wait", K::Switch, {}}}}, Makes::Nothing, kValueOrError,
       "the Winsock error of o1: FALSE WSAECONNABORTED, WSA_OPERATION_ABORTED... (C14, C40); "
       "wait=1 blocks until it completes", false, Outputs::Transferred},
      // Network events (C42-C47).
      {CallId::WSAEnumNetworkEvents, "WSAEnumNetworkEvents", "WSPEnumNetworkEvents",
       "WSAEnumNetworkEvents(s [, e])", {{kSocket}, {kSocket, {"e", K::Event, {}}}},
       Makes::Nothing, kReturnsValue | kReturnsEvents | kReturnsError,
       "reports and clears the network events recorded for s, each with its error code; resets e"},
      {CallId::WSAResetEvent, "WSAResetEvent", "", "WSAResetEvent(e)", {{{"e", K::Event, {}}}},
       Makes::Nothing, kValueOrError, "makes the event non-signalled; = 1 (TRUE)"},
      // --- the accept path, datagrams, threads, ioctls ---
      {CallId::AcceptEx, "AcceptEx", "WSPIoctl",
       "AcceptEx(s, a, N, o1 [, event=e | port=p])",
       {{kSocket, {"a", K::Socket, {}}, kBytes, kOp},
        {kSocket, {"a", K::Socket, {}}, kBytes, kOp, {"event=e | port=p", K::Notify, {}}}},
       Makes::Nothing, kValueOrError | kReturnsPending,
       "an overlapped accept named o1 into socket a; N > 0 waits for the first N bytes too"},
      {CallId::Bind, "bind", "WSPBind", "bind(s)", {{kSocket}}, Makes::Nothing, kValueOrError,
       "gives the socket a local address (a UDP socket can then receive datagrams)"},
      {CallId::SendTo, "sendto", "WSPSendTo", "sendto(s, N)", {{kSocket, kBytes}},
       Makes::Nothing, kValueOrError, "sends a datagram of N bytes to peer(s)"},
      {CallId::RecvFrom, "recvfrom", "WSPRecvFrom", "recvfrom(s, N)", {{kSocket, kBytes}},
       Makes::Nothing, kValueOrError, "reads up to N bytes of a datagram; blocks until one comes"},
      {CallId::WSARecvFrom, "WSARecvFrom", "WSPRecvFrom",
       "WSARecvFrom(s, N, o1 [, event=e | apc | port=p])",
       {{kSocket, kBytes, kOp}, {kSocket, kBytes, kOp, kNotify}}, Makes::Nothing,
       kValueOrError | kReturnsPending, "an overlapped datagram receive named o1"},
      {CallId::ExitThread, "ExitThread", "", "ExitThread()", {{}}, Makes::Nothing,
       kValueOrError, "ends the calling thread; its pending overlapped I/O stays pending (C24)",
       true},
      {CallId::WSAIoctl, "WSAIoctl", "WSPIoctl",
       "WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE [, o1 [, event=e | apc | port=p]])",
       {{kSocket, kAddressListChange},
        {kSocket, kAddressListChange, kOp},
        {kSocket, kAddressListChange, kOp, kNotify}},
       Makes::Nothing, kValueOrError | kReturnsPending,
       "waits for the local address list to change (never, in the model) until cancelled"},
      // --- handles and window messages ---
      {CallId::CloseHandle, "CloseHandle", "", "CloseHandle(s)", {{kSocket}}, Makes::Nothing,
       kValueOrError,
       "closes the socket's kernel handle: pending I/O is aborted and FD_CLOSE posted (C15), but "
       "Winsock keeps its entry: later calls on s fail WSAENOTSOCK (C54); = 1 (TRUE)", true},
      {CallId::WSAAsyncSelect, "WSAAsyncSelect", "WSPAsyncSelect",
       "WSAAsyncSelect(s, FD_READ|FD_CLOSE...)", {{kSocket, {"FD_...", K::EventMask, {}}}},
       Makes::Nothing, kValueOrError,
       "posts a WM_SOCKET message to the calling thread for each network event in the mask"},
      {CallId::PeekMessage, "PeekMessage", "", "PeekMessage() = 1 wParam=s lParam=0x20", {{}},
       Makes::Nothing, kValueOrError,
       "takes the calling thread's next WM_SOCKET message: = 1 with wParam (the socket) and "
       "lParam (event | error << 16), = 0 when there is none", true, Outputs::Message},
      {CallId::DuplicateHandle, "DuplicateHandle", "", "d = DuplicateHandle(s [, B])",
       {{kSocket}, {kSocket, {"B", K::Process, {}}}}, Makes::Socket, kOkOrError,
       "a second kernel handle to s's socket, in this process or process B; Winsock does not "
       "know it (C40: its calls fail WSAENOTSOCK) and it keeps the socket open (C39)", true},
  };
}

}  // namespace

const std::vector<CallSpec>& call_table() {
  static const std::vector<CallSpec> table = [] {
    std::vector<CallSpec> t = make_table();
    for (std::size_t i = 0; i < t.size(); ++i)
      CLOSESIM_CHECK(static_cast<std::size_t>(t[i].id) == i + 1);  // CallId order, no gaps
    return t;
  }();
  return table;
}

const CallSpec& call_spec(CallId id) {
  CLOSESIM_CHECK(id != CallId::None);
  return call_table().at(static_cast<std::size_t>(id) - 1);
}

std::optional<CallId> find_call_id(std::string_view name) {
  for (const CallSpec& s : call_table())
    if (s.name == name) return s.id;
  return std::nullopt;
}

std::string_view call_name(CallId id) { return id == CallId::None ? "" : call_spec(id).name; }

std::string_view wsp_name(CallId id) { return id == CallId::None ? "" : call_spec(id).wsp; }

std::string_view option_word(CallOption option) {
  if (option == CallOption::None) return "";
  for (const CallSpec& s : call_table())
    for (const auto& form : s.forms)
      for (const ParamSpec& p : form)
        for (const ParamWord& w : p.words)
          if (w.option == option) return w.word;
  return "";
}

bool is_kernel_call(CallId id) { return id != CallId::None && call_spec(id).kernel; }

bool refers_to_op(CallId id) {
  return id == CallId::CancelIoEx || id == CallId::GetOverlappedResult ||
         id == CallId::WSAGetOverlappedResult;
}
bool is_readiness_call(CallId id) { return id == CallId::Select || id == CallId::WSAPoll; }

bool is_send_call(CallId id) {
  return id == CallId::Send || id == CallId::WSASend || id == CallId::SendTo;
}
bool is_receive_call(CallId id) {
  return id == CallId::Recv || id == CallId::WSARecv || id == CallId::RecvFrom ||
         id == CallId::WSARecvFrom;
}
bool makes_descriptor(CallId id) {
  return id != CallId::None && call_spec(id).makes == Makes::Socket;
}

}  // namespace closesim
