#include "run/interpreter.h"

#include <algorithm>

#include "closesim/check.h"

#include <fmt/format.h>

#include "closesim/errors.h"

namespace closesim {

namespace {

WorldConfig config_for(const Scenario& sc, const RunOptions& o) {
  WorldConfig c;
  c.provider = o.provider.value_or(sc.provider);
  c.profile = o.profile.value_or(sc.profile);
  c.link = sc.link;
  c.mutant = o.mutant;
  return c;
}

std::string call_text(const CallAction& call) {
  std::string out = call.name + "(";
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    if (i) out += ", ";
    const Argument& a = call.args[i];
    out += a.kind == Argument::Kind::KeyValue ? a.key + "=" + a.text : a.text;
  }
  return out + ")";
}

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
      config_(config_for(scenario, options)),
      world_(engine_, out.trace, config_, *this),
      ran_(scenario.steps.size(), false) {}

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
  if (stop == RunStop::TimeLimit)
    out_.stuck.push_back(fmt::format(
        "stopped at {}: the virtual-time budget (--max-time {}) ran out", format_time(engine_.now()),
        format_time(options_.max_time)));
  for (const std::string& p : world_.parked())
    out_.stuck.push_back(p + (stop == RunStop::Idle ? "; nothing left can wake it" : ""));
  for (std::size_t i = 0; i < scenario_.steps.size(); ++i) {
    const Step& st = scenario_.steps[i];
    if (st.actor_kind == Step::ActorKind::Expect || ran_[i]) continue;
    // A step due after the run stopped was never reached; only a step already due can have
    // waited for its thread.
    const bool due = !st.time.any && st.time.start <= engine_.now();
    if (!due && stop != RunStop::Idle) {
      fail(st, fmt::format("step never ran: its time {} was not reached before the run stopped "
                           "at {} ({})", format_time(st.time.start), format_time(engine_.now()),
                           trace_full                          ? "--max-trace-records"
                           : stop == RunStop::TimeLimit        ? "--max-time"
                                                               : "--max-events"));
      continue;
    }
    fail(st, fmt::format("step never ran: {}", st.actor_kind == Step::ActorKind::Thread
                                                    ? st.process + "." + st.thread +
                                                          " was still blocked in an earlier call"
                                                    : "its time was never reached"));
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
  a.ready.pop_front();
  start_call(a, index);
}

void Interpreter::start_call(ThreadActor& a, std::size_t index) {
  const Step& st = scenario_.steps[index];
  ran_[index] = true;
  a.current = index;
  if (engine_.now() > st.time.start && options_.expectations)
    fail(st, fmt::format("{} could not start {} at {}: the thread was still blocked in an "
                         "earlier call; it started at {}",
                         st.process + "." + st.thread, call_text(st.call),
                         format_time(st.time.start), format_time(engine_.now())));
  world_.call(a.id, build_call(st, st.process));
}

void Interpreter::on_return(ThreadId thread, const ApiResult& r) {
  const std::string& label = thread_names_.at(thread);
  ThreadActor& a = threads_.at(label);
  CLOSESIM_CHECK(a.current);
  const Step& st = scenario_.steps[*a.current];
  a.current.reset();
  bind(st, st.process, r);
  if (options_.expectations) check_result(st, r);
  // The next step of this thread runs as its own event, after whatever the world still does
  // for the call that just returned.
  engine_.at(engine_.now(), a.lane, [this, label] { pump(label); });
}

void Interpreter::bind(const Step& st, const std::string& process, const ApiResult& r) {
  const CallAction& c = st.call;
  if (c.assign.empty()) return;
  const std::string& f = c.name;
  if (f == "socket" || f == "accept" || f == "WSASocket") {
    Binding b{st.line, out_.trace.size() ? out_.trace.records().back().seq : 0, process, r.handle,
              r.socket};
    names_.handles[c.assign].push_back(b);
    if (r.handle) {
      out_.trace.names().handles[{process, r.handle}] = c.assign;
      out_.trace.names().descriptors[{process, r.handle, r.socket}] = c.assign;
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

ApiCall Interpreter::build_call(const Step& st, const std::string& process) {
  const CallAction& c = st.call;
  const auto& args = c.args;
  ApiCall call;
  call.text = args_text(c);
  call.line = st.line;
  auto arg_handle = [&](std::size_t i) {
    return i < args.size() ? handle_of(args[i].text, process, st.line) : 0;
  };
  const std::string& f = c.name;
  if (f == "socket") {
    call.function = ApiFunction::Socket;
    for (const Argument& a : args) {
      if (a.text == "udp") call.udp = true;
      if (a.text == "overlapped") call.overlapped = true;
      if (a.text == "nonblocking") call.nonblocking = true;
    }
  } else if (f == "connect" || f == "listen" || f == "accept" || f == "closesocket") {
    call.function = f == "connect"  ? ApiFunction::Connect
                    : f == "listen" ? ApiFunction::Listen
                    : f == "accept" ? ApiFunction::Accept
                                    : ApiFunction::CloseSocket;
    call.handle = arg_handle(0);
  } else if (f == "send" || f == "recv" || f == "WSASend" || f == "WSARecv") {
    call.function = f == "send"      ? ApiFunction::Send
                    : f == "recv"    ? ApiFunction::Recv
                    : f == "WSASend" ? ApiFunction::WSASend
                                     : ApiFunction::WSARecv;
    call.handle = arg_handle(0);
    call.count = args.size() > 1 ? args[1].value : 0;
    if (args.size() > 2) call.op = args[2].text;
    if (args.size() > 3) {
      const Argument& how = args[3];
      if (how.kind == Argument::Kind::KeyValue && how.key == "event") {
        call.via = CompletionVia::Event;
        call.object = object_of(how.text);
        call.object_name = how.text;
      } else if (how.kind == Argument::Kind::KeyValue && how.key == "port") {
        call.via = CompletionVia::Port;
        call.object = object_of(how.text);
        call.object_name = how.text;
      } else if (how.text == "apc") {
        call.via = CompletionVia::Apc;
      }
    }
  } else if (f == "setsockopt") {
    call.handle = arg_handle(0);
    if (args.size() > 1 && args[1].text == "SO_LINGER") {
      call.function = ApiFunction::SetLinger;
      call.count = args.size() > 2 ? args[2].value : 0;
      call.count2 = args.size() > 3 ? args[3].value : 0;
    } else {
      call.function = ApiFunction::SetDontLinger;
      call.count = args.size() > 2 ? args[2].value : 0;
    }
  } else if (f == "ioctlsocket") {
    call.function = ApiFunction::SetNonBlocking;
    call.handle = arg_handle(0);
    call.count = args.size() > 2 ? args[2].value : 0;
  } else if (f == "shutdown") {
    call.function = ApiFunction::Shutdown;
    call.handle = arg_handle(0);
    const std::string how = args.size() > 1 ? args[1].text : "";
    call.count = how == "SD_RECEIVE" ? 0 : how == "SD_SEND" ? 1 : 2;
  } else if (f == "WSADuplicateSocket") {
    call.function = ApiFunction::DuplicateSocket;
    call.handle = arg_handle(0);
    call.target_process = args.size() > 1 ? args[1].text : "";
  } else if (f == "WSASocket") {
    call.function = ApiFunction::WSASocket;
    call.object = args.empty() ? 0 : object_of(args[0].text);
    call.object_name = args.empty() ? "" : args[0].text;
  } else if (f == "CreateIoCompletionPort") {
    call.function = ApiFunction::CreateIoCompletionPort;
    call.handle = arg_handle(0);
    if (args.size() == 3) call.object = object_of(args[1].text);
    call.object_name = c.assign.empty() ? (args.size() == 3 ? args[1].text : "") : c.assign;
    call.count = args.empty() ? 0 : args.back().value;
  } else if (f == "GetQueuedCompletionStatus" || f == "WaitForSingleObject") {
    call.function = f == "WaitForSingleObject" ? ApiFunction::WaitForSingleObject
                                               : ApiFunction::GetQueuedCompletionStatus;
    call.object = args.empty() ? 0 : object_of(args[0].text);
    call.object_name = args.empty() ? "" : args[0].text;
    call.timeout = args.size() > 1 ? timeout_of(args[1]) : -1;
  } else if (f == "SleepEx") {
    call.function = ApiFunction::SleepEx;
    call.timeout = args.empty() ? 0 : timeout_of(args[0]);
    call.count2 = args.size() > 1 ? args[1].value : 0;
  } else if (f == "WSACreateEvent") {
    call.function = ApiFunction::WSACreateEvent;
    call.object_name = c.assign;
  } else if (f == "WSAEventSelect") {
    call.function = ApiFunction::WSAEventSelect;
    call.handle = arg_handle(0);
    call.object = args.size() > 1 ? object_of(args[1].text) : 0;
    call.object_name = args.size() > 1 ? args[1].text : "";
    call.count = args.size() > 2 ? args[2].value : 0;
  } else if (f == "WSAStartup") {
    call.function = ApiFunction::WSAStartup;
  } else if (f == "WSACleanup") {
    call.function = ApiFunction::WSACleanup;
  } else {
    CLOSESIM_CHECK(false && "the parser admits only known calls");
  }
  return call;
}

void Interpreter::peer_step(std::size_t index) {
  const Step& st = scenario_.steps[index];
  ran_[index] = true;
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

void Interpreter::check_result(const Step& st, const ApiResult& r) {
  const ResultSpec& spec = *st.call.result;
  bool ok = true;
  switch (spec.kind) {
    case ResultSpec::Kind::Any: break;
    case ResultSpec::Kind::Value:
      ok = r.error == 0 && !r.io_pending && r.wait.empty() && r.packet_op.empty() &&
           r.text != "ok" && r.value == spec.value;
      break;
    case ResultSpec::Kind::Ok: ok = r.error == 0 && r.text == "ok"; break;
    case ResultSpec::Kind::Error: ok = r.error == spec.error && !r.io_pending; break;
    case ResultSpec::Kind::IoPending: ok = r.io_pending; break;
    case ResultSpec::Kind::Wait: ok = r.wait == spec.sentinel; break;
    case ResultSpec::Kind::Completion:
      ok = r.packet_op == spec.op && r.packet_status == spec.error && r.packet_bytes == spec.value;
      break;
  }
  const Time now = engine_.now();
  std::string when;
  bool on_time = true;
  if (!st.time.blocking) {
    when = "at " + format_time(st.time.start);
    on_time = now == st.time.start;
  } else if (st.time.end_any) {
    when = "at " + format_time(st.time.start) + " or later";
    on_time = now >= st.time.start;
  } else {
    when = "at " + format_time(st.time.end);
    on_time = now == st.time.end;
  }
  if (ok && on_time) return;
  fail(st, fmt::format("expected {} = {} {}, got {} at {}", call_text(st.call), spec.text, when,
                       r.text, format_time(now)));
}

}  // namespace closesim
