// The profile a provider consults: `documented` follows the Winsock documents (RULES.md);
// `windows` departs where Windows is seen to behave otherwise. One question per departure, each
// citing its case in WINDOWS_CASES.md; under `documented` every answer is "no". Private to
// sim/world.
#pragma once

#include "closesim/base/run_config.h"

namespace closesim {

class ProfilePolicy {
 public:
  explicit ProfilePolicy(ProfileKind kind) : windows_(kind == ProfileKind::Windows) {}

  // C38: overlapped I/O issued through any duplicate is cancelled only when the socket's last
  // descriptor is closed, whichever descriptor issued it (the documents: the closed one's own).
  bool overlapped_aborts_wait_for_last_close() const { return windows_; }
  // C14: a pending WSARecv on a connected TCP socket completes with ERROR_CONNECTION_ABORTED
  // (1236), not WSA_OPERATION_ABORTED.
  bool connected_receive_aborts_with_connection_aborted() const { return windows_; }
  // C18, C51: a last close with a receive pending or unread data resets the connection, whatever
  // the linger setting.
  bool resets_when_closed_with_receive_or_unread_data() const { return windows_; }
  // C10: after shutdown(SD_SEND), a linger {1,0} close is graceful.
  bool shutdown_send_makes_hard_close_graceful() const { return windows_; }
  // C8: UDP has no linger state: SO_LINGER and SO_DONTLINGER fail with WSAENOPROTOOPT.
  bool refuses_linger_on_udp() const { return windows_; }
  // C50: an arriving RST throws away received data not yet read.
  bool rst_discards_unread_data() const { return windows_; }
  // C28, C32: a close from another thread ends a select or WSAPoll waiting on the socket as if
  // the socket were ready: select returns 1 with it in the read set, WSAPoll returns 1 with
  // POLLNVAL (the documents: it is interrupted with WSAEINTR like any blocked call, R2).
  bool close_reports_watched_socket_ready() const { return windows_; }
  // C5, C6: a pending overlapped receive failed by the peer's RST completes with
  // ERROR_NETNAME_DELETED (64), the Win32 code of STATUS_CONNECTION_RESET (the documents:
  // WSAECONNRESET, the code WSAGetOverlappedResult gives for the same completion).
  bool reset_fails_overlapped_receive_with_netname_deleted() const { return windows_; }
  // C43: FD_CLOSE after the peer's RST carries WSAECONNABORTED (the documents: WSAECONNRESET),
  // while a recv on the same socket reports WSAECONNRESET.
  bool fd_close_after_reset_reports_connection_aborted() const { return windows_; }
  // C51: shutdown(SD_RECEIVE) with received data unread resets the connection at once (the
  // documents: SD_RECEIVE is local, R13).
  bool receive_shutdown_with_unread_data_resets() const { return windows_; }
  // C24: a thread's pending socket I/O outlives the thread (Vista and later); the documents, and
  // XP, cancel it when the thread exits.
  bool thread_exit_keeps_socket_io() const { return windows_; }
  // C36: shutdown(SD_BOTH) from another thread ends a recvfrom blocked on a UDP socket (a blocked
  // TCP recv or accept stays blocked); the documents promise no wake-up.
  bool shutdown_wakes_blocked_datagram_receive() const { return windows_; }

 private:
  bool windows_;
};

}  // namespace closesim
