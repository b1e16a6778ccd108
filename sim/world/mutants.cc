// The mutant units: each deliberate bug of the catalogue (closesim/world/mutant.h) is a layer
// over a correct provider that changes one decision. Nothing else in the model names a mutant.
#include "world/provider.h"
#include "world/world_state.h"

namespace closesim {

namespace {

#define CLOSESIM_MUTANT(Name, ...)                                  \
  class Name final : public ForwardingProvider {                    \
   public:                                                          \
    using ForwardingProvider::ForwardingProvider;                   \
    __VA_ARGS__                                                     \
  };

// R6: closing one duplicate disconnects and discards the shared socket.
CLOSESIM_MUTANT(ReleaseOnFirstReference,
                bool is_last_reference(const Socket&) const override { return true; })
// R3: close leaves pending overlapped operations pending.
CLOSESIM_MUTANT(NoAbort, bool aborts_overlapped(bool cleanup) const override { return cleanup; })
// R3: aborts fire no event, APC or packet.
CLOSESIM_MUTANT(AbortWithoutCompletion,
                bool fires_completion_on_abort(bool) const override { return false; })
// R4: each aborted operation completes twice.
CLOSESIM_MUTANT(CompleteTwice, int completions_per_abort() const override { return 2; })
// R11: WPUCloseSocketHandle twice per close.
CLOSESIM_MUTANT(HandBackTwice, int hand_backs(HandleKind kind) const override {
  return kind == HandleKind::Wpu ? 2 : ForwardingProvider::hand_backs(kind);
})
// R11: WPUCloseSocketHandle never called.
CLOSESIM_MUTANT(HandBackNever, int hand_backs(HandleKind kind) const override {
  return kind == HandleKind::Wpu ? 0 : ForwardingProvider::hand_backs(kind);
})
// R5: the handle goes back before the aborts complete.
CLOSESIM_MUTANT(HandBackBeforeAborts, bool hands_back_before_aborts() const override { return true; })
// R10: a WSAEWOULDBLOCK close still releases the handle.
CLOSESIM_MUTANT(ReleaseOnWouldBlock, bool releases_on_would_block() const override { return true; })
// R9: linger {1,t} waits for the drain however long it takes.
CLOSESIM_MUTANT(IgnoreLingerTimeout, bool times_out_linger() const override { return false; })
// R7: an SO_DONTLINGER close discards queued data before its FIN.
CLOSESIM_MUTANT(DropQueuedOnDontLinger,
                bool discards_queue_on_graceful_close() const override { return true; })
// R8: linger {1,0} sends FIN after the queue instead of RST.
CLOSESIM_MUTANT(FinInsteadOfRst,
                HardClose hard_close(const Socket&) const override { return HardClose::Graceful; })
// R10: linger {1,t} on a non-blocking socket blocks like a blocking one.
CLOSESIM_MUTANT(BlockNonBlockingClose,
                bool fails_nonblocking_linger_close() const override { return false; })
// R12: FD_CLOSE posted for the descriptor being closed.
CLOSESIM_MUTANT(FdCloseAfterOwnClose,
                bool posts_fd_close_for_own_close() const override { return true; })
// R2: a blocked call woken with WSAECONNABORTED, not WSAEINTR.
CLOSESIM_MUTANT(WrongWakeError, int wake_error() const override { return WSAECONNABORTED; })
// R2: close leaves a blocked call parked.
CLOSESIM_MUTANT(LeaveBlockedCall,
                bool wakes_blocked_call(bool cleanup) const override { return cleanup; })
// R3: close aborts operations issued through other duplicates too.
CLOSESIM_MUTANT(AbortDuplicateOps,
                bool aborts(const PendingOp& op, bool mine, bool last, bool cleanup) const override {
                  return !cleanup || ForwardingProvider::aborts(op, mine, last, cleanup);
                })
// R14: WSACleanup's aborts still fire their completion actions.
CLOSESIM_MUTANT(CleanupFiresCompletions, bool fires_completion_on_abort(bool cleanup) const override {
  return cleanup || ForwardingProvider::fires_completion_on_abort(cleanup);
})
// R13: shutdown releases the descriptor as if it were a close.
CLOSESIM_MUTANT(ShutdownReleases, bool shutdown_releases() const override { return true; })
// R1: a reused handle value still reaches the old socket's state.
CLOSESIM_MUTANT(StaleHandleRouting,
                bool routes_reused_value_to_old_socket() const override { return true; })

// R1: select treats a closed descriptor in its sets as a socket that is not ready.
CLOSESIM_MUTANT(SelectSkipsClosed,
                bool select_fails_on_closed_socket() const override { return false; })
// R12 (C43's departure, made where the documents hold): FD_CLOSE after the peer's RST reports
// WSAECONNABORTED, so an application cannot tell a reset from a local abort.
CLOSESIM_MUTANT(WrongFdCloseCode,
                int fd_close_error_after_reset() const override { return WSAECONNABORTED; })
// R3: closing the accept socket of a pending AcceptEx leaves the AcceptEx pending (only closing
// its listener aborts it).
CLOSESIM_MUTANT(AcceptExOutlivesAcceptor,
                bool acceptor_close_aborts_accept() const override { return false; })
// R3 (C15): CloseHandle closes the socket but leaves what was pending on it pending.
CLOSESIM_MUTANT(HandleCloseLeavesIo, bool handle_close_aborts() const override { return false; })

#undef CLOSESIM_MUTANT

template <typename Layer>
std::unique_ptr<Provider> wrap(std::unique_ptr<Provider> base) {
  return std::make_unique<Layer>(std::move(base));
}

}  // namespace

std::unique_ptr<Provider> with_mutant(Mutant mutant, std::unique_ptr<Provider> base) {
  switch (mutant) {
    case Mutant::None: return base;
    case Mutant::ReleaseOnFirstReference: return wrap<ReleaseOnFirstReference>(std::move(base));
    case Mutant::NoAbort: return wrap<NoAbort>(std::move(base));
    case Mutant::AbortWithoutCompletion: return wrap<AbortWithoutCompletion>(std::move(base));
    case Mutant::CompleteTwice: return wrap<CompleteTwice>(std::move(base));
    case Mutant::HandBackTwice: return wrap<HandBackTwice>(std::move(base));
    case Mutant::HandBackNever: return wrap<HandBackNever>(std::move(base));
    case Mutant::HandBackBeforeAborts: return wrap<HandBackBeforeAborts>(std::move(base));
    case Mutant::ReleaseOnWouldBlock: return wrap<ReleaseOnWouldBlock>(std::move(base));
    case Mutant::IgnoreLingerTimeout: return wrap<IgnoreLingerTimeout>(std::move(base));
    case Mutant::DropQueuedOnDontLinger: return wrap<DropQueuedOnDontLinger>(std::move(base));
    case Mutant::FinInsteadOfRst: return wrap<FinInsteadOfRst>(std::move(base));
    case Mutant::BlockNonBlockingClose: return wrap<BlockNonBlockingClose>(std::move(base));
    case Mutant::FdCloseAfterOwnClose: return wrap<FdCloseAfterOwnClose>(std::move(base));
    case Mutant::WrongWakeError: return wrap<WrongWakeError>(std::move(base));
    case Mutant::LeaveBlockedCall: return wrap<LeaveBlockedCall>(std::move(base));
    case Mutant::AbortDuplicateOps: return wrap<AbortDuplicateOps>(std::move(base));
    case Mutant::CleanupFiresCompletions: return wrap<CleanupFiresCompletions>(std::move(base));
    case Mutant::ShutdownReleases: return wrap<ShutdownReleases>(std::move(base));
    case Mutant::StaleHandleRouting: return wrap<StaleHandleRouting>(std::move(base));
    case Mutant::SelectSkipsClosed: return wrap<SelectSkipsClosed>(std::move(base));
    case Mutant::WrongFdCloseCode: return wrap<WrongFdCloseCode>(std::move(base));
    case Mutant::AcceptExOutlivesAcceptor: return wrap<AcceptExOutlivesAcceptor>(std::move(base));
    case Mutant::HandleCloseLeavesIo: return wrap<HandleCloseLeavesIo>(std::move(base));
  }
  return base;
}

}  // namespace closesim
