// select and WSAPoll on the real sockets the names stand for. What they report is read back
// from the sets and the WSAPOLLFD array after the call — what the application sees, whatever
// the call did to them — and spelled as the simulator spells it (closesim/base/poll_events.h).
#include <algorithm>

#include "call_outcome.h"
#include "closesim/base/poll_events.h"

namespace realstack {

namespace {

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < list.size()) {
    std::size_t comma = list.find(',', from);
    if (comma == std::string::npos) comma = list.size();
    out.push_back(list.substr(from, comma - from));
    from = comma + 1;
  }
  return out;
}

SOCKET handle_of(Realm& realm, const std::string& name) {
  RealSocket* s = socket_named(realm, name);
  return s ? s->sock : INVALID_SOCKET;
}

void note_first_socket(Realm& realm, Record& begin, const std::string& name) {
  if (begin.socket || name.empty()) return;
  if (RealSocket* s = socket_named(realm, name)) {
    begin.handle = s->sock;
    begin.socket = s->id;
    begin.handle_name = s->name;
  }
}

Outcome play_select(const PlanStep& st, CallContext& cx, Record& begin) {
  static const char* const kSets[] = {"read", "write", "except"};
  fd_set sets[3];
  std::vector<std::string> names[3];
  for (fd_set& set : sets) FD_ZERO(&set);
  timeval* timeout = nullptr;
  timeval tv{};
  for (const PlanArg& a : st.args) {
    if (a.kind == 'g') {
      const int i = a.key == "read" ? 0 : a.key == "write" ? 1 : 2;
      names[i] = split_names(a.text);
      for (const std::string& n : names[i]) {
        note_first_socket(cx.realm, begin, n);
        FD_SET(handle_of(cx.realm, n), &sets[i]);
      }
    } else if (a.kind == 'd') {
      const std::int64_t us = cx.clock.wall_ns(a.value) / 1000;
      tv.tv_sec = static_cast<long>(us / 1'000'000);
      tv.tv_usec = static_cast<long>(us % 1'000'000);
      timeout = &tv;
    }
  }
  cx.log.write(begin);
  auto empty = [](const fd_set& s) { return s.fd_count == 0; };
  int r = select(0, empty(sets[0]) ? nullptr : &sets[0], empty(sets[1]) ? nullptr : &sets[1],
                 empty(sets[2]) ? nullptr : &sets[2], timeout);
  Outcome o = r == SOCKET_ERROR ? socket_error(WSAGetLastError()) : value(r);
  for (int i = 0; i < 3; ++i) {
    std::vector<std::string> left;
    for (const std::string& n : names[i])
      if (FD_ISSET(handle_of(cx.realm, n), &sets[i])) left.push_back(n);
    add_output(o, kSets[i], closesim::socket_set_text(left));
  }
  return o;
}

Outcome play_poll(const PlanStep& st, CallContext& cx, Record& begin) {
  std::vector<WSAPOLLFD> fds;
  std::vector<std::string> names;
  INT timeout = -1;
  for (const PlanArg& a : st.args) {
    if (a.kind == 'p') {
      note_first_socket(cx.realm, begin, a.text);
      WSAPOLLFD fd{};
      fd.fd = handle_of(cx.realm, a.text);
      fd.events = static_cast<SHORT>(a.value);
      fds.push_back(fd);
      names.push_back(a.text);
    } else if (a.kind == 'd') {
      timeout = static_cast<INT>(cx.clock.wall_ns(a.value) / 1'000'000);
    }
  }
  cx.log.write(begin);
  int r = WSAPoll(fds.data(), static_cast<ULONG>(fds.size()), timeout);
  if (r == SOCKET_ERROR) return socket_error(WSAGetLastError());
  Outcome o = value(r);
  for (std::size_t i = 0; i < fds.size(); ++i)
    add_output(o, names[i], closesim::poll_events_text(static_cast<std::uint16_t>(fds[i].revents)));
  return o;
}

}  // namespace

Outcome play_readiness(const PlanStep& st, CallContext& cx, Record& begin) {
  return st.call == "select" ? play_select(st, cx, begin) : play_poll(st, cx, begin);
}

}  // namespace realstack
