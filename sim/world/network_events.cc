// Network events: what WSAEventSelect records and WSAEnumNetworkEvents reports (C42-C47).
// An event is recorded when it is selected, its condition holds and it is not waiting for its
// re-enabling call: FD_READ while data is unread (re-enabled by a receive), FD_WRITE while the
// send queue has room (re-enabled by a send that failed WSAEWOULDBLOCK), FD_ACCEPT while a
// connection waits (re-enabled by accept), FD_CLOSE once the peer's FIN or RST arrived — once
// per connection, never re-enabled, and recorded by a later selection too (level-latched, C46).
// Each recorded event keeps its error code until WSAEnumNetworkEvents clears the record.
// R12: nothing is recorded for a descriptor whose close has begun.
#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

namespace {

constexpr std::int64_t kAllEvents[] = {kFdRead, kFdWrite, kFdOob, kFdAccept, kFdConnect, kFdClose};

}  // namespace

const char* network_event_name(std::int64_t bit) {
  switch (bit) {
    case kFdRead: return "FD_READ";
    case kFdWrite: return "FD_WRITE";
    case kFdOob: return "FD_OOB";
    case kFdAccept: return "FD_ACCEPT";
    case kFdConnect: return "FD_CONNECT";
    default: return "FD_CLOSE";
  }
}


// Records every selected event whose condition now holds; `name` and `bit` say what changed
// (kept for the callers' sake: the conditions are all looked at again).
void World::State::post_network_event(Socket& s, const char* name, std::int64_t bit) {
  (void)name, (void)bit;
  if (!s.selected() || s.select_mask == 0) return;
  Descriptor* d = live(s.select_process, s.select_handle);
  // R12: nothing is posted for a descriptor whose close has begun.
  if (!d || d->socket != s.id || d->closing) return;
  const bool connected = s.state == Socket::State::Connected && s.has_peer;
  const bool broken = s.rst_received || s.rst_sent || s.connection_aborted;
  for (std::int64_t event : kAllEvents) {
    if ((s.select_mask & event) == 0 || (s.events_disabled & event) != 0) continue;
    int error = 0;
    bool holds = false;
    switch (event) {
      case kFdRead: holds = s.rcv_buffered > 0 && !s.shut_recv; break;
      case kFdWrite:
        holds = connected && !broken && !s.shut_send && s.queued < config.link.sndbuf;
        break;
      case kFdAccept: holds = s.state == Socket::State::Listening && !s.backlog.empty(); break;
      case kFdClose:
        holds = connected && (s.fin_received || s.rst_received || s.connection_aborted);
        if (s.connection_aborted) error = WSAECONNABORTED;
        else if (s.rst_received) error = provider->fd_close_error_after_reset();  // C43
        break;
      default: break;  // FD_OOB, FD_CONNECT: not modelled (connect completes at once)
    }
    if (!holds) continue;
    s.events_recorded |= event;
    s.events_disabled |= event;
    s.event_errors[event] = error;
    TraceRecord r = record(RecordKind::NetworkEvent, "provider");
    r.process = s.select_process;
    r.handle = s.select_handle;
    r.socket = s.id;
    r.text = network_event_name(event);
    r.value = event;
    r.error = error;
    emit(std::move(r));
    notify_selection(s, event, error);
  }
}

void World::State::reenable_network_event(Socket& s, std::int64_t bit) {
  s.events_disabled &= ~bit;
  post_network_event(s, network_event_name(bit), bit);
}

void World::State::event_select_call(ThreadId t, const ApiCall& c, Socket& s) {
  if (events.count(c.object) == 0) {
    finish(t, error_result(WSAEINVAL));
    return;
  }
  s.select_process = threads.at(t).process;
  s.select_handle = c.handle;
  s.select_async = false;  // a new selection replaces a WSAAsyncSelect
  s.select_event = c.object;
  s.select_mask = c.count;
  s.nonblocking = true;  // WSAEventSelect puts the socket in non-blocking mode
  // A new selection clears the record; what holds now is recorded again, except what waits
  // for its re-enabling call — so an FD_CLOSE already recorded is not recorded twice (C42),
  // while one never selected before is (C46).
  s.events_recorded = 0;
  s.event_errors.clear();
  finish(t, value_result(0));
  post_network_event(s, "", 0);
}

void World::State::enum_network_events_call(ThreadId t, const ApiCall& c, Socket& s) {
  if (c.object != 0 && events.count(c.object) == 0) {
    finish(t, error_result(WSAEINVAL));
    return;
  }
  ApiResult res;
  res.enumerated = true;
  res.value = s.events_recorded;
  std::string text;
  for (std::int64_t event : kAllEvents) {
    if ((s.events_recorded & event) == 0) continue;
    const int error = s.event_errors[event];
    res.events.emplace_back(event, error);
    text += fmt::format("{}{} {}", text.empty() ? "" : " ", network_event_name(event),
                        error ? error_name(error) : "0");
  }
  res.text = text.empty() ? "0" : text;
  s.events_recorded = 0;
  s.event_errors.clear();
  if (c.object != 0) events.at(c.object).signaled = false;  // the event object is reset
  finish(t, res);
}

void World::State::reset_event_call(ThreadId t, const ApiCall& c) {
  auto it = events.find(c.object);
  if (it == events.end()) {
    ApiResult r;
    r.value = 0;
    r.error = ERROR_INVALID_HANDLE;
    r.text = "FALSE ERROR_INVALID_HANDLE";
    finish(t, r);
    return;
  }
  it->second.signaled = false;
  finish(t, value_result(1));  // TRUE
}

}  // namespace closesim
