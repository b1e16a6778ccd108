// The base providers (`ifs`, `nonifs`) and the `lsp:` layer. A base provider answers every
// close decision as RULES.md says, asking its profile where Windows departs from it.
#include "world/provider.h"

#include "world/profile_policy.h"
#include "world/world_state.h"

namespace closesim {

namespace {

class BaseProvider : public Provider {
 public:
  BaseProvider(HandleKind kind, ProfileKind profile) : kind_(kind), profile_(profile) {}

  HandleKind base_handle_kind() const override { return kind_; }
  bool layered() const override { return false; }
  bool is_last_reference(const Socket& s) const override { return s.refs == 1; }  // R6

  bool aborts(const PendingOp& op, bool mine, bool last, bool cleanup) const override {
    // R2, R3: a close aborts what was issued through the descriptor it closes.
    if (!cleanup && !op.blocking && profile_.overlapped_aborts_wait_for_last_close()) return last;
    return mine;
  }
  bool wakes_blocked_call(bool) const override { return true; }
  int wake_error() const override { return WSAEINTR; }
  bool aborts_overlapped(bool) const override { return true; }
  int abort_status(const PendingOp& op, const Socket& s) const override {
    if (profile_.connected_receive_aborts_with_connection_aborted() &&
        op.function == CallId::WSARecv && !s.udp && s.state == Socket::State::Connected)
      return ERROR_CONNECTION_ABORTED;
    return WSA_OPERATION_ABORTED;
  }
  // R14: WSACleanup's aborts fire no completion action; a close's do (R3).
  bool fires_completion_on_abort(bool cleanup) const override { return !cleanup; }
  int completions_per_abort() const override { return 1; }

  int hand_backs(HandleKind) const override { return 1; }
  bool hands_back_before_aborts() const override { return false; }

  bool refuses_linger(const Socket& s) const override {
    return s.udp && profile_.refuses_linger_on_udp();
  }
  bool fails_nonblocking_linger_close() const override { return true; }
  bool releases_on_would_block() const override { return false; }
  bool times_out_linger() const override { return true; }
  bool discards_queue_on_graceful_close() const override { return false; }
  HardClose hard_close(const Socket& s) const override {
    return s.shut_send && profile_.shutdown_send_makes_hard_close_graceful() ? HardClose::Graceful
                                                                             : HardClose::Reset;
  }
  bool resets_on_close(const Socket& s) const override {
    return profile_.resets_when_closed_with_receive_or_unread_data() &&
           (s.recv_ever_pending_at_close || s.rcv_buffered > 0);
  }
  bool rst_discards_unread_data() const override { return profile_.rst_discards_unread_data(); }

  bool posts_fd_close_for_own_close() const override { return false; }
  bool shutdown_releases() const override { return false; }
  bool routes_reused_value_to_old_socket() const override { return false; }
  bool close_reports_watched_socket_ready() const override {
    return profile_.close_reports_watched_socket_ready();
  }
  bool select_fails_on_closed_socket() const override { return true; }

  int reset_status(const PendingOp& op) const override {
    return !op.blocking && op.function == CallId::WSARecv &&
                   profile_.reset_fails_overlapped_receive_with_netname_deleted()
               ? ERROR_NETNAME_DELETED
               : WSAECONNRESET;
  }
  int connection_aborted_status(const PendingOp& op) const override {
    // C17: the same code as C14's close gives a pending receive on a connected socket.
    return !op.blocking && op.function == CallId::WSARecv &&
                   profile_.connected_receive_aborts_with_connection_aborted()
               ? ERROR_CONNECTION_ABORTED
               : WSAECONNABORTED;
  }
  int fd_close_error_after_reset() const override {
    return profile_.fd_close_after_reset_reports_connection_aborted() ? WSAECONNABORTED
                                                                      : WSAECONNRESET;
  }
  bool resets_on_receive_shutdown(const Socket& s) const override {
    return s.rcv_buffered > 0 && profile_.receive_shutdown_with_unread_data_resets();
  }

  bool acceptor_close_aborts_accept() const override { return true; }  // R3
  bool shutdown_wakes_datagram_receive() const override {
    return profile_.shutdown_wakes_blocked_datagram_receive();
  }
  bool cancels_io_of_exiting_thread() const override {
    return !profile_.thread_exit_keeps_socket_io();
  }
  // The documents only say not to CloseHandle a socket; both profiles follow Windows (C15).
  bool handle_close_aborts() const override { return true; }
  bool posts_fd_close_for_handle_close() const override { return true; }

 private:
  HandleKind kind_;
  ProfilePolicy profile_;
};

// An LSP: the application's descriptor is the layer's own WPU handle; the base provider's
// descriptor lives below it and is opened first and released first (C56).
class LspLayer final : public ForwardingProvider {
 public:
  using ForwardingProvider::ForwardingProvider;
  bool layered() const override { return true; }
};

}  // namespace

std::unique_ptr<Provider> make_provider(const WorldConfig& config) {
  const bool ifs = config.provider == ProviderKind::Ifs || config.provider == ProviderKind::LspIfs;
  std::unique_ptr<Provider> p =
      std::make_unique<BaseProvider>(ifs ? HandleKind::File : HandleKind::Wpu, config.profile);
  if (config.provider == ProviderKind::LspIfs || config.provider == ProviderKind::LspNonIfs)
    p = std::make_unique<LspLayer>(std::move(p));
  return with_mutant(config.mutant, std::move(p));
}

}  // namespace closesim
