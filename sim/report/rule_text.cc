// What each close rule means, in the words of docs/rules.md ("*Meaning.*" of each rule), for
// views that teach: the HTML step-through shows the rule behind the current step. A test holds
// these texts equal to the catalogue, so the page never says something the catalogue does not.
#include "report/rule_text.h"

namespace closesim::report {

std::string rule_meaning(RuleId rule) {
  switch (rule) {
    case RuleId::R1:
      return "Once a close has released a descriptor, every call that names it fails with "
             "WSAENOTSOCK, a second `closesocket` included, and touches nothing. The value may be "
             "handed to a new socket at once; from then on, calls on it act on the new socket and "
             "never reach the old one.";
    case RuleId::R2:
      return "A thread of the closing process blocked in a call on the descriptor (recv, send, "
             "accept …) is woken and its call fails with WSAEINTR. Threads blocked on another "
             "descriptor of the socket — a duplicate, in this or another process — are not "
             "affected unless this close was the last reference.";
    case RuleId::R3:
      return "Every overlapped operation pending on the descriptor, issued by any thread of the "
             "closing process, completes with WSA_OPERATION_ABORTED (995), and its event is "
             "signalled, its completion routine queued to the thread that issued it, or its packet "
             "posted to its port. Operations issued through another descriptor of the same socket "
             "go on.";
    case RuleId::R4:
      return "No operation is left pending for ever, none completes twice, none completes after "
             "the descriptor it was issued through was released. Completion routines run at most "
             "once, on the thread they were queued to.";
    case RuleId::R5:
      return "All of a descriptor's pending work ends before its handle is released, because the "
             "value may name a new socket a moment later and a late completion would reach the "
             "wrong one.";
    case RuleId::R6:
      return "Each duplicate adds a reference. Closing one descriptor releases that descriptor "
             "only: the connection stays up, queued data stays queued. Only the close of the last "
             "reference disconnects, applies linger and discards the socket.";
    case RuleId::R7:
      return "The last close of a TCP socket under SO_DONTLINGER returns 0 at once, on a blocking "
             "or a non-blocking socket, never WSAEWOULDBLOCK. Queued data is still sent, in order, "
             "in the background; then FIN; then the socket is discarded.";
    case RuleId::R8:
      return "The last close of a TCP socket with SO_LINGER {1,0} returns 0 at once, resets the "
             "connection (the peer sees RST, not FIN), discards unsent data and the socket's state "
             "at once.";
    case RuleId::R9:
      return "The last close of a blocking TCP socket with SO_LINGER {1,t>0} waits until the "
             "queued data is sent and acknowledged and FIN is sent — then returns 0 — or until t "
             "seconds have passed; then it resets the connection before returning, and still "
             "returns 0. It never waits longer.";
    case RuleId::R10:
      return "On a non-blocking socket, a last close with SO_LINGER {1,t>0} that cannot finish at "
             "once fails with WSAEWOULDBLOCK and changes nothing: the descriptor stays valid, no "
             "disconnect starts, nothing is released, nothing is aborted. The application may "
             "close again; it succeeds once the data has drained, after linger is changed to {1,0} "
             "or SO_DONTLINGER, or after `shutdown`. Closing a duplicate (not the last reference) "
             "never blocks and never fails with WSAEWOULDBLOCK, whatever the options; nor does "
             "closing a UDP socket.";
    case RuleId::R11:
      return "For every descriptor it closes successfully, a non-IFS provider calls "
             "`WPUCloseSocketHandle` exactly once, as its last act on that handle: after every "
             "aborted operation of the descriptor has completed and after the disconnect has "
             "started. Never for a close that failed. An IFS provider closes its file handle "
             "instead and never calls it. A layered provider closes the layer below first, then "
             "hands back its own handle.";
    case RuleId::R12:
      return "Once a process calls close on a descriptor, no network event (FD_CLOSE or any other) "
             "is posted for that descriptor, and notifications still pending for it are dropped.";
    case RuleId::R13:
      return "`shutdown(SD_SEND)` sends FIN after the queued data, and later sends fail with "
             "WSAESHUTDOWN; `shutdown(SD_RECEIVE)` makes later receives fail with WSAESHUTDOWN. "
             "Neither frees the descriptor or the socket: a close is still needed.";
    case RuleId::R14:
      return "Only the `WSACleanup` that brings a process's count to zero works. It resets (RST, "
             "no linger) every socket whose last reference the process held, and releases every "
             "descriptor the process still holds, as a close would. Operations pending then "
             "complete with 995 and *no* completion action. Sockets the process closed earlier and "
             "that are still draining keep draining. Afterwards the old descriptors fail with "
             "WSAENOTSOCK (or WSANOTINITIALISED until Winsock is started again).";
    case RuleId::None: break;
  }
  return "";
}

}  // namespace closesim::report
