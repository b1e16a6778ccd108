#include "run/interpreter.h"

#include <algorithm>

#include "closesim/base/check.h"

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "scenario/call_signatures.h"
#include "run/causal_order.h"
#include "run/watched_args.h"

namespace closesim {

namespace {

WorldConfig config_for(const EffectiveConfig& e, const RunOptions& o) {
  WorldConfig c;
  c.provider = e.provider;
  c.profile = e.profile;
  c.link = e.link;
  c.mutant = o.mutant;
  return c;
}

}  // namespace

std::string call_text(const CallAction& call) {
  std::string out = call.name + "(";
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    if (i) out += ", ";
    const Argument& a = call.args[i];
    out += a.written();
  }
  return out + ")";
}

namespace {

std::string args_text(const CallAction& call) {
  std::string t = call_text(call);
  return t.substr(call.name.size() + 1, t.size() - call.name.size() - 2);
}

// Timeouts: a duration, INFINITE, or a plain number of milliseconds as the Windows API takes.
Time timeout_of(const Argument& a) {
  if (a.kind == Argument::Kind::Duration) return a.value;
  if (a.kind == Argument::Kind::Name) return -1;  // INFINITE
  return a.value * kMillisecond;
}

}  // namespace

Interpreter::Interpreter(const Scenario& scenario, const RunOptions& options,
                         ChoiceSource& choices, RunResult& out)
    : scenario_(scenario),
      options_(options),
      out_(out),
      engine_(choices),
      config_(config_for(out.config, options)),
      world_(engine_, out.trace, config_, *this),
      ran_(scenario.steps.size(), false),
      returned_(scenario.steps.size(), false),
      returned_at_(scenario.steps.size(), 0),
      prerequisites_(causal_prerequisites(scenario)) {}

void Interpreter::schedule_steps() {
  for (std::size_t i = 0; i < scenario_.steps.size(); ++i) {
    const Step& st = scenario_.steps[i];
    if (st.actor_kind == Step::ActorKind::Expect) continue;
    if (st.actor_kind == Step::ActorKind::Thread) {
      const std::string label = st.process + "." + st.thread;
      auto it = threads_.find(label);
      if (it == threads_.end()) {
        ThreadActor a;
        a.lane = engine_.add_lane(label);
        a.id = world_.thread(st.process, st.thread, a.lane);
        thread_names_[a.id] = label;
        it = threads_.emplace(label, a).first;
      }
      engine_.at(st.time.start, it->second.lane, [this, label, i] { step_due(label, i); });
    } else {
      const std::string label = "peer(" + st.peer_of + ")";
      auto it = peer_lanes_.find(label);
      if (it == peer_lanes_.end()) it = peer_lanes_.emplace(label, engine_.add_lane(label)).first;
      engine_.at(st.time.start, it->second, [this, i] { peer_step(i); });
    }
  }
}

