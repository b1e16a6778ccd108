// Deliberate provider bugs. Each mutant is one small, named deviation from the close rules, so
// that the rule checker can be shown to catch it from the trace alone (`closesim mutants`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "closesim/base/rule_id.h"

namespace closesim {

enum class Mutant {
  None,
  ReleaseOnFirstReference,   // closing one duplicate disconnects and discards the socket
  NoAbort,                   // close leaves pending overlapped operations pending
  AbortWithoutCompletion,    // aborts complete with 995 but fire no event/APC/packet
  CompleteTwice,             // each aborted operation is completed twice
  HandBackTwice,             // WPUCloseSocketHandle called twice per close
  HandBackNever,             // WPUCloseSocketHandle never called
  HandBackBeforeAborts,      // the handle goes back before the aborts complete
  ReleaseOnWouldBlock,       // a WSAEWOULDBLOCK close still releases the handle
  IgnoreLingerTimeout,       // {1,t} waits for the drain however long it takes
  DropQueuedOnDontLinger,    // SO_DONTLINGER close discards queued data, then sends FIN
  FinInsteadOfRst,           // {1,0} sends FIN after the queue instead of RST
  BlockNonBlockingClose,     // {1,t} on a non-blocking socket blocks like a blocking one
  FdCloseAfterOwnClose,      // posts FD_CLOSE for the descriptor being closed
  WrongWakeError,            // a blocked call is woken with WSAECONNABORTED, not WSAEINTR
  LeaveBlockedCall,          // close leaves a blocked call parked
  AbortDuplicateOps,         // close aborts operations issued through other duplicates too
  CleanupFiresCompletions,   // WSACleanup's aborts still fire their completion actions
  ShutdownReleases,          // shutdown releases the descriptor as if it were a close
  StaleHandleRouting,        // a reused handle value still reaches the old socket's state
  SelectSkipsClosed,         // select skips a closed descriptor instead of failing WSAENOTSOCK
  // Network events (C42-C47).
  WrongFdCloseCode,          // FD_CLOSE after the peer's RST carries WSAECONNABORTED
  AcceptExOutlivesAcceptor,  // closing an AcceptEx's accept socket leaves the AcceptEx pending
  HandleCloseLeavesIo,       // CloseHandle of a socket's last handle leaves its I/O pending
};

struct MutantInfo {
  Mutant mutant;
  std::string_view name;     // "release-on-first-ref": what --mutant takes
  std::string_view breaks;   // one line: what it gets wrong
  RuleId target;             // the rule it is written to break
};

const std::vector<MutantInfo>& mutant_catalogue();  // every mutant except None, in enum order
std::optional<Mutant> parse_mutant(std::string_view name);
std::string_view mutant_name(Mutant m);  // "" for None

}  // namespace closesim
