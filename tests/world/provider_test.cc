// Providers as units: the base provider answers from the documents and its profile, an LSP layer
// changes the shape only, and every mutant changes at least one answer of a correct provider.
#include <doctest/doctest.h>

#include <vector>

#include "world/provider.h"
#include "world/world_state.h"

using namespace closesim;

namespace {

WorldConfig config(ProviderKind kind, ProfileKind profile = ProfileKind::Documented,
                   Mutant mutant = Mutant::None) {
  WorldConfig c;
  c.provider = kind;
  c.profile = profile;
  c.mutant = mutant;
  return c;
}

Socket connected_tcp() {
  Socket s;
  s.id = 1;
  s.refs = 2;
  s.state = Socket::State::Connected;
  s.has_peer = true;
  return s;
}

PendingOp overlapped_recv() {
  PendingOp op;
  op.function = CallId::WSARecv;
  op.socket = 1;
  return op;
}

// Every answer of `p` over a few fixed situations, so two providers can be compared.
std::vector<int> answers(const Provider& p) {
  Socket s = connected_tcp();
  Socket shut = s;
  shut.shut_send = true;
  Socket udp = s;
  udp.udp = true;
  Socket unread = s;
  unread.rcv_buffered = 10;
  PendingOp op = overlapped_recv();
  PendingOp blocking = op;
  blocking.blocking = true;
  std::vector<int> out;
  for (bool cleanup : {false, true}) {
    out.push_back(p.aborts(op, true, false, cleanup));
    out.push_back(p.aborts(op, false, false, cleanup));
    out.push_back(p.aborts(blocking, false, true, cleanup));
    out.push_back(p.wakes_blocked_call(cleanup));
    out.push_back(p.aborts_overlapped(cleanup));
    out.push_back(p.fires_completion_on_abort(cleanup));
  }
  out.push_back(p.is_last_reference(s));
  out.push_back(p.wake_error());
  out.push_back(p.abort_status(op, s));
  out.push_back(p.completions_per_abort());
  out.push_back(p.hand_backs(HandleKind::Wpu));
  out.push_back(p.hand_backs(HandleKind::File));
  out.push_back(p.hands_back_before_aborts());
  out.push_back(p.refuses_linger(udp));
  out.push_back(p.fails_nonblocking_linger_close());
  out.push_back(p.releases_on_would_block());
  out.push_back(p.times_out_linger());
  out.push_back(p.handle_close_aborts());
  out.push_back(p.posts_fd_close_for_handle_close());
  out.push_back(p.discards_queue_on_graceful_close());
  out.push_back(static_cast<int>(p.hard_close(s)));
  out.push_back(static_cast<int>(p.hard_close(shut)));
  out.push_back(p.resets_on_close(unread));
  out.push_back(p.rst_discards_unread_data());
  out.push_back(p.posts_fd_close_for_own_close());
  out.push_back(p.shutdown_releases());
  out.push_back(p.routes_reused_value_to_old_socket());
  out.push_back(p.close_reports_watched_socket_ready());
  out.push_back(p.select_fails_on_closed_socket());
  // The peer's side of a close (C5, C6, C17, C43, C51).
  out.push_back(p.reset_status(op));
  out.push_back(p.reset_status(blocking));
  out.push_back(p.connection_aborted_status(op));
  out.push_back(p.fd_close_error_after_reset());
  out.push_back(p.resets_on_receive_shutdown(unread));
  out.push_back(p.acceptor_close_aborts_accept());
  out.push_back(p.shutdown_wakes_datagram_receive());
  out.push_back(p.cancels_io_of_exiting_thread());
  return out;
}

}  // namespace

TEST_CASE("the base providers differ in their handle kind only") {
  auto ifs = make_provider(config(ProviderKind::Ifs));
  auto nonifs = make_provider(config(ProviderKind::NonIfs));
  CHECK(ifs->base_handle_kind() == HandleKind::File);
  CHECK(nonifs->base_handle_kind() == HandleKind::Wpu);
  CHECK_FALSE(ifs->layered());
  CHECK(answers(*ifs) == answers(*nonifs));
}

TEST_CASE("an LSP layer holds a WPU handle above either base and answers as its base") {
  auto lsp = make_provider(config(ProviderKind::LspIfs));
  CHECK(lsp->layered());
  CHECK(lsp->base_handle_kind() == HandleKind::File);
  CHECK(lsp->top_handle_kind() == HandleKind::Wpu);
  CHECK(answers(*lsp) == answers(*make_provider(config(ProviderKind::Ifs))));
  CHECK(make_provider(config(ProviderKind::LspNonIfs))->base_handle_kind() == HandleKind::Wpu);
}

TEST_CASE("the windows profile departs where its cases say, and only there") {
  auto documented = make_provider(config(ProviderKind::NonIfs));
  auto windows = make_provider(config(ProviderKind::NonIfs, ProfileKind::Windows));
  Socket s = connected_tcp();
  CHECK(documented->abort_status(overlapped_recv(), s) == WSA_OPERATION_ABORTED);
  CHECK(windows->abort_status(overlapped_recv(), s) == ERROR_CONNECTION_ABORTED);  // C14
  // C38: an operation issued through another descriptor waits for the last close.
  CHECK_FALSE(documented->aborts(overlapped_recv(), false, true, false));
  CHECK(windows->aborts(overlapped_recv(), false, true, false));
  s.shut_send = true;
  CHECK(documented->hard_close(s) == HardClose::Reset);
  CHECK(windows->hard_close(s) == HardClose::Graceful);  // C10
  CHECK(documented->reset_status(overlapped_recv()) == WSAECONNRESET);
  CHECK(windows->reset_status(overlapped_recv()) == ERROR_NETNAME_DELETED);  // C5, C6
  CHECK(documented->fd_close_error_after_reset() == WSAECONNRESET);
  CHECK(windows->fd_close_error_after_reset() == WSAECONNABORTED);  // C43
  s.rcv_buffered = 10;
  CHECK_FALSE(documented->resets_on_receive_shutdown(s));
  CHECK(windows->resets_on_receive_shutdown(s));  // C51
  CHECK(documented->cancels_io_of_exiting_thread());
  CHECK_FALSE(windows->cancels_io_of_exiting_thread());  // C24
  CHECK_FALSE(documented->shutdown_wakes_datagram_receive());
  CHECK(windows->shutdown_wakes_datagram_receive());  // C36
  CHECK(documented->acceptor_close_aborts_accept());
  CHECK(windows->acceptor_close_aborts_accept());
  // CloseHandle (C15): the documents say nothing, so both profiles follow Windows.
  for (const auto* p : {documented.get(), windows.get()}) {
    CHECK(p->handle_close_aborts());
    CHECK(p->posts_fd_close_for_handle_close());
  }
}

TEST_CASE("every mutant changes at least one answer of the provider it wraps") {
  const std::vector<int> base = answers(*make_provider(config(ProviderKind::NonIfs)));
  for (const MutantInfo& m : mutant_catalogue()) {
    INFO(m.name);
    auto bent = make_provider(config(ProviderKind::NonIfs, ProfileKind::Documented, m.mutant));
    CHECK(answers(*bent) != base);
  }
}
