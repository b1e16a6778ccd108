#include "closesim/world/mutant.h"

namespace closesim {

const std::vector<MutantInfo>& mutant_catalogue() {
  static const std::vector<MutantInfo> kCatalogue = {
      {Mutant::ReleaseOnFirstReference, "release-on-first-ref",
       "closing one duplicate disconnects and discards the shared socket", RuleId::R6},
      {Mutant::NoAbort, "no-abort", "close leaves pending overlapped operations pending", RuleId::R3},
      {Mutant::AbortWithoutCompletion, "abort-without-completion",
       "aborted operations fire no event, APC or completion packet", RuleId::R3},
      {Mutant::CompleteTwice, "complete-twice", "each aborted operation completes twice", RuleId::R4},
      {Mutant::HandBackTwice, "hand-back-twice", "WPUCloseSocketHandle is called twice per close",
       RuleId::R11},
      {Mutant::HandBackNever, "hand-back-never", "WPUCloseSocketHandle is never called", RuleId::R11},
      {Mutant::HandBackBeforeAborts, "hand-back-before-aborts",
       "the handle goes back before the aborted operations complete", RuleId::R5},
      {Mutant::ReleaseOnWouldBlock, "release-on-wouldblock",
       "a close that fails with WSAEWOULDBLOCK still releases the handle", RuleId::R10},
      {Mutant::IgnoreLingerTimeout, "ignore-linger-timeout",
       "linger {1,t} waits for the drain however long it takes", RuleId::R9},
      {Mutant::DropQueuedOnDontLinger, "drop-queued-on-dontlinger",
       "an SO_DONTLINGER close discards queued data before its FIN", RuleId::R7},
      {Mutant::FinInsteadOfRst, "fin-instead-of-rst",
       "linger {1,0} sends FIN after the queue instead of RST", RuleId::R8},
      {Mutant::BlockNonBlockingClose, "block-nonblocking-close",
       "linger {1,t} on a non-blocking socket blocks instead of WSAEWOULDBLOCK", RuleId::R10},
      {Mutant::FdCloseAfterOwnClose, "fd-close-after-own-close",
       "FD_CLOSE is posted for the descriptor being closed", RuleId::R12},
      {Mutant::WrongWakeError, "wrong-wake-error",
       "a blocked call woken by close fails with WSAECONNABORTED, not WSAEINTR", RuleId::R2},
      {Mutant::LeaveBlockedCall, "leave-blocked-call", "close leaves a blocked call parked",
       RuleId::R2},
      {Mutant::AbortDuplicateOps, "abort-duplicate-ops",
       "close aborts operations issued through other duplicates too", RuleId::R3},
      {Mutant::CleanupFiresCompletions, "cleanup-fires-completions",
       "WSACleanup's aborts still fire their completion actions", RuleId::R14},
      {Mutant::ShutdownReleases, "shutdown-releases",
       "shutdown releases the descriptor as if it were a close", RuleId::R13},
      {Mutant::StaleHandleRouting, "stale-handle-routing",
       "a reused handle value still reaches the old socket", RuleId::R1},
      {Mutant::SelectSkipsClosed, "select-skips-closed",
       "select treats a closed descriptor in its sets as a socket that is not ready", RuleId::R1},
      {Mutant::WrongFdCloseCode, "wrong-fd-close-code",
       "FD_CLOSE after the peer's RST carries WSAECONNABORTED, not WSAECONNRESET", RuleId::R12},
      {Mutant::AcceptExOutlivesAcceptor, "acceptex-outlives-acceptor",
       "closing an AcceptEx's accept socket leaves the AcceptEx pending", RuleId::R3},
      {Mutant::HandleCloseLeavesIo, "handle-close-leaves-io",
       "CloseHandle of a socket's last handle leaves its overlapped I/O pending", RuleId::R3},
  };
  return kCatalogue;
}

std::optional<Mutant> parse_mutant(std::string_view name) {
  if (name == "none" || name.empty()) return Mutant::None;
  for (const MutantInfo& m : mutant_catalogue())
    if (m.name == name) return m.mutant;
  return std::nullopt;
}

std::string_view mutant_name(Mutant m) {
  for (const MutantInfo& info : mutant_catalogue())
    if (info.mutant == m) return info.name;
  return "";
}

}  // namespace closesim
