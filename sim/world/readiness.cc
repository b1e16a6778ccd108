// select and WSAPoll: one call watching several sockets. Either returns at once with what is
// ready, or parks until a socket's receive or send side changes, its timeout passes, or a
// close of a watched socket ends it — as if the socket were ready on Windows (C28: select
// reports it readable; C32: WSAPoll reports POLLNVAL), interrupted like any blocked call in the
// documents (R2). A value that is not a descriptor fails select at once with WSAENOTSOCK, the
// sets left as given (R1, C30), and shows as POLLNVAL in WSAPoll (its documents).
#include <fmt/format.h>

#include "closesim/base/poll_events.h"
#include "world/world_state.h"

namespace closesim {

namespace {

constexpr int kReadSet = 0;
constexpr int kWriteSet = 1;
constexpr int kExceptSet = 2;
constexpr const char* kSetNames[] = {"read", "write", "except"};

// What a socket would answer a full-mask WSAPoll with now.
std::int64_t ready_events(const Socket& s, std::int64_t sndbuf) {
  if (s.state == Socket::State::Listening) return s.backlog.empty() ? 0 : kPollRdNorm;
  if (s.udp) return kPollWrNorm | (s.rcv_buffered > 0 ? kPollRdNorm : 0);
  if (s.state != Socket::State::Connected) return 0;
  std::int64_t ev = 0;
  if (s.rcv_buffered > 0) ev |= kPollRdNorm;
  // C34: the peer's FIN (a close or its SD_SEND) is POLLHUP; a reset is a hang-up with an error.
  if (s.rst_received) ev |= kPollHup | kPollErr;
  else if (s.fin_received) ev |= kPollHup;
  if (!s.rst_received && !s.rst_sent && !s.shut_send && s.queued < sndbuf) ev |= kPollWrNorm;
  return ev;
}

// POLLERR, POLLHUP and POLLNVAL are reported whether asked for or not (C34).
constexpr std::int64_t kAlwaysReported = kPollErr | kPollHup | kPollNval;

void add_output(ApiResult& r, const std::string& key, const std::string& value) {
  r.outputs.emplace_back(key, value);
  r.text += " " + key + "=" + value;
}

// select's answer: the count of (socket, set) pairs that stay, and each set as it is left.
ApiResult select_answer(const std::vector<WatchedSocket>& watched, const std::vector<bool>& stays) {
  std::vector<std::string> sets[3];
  std::int64_t count = 0;
  for (std::size_t i = 0; i < watched.size(); ++i) {
    if (!stays[i]) continue;
    sets[watched[i].set].push_back(watched[i].name);
    ++count;
  }
  ApiResult r;
  r.value = count;
  r.text = std::to_string(count);
  for (int set = kReadSet; set <= kExceptSet; ++set) add_output(r, kSetNames[set], socket_set_text(sets[set]));
  return r;
}

ApiResult poll_answer(const std::vector<WatchedSocket>& watched, const std::vector<std::int64_t>& revents) {
  std::int64_t count = 0;
  for (std::int64_t ev : revents) count += ev != 0;
  ApiResult r;
  r.value = count;
  r.text = std::to_string(count);
  for (std::size_t i = 0; i < watched.size(); ++i) add_output(r, watched[i].name, poll_events_text(revents[i]));
  return r;
}

}  // namespace

// What the watched sockets report now; `closed` is a descriptor whose close ends the call
// (C28, C32), 0 if none. Something is ready when the answer's value is not 0.
ApiResult World::State::readiness_now(const std::string& process, const ReadinessWait& wait,
                                      Handle closed) {
  if (wait.call == CallId::Select) {
    std::vector<bool> stays(wait.watched.size(), false);
    for (std::size_t i = 0; i < wait.watched.size(); ++i) {
      const WatchedSocket& ws = wait.watched[i];
      if (closed != 0 && ws.handle == closed) {
        stays[i] = ws.set == kReadSet;  // C28: readable, and not in the except set
        continue;
      }
      Descriptor* d = live(process, ws.handle);
      if (!d) continue;  // a closed value skipped (only a wrong provider gets here: R1)
      const std::int64_t ev = ready_events(socket(d->socket), config.link.sndbuf);
      if (ws.set == kReadSet) stays[i] = (ev & (kPollRdNorm | kPollHup | kPollErr)) != 0;
      if (ws.set == kWriteSet) stays[i] = (ev & kPollWrNorm) != 0;
    }
    return select_answer(wait.watched, stays);
  }
  std::vector<std::int64_t> revents(wait.watched.size(), 0);
  for (std::size_t i = 0; i < wait.watched.size(); ++i) {
    const WatchedSocket& ws = wait.watched[i];
    Descriptor* d = live(process, ws.handle);
    if (!d || (closed != 0 && ws.handle == closed)) {
      revents[i] = kPollNval;  // C32
      continue;
    }
    const std::int64_t ev = ready_events(socket(d->socket), config.link.sndbuf);
    revents[i] = ev & (ws.events | kAlwaysReported);
  }
  return poll_answer(wait.watched, revents);
}

void World::State::park_for_readiness(ThreadId t, ReadinessWait wait, Time timeout,
                                      const char* waiting_for) {
  readiness_waits[t] = std::move(wait);
  park(t, ParkReason::Readiness, waiting_for);
  if (timeout <= 0) return;  // INFINITE (0 never parks)
  threads.at(t).timer = engine.at(engine.now() + timeout, threads.at(t).lane, [this, t] {
    Thread& w = threads.at(t);
    w.timer = EventId{};
    auto it = readiness_waits.find(t);
    if (w.park != ParkReason::Readiness || w.returning || it == readiness_waits.end()) return;
    const ReadinessWait timed_out = std::move(it->second);
    readiness_waits.erase(it);
    // Nothing became ready: every set comes back empty, every revents 0.
    const std::size_t n = timed_out.watched.size();
    wake(t, RuleId::None,
         timed_out.call == CallId::Select ? select_answer(timed_out.watched, std::vector<bool>(n, false))
                                          : poll_answer(timed_out.watched, std::vector<std::int64_t>(n, 0)));
  });
}

void World::State::select_call(ThreadId t, const ApiCall& c) {
  const Thread& th = threads.at(t);
  if (c.watched.empty()) {
    finish(t, error_result(WSAEINVAL));  // all three sets empty
    return;
  }
  for (const WatchedSocket& ws : c.watched) {
    if (live(th.process, ws.handle) || !provider->select_fails_on_closed_socket()) continue;
    // R1, C30: the DLL fails the whole call and the sets keep every socket they were given.
    ApiResult r = error_result(WSAENOTSOCK);
    ApiResult sets = select_answer(c.watched, std::vector<bool>(c.watched.size(), true));
    for (const auto& [key, value] : sets.outputs) add_output(r, key, value);
    finish(t, r);
    return;
  }
  ReadinessWait wait{c.call, c.watched};
  ApiResult now = readiness_now(th.process, wait, 0);
  if (now.value > 0 || c.timeout == 0) {
    finish(t, now);
    return;
  }
  park_for_readiness(t, std::move(wait), c.timeout, "a socket of its sets to be ready");
}

void World::State::poll_call(ThreadId t, const ApiCall& c) {
  const Thread& th = threads.at(t);
  ReadinessWait wait{c.call, c.watched};
  ApiResult now = readiness_now(th.process, wait, 0);
  if (now.value > 0 || c.timeout == 0) {
    finish(t, now);
    return;
  }
  park_for_readiness(t, std::move(wait), c.timeout, "an event asked for on one of its sockets");
}

void World::State::serve_readiness_waits() {
  if (readiness_waits.empty()) return;
  for (ThreadId t : [&] {
         std::vector<ThreadId> ids;
         for (const auto& [id, wait] : readiness_waits) ids.push_back(id);
         return ids;
       }()) {
    auto it = readiness_waits.find(t);
    if (it == readiness_waits.end() || threads.at(t).returning) continue;
    ApiResult now = readiness_now(threads.at(t).process, it->second, 0);
    if (now.value == 0) continue;
    readiness_waits.erase(it);
    wake(t, RuleId::None, now);
  }
}

void World::State::end_readiness_waits_on_close(const std::string& p, Handle h, bool cleanup) {
  std::vector<ThreadId> ended;
  for (const auto& [t, wait] : readiness_waits) {
    if (threads.at(t).process != p || threads.at(t).returning) continue;
    for (const WatchedSocket& ws : wait.watched)
      if (ws.handle == h) {
        ended.push_back(t);
        break;
      }
  }
  const RuleId rule = cleanup ? RuleId::R14 : RuleId::R2;
  for (ThreadId t : ended) {
    if (!provider->wakes_blocked_call(cleanup)) continue;
    ReadinessWait wait = readiness_waits.at(t);
    if (provider->close_reports_watched_socket_ready()) {  // C28, C32
      readiness_waits.erase(t);
      ApiResult now = readiness_now(p, wait, h);
      wake_record(t, rule, 0);
      schedule_return(t, now);
      continue;
    }
    readiness_waits.erase(t);
    const int error = provider->wake_error();  // R2
    wake_record(t, rule, error);
    schedule_return(t, error_result(error));
  }
}

}  // namespace closesim
