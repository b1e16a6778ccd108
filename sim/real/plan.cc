// Writes the plan from the Scenario AST, with the calls the runner can play named by the call
// table's ids (realstack/calls.cc plays them on ws2_32).
#include "closesim/real/plan.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "closesim/base/call_table.h"

namespace closesim::real {

namespace {

// The calls the runner plays on ws2_32 (realstack/calls.cc), by the call table's ids; a call of
// the table that is not here is named unrealisable with the reason below or a generic one.
constexpr CallId kPlayed[] = {
    CallId::Socket, CallId::Connect, CallId::Send, CallId::Recv, CallId::WSASend, CallId::WSARecv,
    CallId::SetSockOpt, CallId::IoctlSocket, CallId::Shutdown, CallId::CloseSocket,
    CallId::CreateIoCompletionPort, CallId::GetQueuedCompletionStatus, CallId::WaitForSingleObject,
    CallId::SleepEx, CallId::WSACreateEvent, CallId::WSAEventSelect, CallId::WSAStartup,
    CallId::WSACleanup, CallId::Listen, CallId::Accept, CallId::CancelIo, CallId::CancelIoEx,
    CallId::Select, CallId::WSAPoll, CallId::GetSockOpt, CallId::GetOverlappedResult,
    CallId::WSAGetOverlappedResult, CallId::WSAEnumNetworkEvents, CallId::WSAResetEvent,
    CallId::AcceptEx, CallId::Bind, CallId::SendTo, CallId::RecvFrom, CallId::WSARecvFrom,
    CallId::ExitThread, CallId::WSAIoctl, CallId::WSADuplicateSocket, CallId::WSASocket,
};

// Calls that need the runner's loopback peer, which the first process owns: a second process
// cannot make or take a connection of its own (it shares one through WSADuplicateSocket).
constexpr CallId kFirstProcessOnly[] = {
    CallId::Connect, CallId::Listen, CallId::Accept, CallId::AcceptEx, CallId::Bind, CallId::SendTo,
};

std::string_view unsupported_reason(const std::string& call) {
  const std::optional<CallId> id = find_call_id(call);
  if (!id) return "the runner does not know this call";
  if (std::find(std::begin(kPlayed), std::end(kPlayed), *id) != std::end(kPlayed)) return "";
  return "the runner does not play this call yet";
}

// One argument as one whitespace-free token: kind letter, then its parts split by ':'.
// n:VALUE  d:NS  f:TEXT:MASK  k:KEY:TEXT  w:TEXT  g:SET:a,b (select's sets)  p:NAME:MASK (one
// WSAPOLLFD). Names and flags never hold ':', ',' or spaces.
std::string argument_token(const Argument& a) {
  switch (a.kind) {
    case Argument::Kind::Number: return fmt::format("n:{}", a.value);
    case Argument::Kind::Duration: return fmt::format("d:{}", a.value);
    case Argument::Kind::Flags: return fmt::format("f:{}:{}", a.text, a.value);
    case Argument::Kind::KeyValue: return fmt::format("k:{}:{}", a.key, a.text);
    case Argument::Kind::Group: {
      if (a.items.size() == 2 && a.items[1].kind == Argument::Kind::PollFlags)
        return fmt::format("p:{}:{}", a.items[0].text, a.items[1].value);
      std::string names;
      for (const Argument& item : a.items) names += (names.empty() ? "" : ",") + item.text;
      return fmt::format("g:{}:{}", a.key, names);
    }
    case Argument::Kind::Name:
    case Argument::Kind::PollFlags: break;
  }
  return "w:" + a.text;
}

// Peer actions the runner cannot do, with the reason; "" for those it does.
std::string_view unsupported_peer_action(PeerAction::Kind k) {
  if (k == PeerAction::Kind::Abort)
    return "an abort from outside needs a tool that deletes the TCP connection (SetTcpEntry, "
           "administrator rights on Windows, not offered by Wine): the runner does not do it";
  return "";
}

std::string peer_action_name(PeerAction::Kind k) {
  switch (k) {
    case PeerAction::Kind::Send: return "send";
    case PeerAction::Kind::StopReading: return "stop_reading";
    case PeerAction::Kind::StartReading: return "start_reading";
    case PeerAction::Kind::Close: return "close";
    case PeerAction::Kind::Reset: return "reset";
    case PeerAction::Kind::Connect: return "connect";
    case PeerAction::Kind::Shutdown: return "shutdown";
    case PeerAction::Kind::CloseSocket: return "closesocket";
    case PeerAction::Kind::Abort: return "abort";
  }
  return "?";
}

std::string end_token(const StepTime& t) {
  if (!t.blocking) return "-";
  if (t.end_any) return "*";
  return fmt::format("{}", t.end);
}

}  // namespace

Plan write_plan(const Scenario& sc, const PlanOptions& options) {
  Plan plan;
  std::string& out = plan.text;
  out += "closesim-plan 1\n";
  out += fmt::format("file {}\n", sc.file.empty() ? "-" : sc.file);
  out += fmt::format("time-scale {}\n", options.time_scale);
  out += fmt::format("tolerance {}\n", options.tolerance);
  out += fmt::format("sndbuf {}\n", sc.link.sndbuf);
  Time horizon = 0;  // the runner keeps watching until the last time the scenario speaks of
  for (const Step& st : sc.steps) horizon = std::max({horizon, st.time.start, st.time.end});
  out += fmt::format("horizon {}\n", horizon);

  std::string first_process;
  for (const Step& st : sc.steps) {
    if (st.actor_kind == Step::ActorKind::Expect) continue;
    if (st.actor_kind == Step::ActorKind::Peer) {
      if (const std::string_view why = unsupported_peer_action(st.peer.kind); !why.empty()) {
        plan.unrealisable.push_back(
            {st.line, fmt::format("peer({}) {}: {}", st.peer_of, peer_action_name(st.peer.kind), why)});
        continue;
      }
      out += fmt::format("peer {} {} {} {} {}\n", st.line, st.time.start, st.peer_of,
                         peer_action_name(st.peer.kind), st.peer.bytes);
      continue;
    }
    if (first_process.empty()) first_process = st.process;
    const std::optional<CallId> id = find_call_id(st.call.name);
    if (st.process != first_process && id &&
        std::find(std::begin(kFirstProcessOnly), std::end(kFirstProcessOnly), *id) != std::end(kFirstProcessOnly)) {
      plan.unrealisable.push_back(
          {st.line, fmt::format("{} in process {}: the runner's loopback peer belongs to the first process "
                                "({}); a child process shares a connection through WSADuplicateSocket",
                                st.call.name, st.process, first_process)});
      continue;
    }
    const std::string_view why = unsupported_reason(st.call.name);
    if (!why.empty()) {
      plan.unrealisable.push_back({st.line, fmt::format("{}: {}", st.call.name, why)});
      continue;
    }
    out += fmt::format("call {} {} {} {} {} {} {}", st.line, st.time.start, end_token(st.time),
                       st.process, st.thread, st.call.assign.empty() ? "-" : st.call.assign,
                       st.call.name);
    for (const Argument& a : st.call.args) out += " " + argument_token(a);
    out += "\n";
  }
  out += "end\n";
  return plan;
}

}  // namespace closesim::real