void Interpreter::run() {
  schedule_steps();
  // Events run in slices so the trace budget is checked as the trace grows: a run that loops
  // stops at a bounded size whatever --max-events says.
  constexpr std::uint64_t kSlice = 4096;
  RunStop stop = RunStop::Idle;
  bool trace_full = false;
  while (true) {
    const std::uint64_t left = options_.max_events - engine_.events_run();
    stop = engine_.run(options_.max_time, std::min(left, kSlice));
    if (stop != RunStop::EventLimit || engine_.events_run() >= options_.max_events) break;
    if (out_.trace.size() >= options_.max_trace_records) {
      trace_full = true;
      break;
    }
  }
  engine_.end_run();
  out_.end_time = engine_.now();
  out_.events = engine_.events_run();
  if (trace_full)
    out_.stuck.push_back(fmt::format(
        "stopped after {} trace records at {}: the trace budget (--max-trace-records {}) ran "
        "out; the run may loop for ever", out_.trace.size(), format_time(engine_.now()),
        options_.max_trace_records));
  else if (stop == RunStop::EventLimit)
    out_.stuck.push_back(fmt::format(
        "stopped after {} events at {}: the event budget (--max-events) ran out; the run may "
        "loop for ever", engine_.events_run(), format_time(engine_.now())));
  // The engine stops before the first event due after the budget; nothing ran in between.
  if (stop == RunStop::TimeLimit)
    out_.stuck.push_back(fmt::format(
        "stopped at {}: the virtual-time budget (--max-time {}) ran out; the last event ran at {}",
        format_time(options_.max_time), format_time(options_.max_time), format_time(engine_.now())));
  out_.cut_short = stop != RunStop::Idle;
  for (const std::string& p : world_.parked())
    out_.stuck.push_back(p + (stop == RunStop::Idle ? "; nothing left can wake it" : ""));
  for (std::size_t i = 0; i < scenario_.steps.size(); ++i) {
    const Step& st = scenario_.steps[i];
    if (st.actor_kind == Step::ActorKind::Expect || ran_[i]) continue;
    // A step due after the run stopped was never reached; only a step already due can have
    // waited for its thread or for a step it depends on.
    const bool due = !st.time.any && st.time.start <= engine_.now();
    if (!due && stop != RunStop::Idle) {
      fail(st, fmt::format("step never ran: its time {} was not reached before the run stopped "
                           "at {} ({})", format_time(st.time.start), format_time(engine_.now()),
                           trace_full                          ? "--max-trace-records"
                           : stop == RunStop::TimeLimit        ? "--max-time"
                                                               : "--max-events"));
      continue;
    }
    std::string why;
    if (std::optional<std::size_t> wait = waiting_for(i); wait && due)
      why = fmt::format("it waits for line {}, which never returned", scenario_.steps[*wait].line);
    else if (st.actor_kind == Step::ActorKind::Thread && due)
      why = st.process + "." + st.thread + " was still blocked in an earlier call";
    else
      why = "its time was never reached";
    fail(st, "step never ran: " + why);
  }
}

void Interpreter::step_due(const std::string& actor, std::size_t index) {
  threads_.at(actor).ready.push_back(index);
  pump(actor);
}

void Interpreter::pump(const std::string& actor) {
  ThreadActor& a = threads_.at(actor);
  if (a.current || a.ready.empty() || world_.busy(a.id)) return;
  std::size_t index = a.ready.front();
  // A step that names what another thread's step makes starts after that step returned, even
  // when both are due at one instant (docs/explore.md, "Happens-before").
  if (std::optional<std::size_t> wait = waiting_for(index)) {
    waiting_threads_[*wait].push_back(actor);
    return;
  }
  a.ready.pop_front();
  start_call(a, index);
}

std::optional<std::size_t> Interpreter::waiting_for(std::size_t index) const {
  for (const Prerequisite& p : prerequisites_[index])
    if (p.returned ? !returned_[p.step] : !ran_[p.step]) return p.step;
  return std::nullopt;
}

void Interpreter::prerequisite_returned(std::size_t index) {
  returned_[index] = true;
  returned_at_[index] = engine_.now();
  release_waiters(index);
}

void Interpreter::release_waiters(std::size_t index) {
  // Each waiter looks again as its own event in its own lane, after this step's start or return
  // (one that needs the return waits again).
  auto threads = waiting_threads_.find(index);
  if (threads != waiting_threads_.end()) {
    std::vector<std::string> actors = std::move(threads->second);
    waiting_threads_.erase(threads);
    for (const std::string& label : actors)
      engine_.at(engine_.now(), threads_.at(label).lane, [this, label] { pump(label); });
  }
  auto peers = waiting_peers_.find(index);
  if (peers != waiting_peers_.end()) {
    std::vector<std::size_t> steps = std::move(peers->second);
    waiting_peers_.erase(peers);
    for (std::size_t i : steps) {
      const Lane lane = peer_lanes_.at("peer(" + scenario_.steps[i].peer_of + ")");
      engine_.at(engine_.now(), lane, [this, i] { peer_step(i); });
    }
  }
}

