// A service provider as a unit: every decision the close path makes (R2-R14) is one virtual
// question here, so that the world's close code states the order of the steps and a provider
// states what each step does. `ifs` and `nonifs` answer from the documents and the profile;
// an `lsp:` layer and each mutant are wrappers (ForwardingProvider) that change one answer.
// Private to sim/world.
//
// Invariant: decisions read the socket and operation they are given and nothing else; they
// never change state (the world does, in the order docs/trace.md fixes).
#pragma once

#include <memory>

#include "closesim/base/errors.h"
#include "closesim/base/trace.h"
#include "closesim/world/world.h"

namespace closesim {

struct Socket;
struct PendingOp;

// How a linger {1,0} close ends the connection (R8).
enum class HardClose { Reset, Graceful };

class Provider {
 public:
  virtual ~Provider() = default;

  // --- shape (R11) ---
  virtual HandleKind base_handle_kind() const = 0;  // IFS: a file handle; non-IFS: a WPU handle
  virtual bool layered() const = 0;                 // an LSP sits above the base provider
  // The kind of the descriptor the application holds.
  HandleKind top_handle_kind() const { return layered() ? HandleKind::Wpu : base_handle_kind(); }

  // --- which close is the last (R6) ---
  virtual bool is_last_reference(const Socket& s) const = 0;

  // --- aborts (R2, R3, R4, R14) ---
  // Whether a close of one descriptor aborts `op`: `mine` = issued through that descriptor,
  // `last` = the socket's last descriptor, `cleanup` = WSACleanup's close (R14).
  virtual bool aborts(const PendingOp& op, bool mine, bool last, bool cleanup) const = 0;
  virtual bool wakes_blocked_call(bool cleanup) const = 0;      // R2
  virtual int wake_error() const = 0;                           // R2: WSAEINTR
  virtual bool aborts_overlapped(bool cleanup) const = 0;       // R3
  virtual int abort_status(const PendingOp& op, const Socket& s) const = 0;  // R3: 995
  virtual bool fires_completion_on_abort(bool cleanup) const = 0;  // R3 yes, R14 no
  virtual int completions_per_abort() const = 0;                // R4: exactly one

  // --- the hand-back (R5, R11) ---
  virtual int hand_backs(HandleKind kind) const = 0;            // calls per released descriptor
  virtual bool hands_back_before_aborts() const = 0;            // R5: never

  // --- linger (R7-R10) ---
  virtual bool refuses_linger(const Socket& s) const = 0;
  virtual bool fails_nonblocking_linger_close() const = 0;      // R10: WSAEWOULDBLOCK
  virtual bool releases_on_would_block() const = 0;             // R10: keeps the descriptor
  virtual bool times_out_linger() const = 0;                    // R9
  virtual bool discards_queue_on_graceful_close() const = 0;    // R7: never
  virtual HardClose hard_close(const Socket& s) const = 0;      // R8: reset
  virtual bool resets_on_close(const Socket& s) const = 0;      // abortive whatever linger says
  virtual bool rst_discards_unread_data() const = 0;

  // --- network events, shutdown, routing (R12, R13, R1) ---
  virtual bool posts_fd_close_for_own_close() const = 0;        // R12: never
  virtual bool shutdown_releases() const = 0;                   // R13: never
  // The Winsock DLL asks: does a reused handle value reach the socket it named before? (R1)
  virtual bool routes_reused_value_to_old_socket() const = 0;

  // --- select and WSAPoll (readiness.cc) ---
  // A close of a socket that a select or WSAPoll waits on: true = the call returns with the
  // socket reported (select: readable, C28; WSAPoll: POLLNVAL, C32); false = it is interrupted
  // like any blocked call (R2: wake_error()).
  virtual bool close_reports_watched_socket_ready() const = 0;
  // select given a value that is no longer a descriptor fails at once with WSAENOTSOCK and
  // leaves the sets alone (R1, C30).
  virtual bool select_fails_on_closed_socket() const = 0;
  // --- the peer's side of a close (C5, C6, C17, C43) ---
  // The status of a pending operation failed by the peer's RST: WSAECONNRESET.
  virtual int reset_status(const PendingOp& op) const = 0;
  // ... by a connection aborted from outside: WSAECONNABORTED.
  virtual int connection_aborted_status(const PendingOp& op) const = 0;
  // FD_CLOSE's error code once the peer's RST arrived: WSAECONNRESET.
  virtual int fd_close_error_after_reset() const = 0;
  // Whether shutdown(SD_RECEIVE) with received data unread resets the connection: no (R13).
  virtual bool resets_on_receive_shutdown(const Socket& s) const = 0;
  // --- the accept path, datagrams, threads ---
  // Closing an AcceptEx's accept socket aborts the AcceptEx, as closing its listener does (R3).
  virtual bool acceptor_close_aborts_accept() const = 0;
  // Whether shutdown of the receiving side ends a recvfrom blocked on a UDP socket (C36).
  virtual bool shutdown_wakes_datagram_receive() const = 0;
  // Whether a thread's pending overlapped I/O is cancelled when it exits (C24).
  virtual bool cancels_io_of_exiting_thread() const = 0;
  // --- CloseHandle on an IFS socket's handle (close_handle.cc) ---
  // The last handle's close aborts what is pending, as closesocket does (C15).
  virtual bool handle_close_aborts() const = 0;
  // ... and posts FD_CLOSE, error 0, to a selection no closesocket dropped (C15, C47).
  virtual bool posts_fd_close_for_handle_close() const = 0;
};

// Passes every question to the provider below; a layer overrides what it changes.
class ForwardingProvider : public Provider {
 public:
  explicit ForwardingProvider(std::unique_ptr<Provider> inner) : inner_(std::move(inner)) {}

