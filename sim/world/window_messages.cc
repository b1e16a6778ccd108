// WSAAsyncSelect and the thread's message queue. WSAAsyncSelect is WSAEventSelect with a
// WM_SOCKET message in place of the event: each network event that would be recorded is posted
// to the selecting thread as (wParam = the socket, lParam = WSAMAKESELECTREPLY(event, error)),
// and PeekMessage takes the oldest one. The model has no windows: a thread's queue stands for
// the queue of the window it named. closesocket drops the selection and posts nothing (C14);
// CloseHandle posts FD_CLOSE with error 0 (C15, close_handle.cc).
#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

void World::State::notify_selection(Socket& s, std::int64_t event, int error) {
  if (!s.select_async) {
    signal_event(s.select_event, network_event_name(event));
    return;
  }
  Thread& th = threads.at(s.select_thread);
  const std::int64_t lparam = event | (static_cast<std::int64_t>(error) << 16);
  th.messages.push_back(Thread::Message{s.select_label, lparam});
  TraceRecord r = record(RecordKind::Note, th.label);
  r.process = th.process;
  r.handle = s.select_handle;
  r.socket = s.id;
  r.value = lparam;
  r.text = fmt::format("WM_SOCKET posted: wParam={} lParam={:#x} ({})", s.select_label, lparam,
                       network_event_name(event));
  emit(std::move(r));
}

void World::State::async_select_call(ThreadId t, const ApiCall& c, Socket& s) {
  s.select_process = threads.at(t).process;
  s.select_handle = c.handle;
  s.select_event = 0;
  s.select_async = true;
  s.select_thread = t;
  s.select_label = c.handle_label;
  s.select_mask = c.count;
  s.nonblocking = true;  // as WSAEventSelect: the socket becomes non-blocking
  // A new selection starts a new record; what holds now is posted (C14's first message is
  // FD_WRITE on a connected socket).
  s.events_recorded = 0;
  s.event_errors.clear();
  finish(t, value_result(0));
  post_network_event(s, "", 0);
}

void World::State::peek_message_call(ThreadId t, const ApiCall& c) {
  (void)c;
  Thread& th = threads.at(t);
  if (th.messages.empty()) {
    finish(t, value_result(0));  // FALSE: no message
    return;
  }
  const Thread::Message m = th.messages.front();
  th.messages.pop_front();  // PM_REMOVE
  ApiResult r = value_result(1);
  const std::string lparam = fmt::format("{:#x}", m.lparam);
  r.outputs.emplace_back("wParam", m.socket);
  r.outputs.emplace_back("lParam", lparam);
  r.text += fmt::format(" wParam={} lParam={}", m.socket, lparam);
  finish(t, r);
}

}  // namespace closesim