void Interpreter::start_call(ThreadActor& a, std::size_t index) {
  const Step& st = scenario_.steps[index];
  ran_[index] = true;
  release_waiters(index);
  a.current = index;
  if (engine_.now() > st.time.start && options_.expectations) {
    // Late: the thread was busy, or a step it depends on returned after this step's time.
    std::string why = "the thread was still blocked in an earlier call";
    for (const Prerequisite& p : prerequisites_[index])
      if (p.returned && returned_at_[p.step] > st.time.start)
        why = fmt::format("it names what line {} makes, which returned at {}",
                          scenario_.steps[p.step].line, format_time(returned_at_[p.step]));
    fail(st, fmt::format("{} could not start {} at {}: {}; it started at {}",
                         st.process + "." + st.thread, call_text(st.call),
                         format_time(st.time.start), why, format_time(engine_.now())));
  }
  world_.call(a.id, build_call(st, st.process));
}

void Interpreter::on_return(ThreadId thread, const ApiResult& r) {
  const std::string& label = thread_names_.at(thread);
  ThreadActor& a = threads_.at(label);
  CLOSESIM_CHECK(a.current);
  const Step& st = scenario_.steps[*a.current];
  const std::size_t index = *a.current;
  a.current.reset();
  bind(st, st.process, r);
  if (options_.expectations) check_result(st, r);
  prerequisite_returned(index);
  // The next step of this thread runs as its own event, after whatever the world still does
  // for the call that just returned.
  engine_.at(engine_.now(), a.lane, [this, label] { pump(label); });
}

void Interpreter::bind(const Step& st, const std::string& process, const ApiResult& r) {
  const CallAction& c = st.call;
  if (c.assign.empty()) return;
  if (makes_descriptor(c.id)) {
    // A descriptor made for another process (DuplicateHandle(s, B)) is B's.
    std::string owner = process;
    const std::vector<ParamSpec>& form = lang::matched_form(call_spec(c.id), c.args);
    for (std::size_t i = 0; i < c.args.size(); ++i)
      if (form[i].kind == ParamKind::Process) owner = c.args[i].text;
    Binding b{st.line, out_.trace.size() ? out_.trace.records().back().seq : 0, owner, r.handle,
              r.socket};
    names_.bind(c.assign, b);
    if (r.handle) {
      out_.trace.names().handles[{owner, r.handle}] = c.assign;
      out_.trace.names().descriptors[{owner, r.handle, r.socket}] = c.assign;
      out_.trace.names().sockets.emplace(r.socket, c.assign);
    }
    // Peer steps written before the connection existed act now.
    auto d = deferred_peer_.find(c.assign);
    if (d != deferred_peer_.end()) {
      std::vector<std::size_t> steps = std::move(d->second);
      deferred_peer_.erase(d);
      for (std::size_t i : steps) peer_step(i);
    }
    return;
  }
  if (r.object) objects_[c.assign] = r.object;
}

Handle Interpreter::handle_of(const std::string& name, const std::string& process, int line) const {
  (void)process;
  const Binding* b = names_.at_line(name, line + 1);
  return b ? b->handle : 0;
}

ObjectId Interpreter::object_of(const std::string& name) const {
  auto it = objects_.find(name);
  return it == objects_.end() ? 0 : it->second;
}