  HandleKind base_handle_kind() const override { return inner_->base_handle_kind(); }
  bool layered() const override { return inner_->layered(); }
  bool is_last_reference(const Socket& s) const override { return inner_->is_last_reference(s); }
  bool aborts(const PendingOp& op, bool mine, bool last, bool cleanup) const override {
    return inner_->aborts(op, mine, last, cleanup);
  }
  bool wakes_blocked_call(bool cleanup) const override { return inner_->wakes_blocked_call(cleanup); }
  int wake_error() const override { return inner_->wake_error(); }
  bool aborts_overlapped(bool cleanup) const override { return inner_->aborts_overlapped(cleanup); }
  int abort_status(const PendingOp& op, const Socket& s) const override {
    return inner_->abort_status(op, s);
  }
  bool fires_completion_on_abort(bool cleanup) const override {
    return inner_->fires_completion_on_abort(cleanup);
  }
  int completions_per_abort() const override { return inner_->completions_per_abort(); }
  int hand_backs(HandleKind kind) const override { return inner_->hand_backs(kind); }
  bool hands_back_before_aborts() const override { return inner_->hands_back_before_aborts(); }
  bool refuses_linger(const Socket& s) const override { return inner_->refuses_linger(s); }
  bool fails_nonblocking_linger_close() const override {
    return inner_->fails_nonblocking_linger_close();
  }
  bool releases_on_would_block() const override { return inner_->releases_on_would_block(); }
  bool times_out_linger() const override { return inner_->times_out_linger(); }
  bool discards_queue_on_graceful_close() const override {
    return inner_->discards_queue_on_graceful_close();
  }
  HardClose hard_close(const Socket& s) const override { return inner_->hard_close(s); }
  bool resets_on_close(const Socket& s) const override { return inner_->resets_on_close(s); }
  bool rst_discards_unread_data() const override { return inner_->rst_discards_unread_data(); }
  bool posts_fd_close_for_own_close() const override {
    return inner_->posts_fd_close_for_own_close();
  }
  bool shutdown_releases() const override { return inner_->shutdown_releases(); }
  bool routes_reused_value_to_old_socket() const override {
    return inner_->routes_reused_value_to_old_socket();
  }
  bool close_reports_watched_socket_ready() const override {
    return inner_->close_reports_watched_socket_ready();
  }
  bool select_fails_on_closed_socket() const override {
    return inner_->select_fails_on_closed_socket();
  }
  int reset_status(const PendingOp& op) const override { return inner_->reset_status(op); }
  int connection_aborted_status(const PendingOp& op) const override {
    return inner_->connection_aborted_status(op);
  }
  int fd_close_error_after_reset() const override { return inner_->fd_close_error_after_reset(); }
  bool resets_on_receive_shutdown(const Socket& s) const override {
    return inner_->resets_on_receive_shutdown(s);
  }
  bool acceptor_close_aborts_accept() const override {
    return inner_->acceptor_close_aborts_accept();
  }
  bool shutdown_wakes_datagram_receive() const override {
    return inner_->shutdown_wakes_datagram_receive();
  }
  bool cancels_io_of_exiting_thread() const override {
    return inner_->cancels_io_of_exiting_thread();
  }
  bool handle_close_aborts() const override { return inner_->handle_close_aborts(); }
  bool posts_fd_close_for_handle_close() const override {
    return inner_->posts_fd_close_for_handle_close();
  }

 private:
  std::unique_ptr<Provider> inner_;
};

// The provider a world runs: the base kind with its profile, under an LSP when asked, bent by
// the configured mutant (sim/world/mutants.cc).
std::unique_ptr<Provider> make_provider(const WorldConfig& config);
// Wraps `base` in the layer that plays `mutant`; returns `base` for Mutant::None.
std::unique_ptr<Provider> with_mutant(Mutant mutant, std::unique_ptr<Provider> base);

}  // namespace closesim