// Each argument lands in the ApiCall field its parameter kind says (call table), so a new call
// needs no code here unless it brings a new kind of parameter.
ApiCall Interpreter::build_call(const Step& st, const std::string& process) {
  const CallAction& c = st.call;
  const CallSpec& spec = call_spec(c.id);
  const std::vector<ParamSpec>& form = lang::matched_form(spec, c.args);
  ApiCall call;
  call.call = c.id;
  call.text = args_text(c);
  call.line = st.line;
  if (spec.makes != Makes::Nothing) call.object_name = c.assign;
  for (std::size_t i = 0; i < c.args.size(); ++i) {
    const Argument& a = c.args[i];
    switch (form[i].kind) {
      case ParamKind::Socket:
        (i ? call.handle2 : call.handle) = handle_of(a.text, process, st.line);
        if (i == 0) call.handle_label = a.text;
        break;
      case ParamKind::Event:
      case ParamKind::Port:
      case ParamKind::Info:
        call.object = object_of(a.text);
        if (spec.makes == Makes::Nothing || call.object_name.empty()) call.object_name = a.text;
        break;
      case ParamKind::Op: call.op = a.text; break;
      case ParamKind::Process: call.target_process = a.text; break;
      case ParamKind::Keyword:
        for (const ParamWord& w : form[i].words) {
          if (w.word != a.text) continue;
          switch (w.option) {
            case CallOption::Overlapped: call.overlapped = true; break;
            case CallOption::NonBlocking: call.nonblocking = true; break;
            case CallOption::Udp: call.udp = true; call.option = w.option; break;
            case CallOption::SdReceive: call.count = 0; call.option = w.option; break;
            case CallOption::SdSend: call.count = 1; call.option = w.option; break;
            case CallOption::SdBoth: call.count = 2; call.option = w.option; break;
            default: call.option = w.option; break;
          }
        }
        break;
      case ParamKind::Bytes:
      case ParamKind::Switch:
      case ParamKind::EventMask:
      case ParamKind::Key: call.count = a.value; break;
      case ParamKind::Seconds: call.count2 = a.value; break;
      case ParamKind::Timeout: call.timeout = timeout_of(a); break;
      case ParamKind::SocketSet:
      case ParamKind::PollFd:
        add_watched(call, form[i], a, [&](const std::string& n) { return handle_of(n, process, st.line); });
        break;
      case ParamKind::Notify:
        if (a.kind == Argument::Kind::KeyValue) {
          call.via = a.key == "event" ? CompletionVia::Event : CompletionVia::Port;
          call.object = object_of(a.text);
          call.object_name = a.text;
        } else {
          call.via = CompletionVia::Apc;
        }
        break;
    }
  }
  // socket(overlapped) without a protocol word cannot parse; tcp is the one not marked above.
  if (c.id == CallId::Socket && !call.udp) call.option = CallOption::Tcp;
  return call;
}

void Interpreter::peer_step(std::size_t index) {
  const Step& st = scenario_.steps[index];
  if (std::optional<std::size_t> wait = waiting_for(index)) {
    waiting_peers_[*wait].push_back(index);  // the connection does not exist yet
    return;
  }
  ran_[index] = true;
  release_waiters(index);
  const Binding* b = names_.at_line(st.peer_of, st.line);
  if (!b) {
    // Not connected yet (possible when exploration runs this before the socket's creation):
    // the peer application does it as soon as the connection exists.
    deferred_peer_[st.peer_of].push_back(index);
    ran_[index] = false;
    return;
  }
  World::PeerDoes what = World::PeerDoes::Send;
  const char* verb = "send";
  switch (st.peer.kind) {
    case PeerAction::Kind::Send: what = World::PeerDoes::Send; verb = "send"; break;
    case PeerAction::Kind::StopReading: what = World::PeerDoes::StopReading; verb = "stop_reading"; break;
    case PeerAction::Kind::StartReading: what = World::PeerDoes::StartReading; verb = "start_reading"; break;
    case PeerAction::Kind::Close: what = World::PeerDoes::Close; verb = "close"; break;
    case PeerAction::Kind::Reset: what = World::PeerDoes::Reset; verb = "reset"; break;
    case PeerAction::Kind::Connect: what = World::PeerDoes::Connect; verb = "connect"; break;
    case PeerAction::Kind::Shutdown: what = World::PeerDoes::Shutdown; verb = "shutdown"; break;
    case PeerAction::Kind::CloseSocket: what = World::PeerDoes::CloseSocket; verb = "closesocket"; break;
    case PeerAction::Kind::Abort: what = World::PeerDoes::Abort; verb = "abort"; break;
  }
  if (!world_.peer_act(b->socket, what, st.peer.bytes, st.line) && options_.expectations)
    fail(st, fmt::format("peer({}) cannot {} at {}: {}", st.peer_of, verb,
                         format_time(engine_.now()),
                         what == World::PeerDoes::Connect
                             ? "the socket is not listening"
                             : "the connection has no live far end (not connected, or it "
                               "already closed or reset)"));
}

void Interpreter::fail(const Step& st, std::string message) {
  out_.failures.push_back(ExpectationFailure{st.line, engine_.now(), std::move(message), false});
}

// check_result: result_check.cc.

}  // namespace closesim
