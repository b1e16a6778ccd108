// Before a scenario runs: every name a step uses must have been made by an earlier step, and be
// the right kind of thing (a socket where a socket is wanted, an event where an event is). A
// typo would otherwise show up only as a puzzling WSAENOTSOCK in the middle of a run.
#include "closesim/runner.h"

#include <map>
#include <set>

#include <fmt/format.h>

namespace closesim {

namespace {

enum class NameKind { Socket, Event, Port, Info };

const char* kind_word(NameKind k) {
  switch (k) {
    case NameKind::Socket: return "a socket";
    case NameKind::Event: return "an event";
    case NameKind::Port: return "a completion port";
    case NameKind::Info: return "a protocol info";
  }
  return "?";
}

const char* maker(NameKind k) {
  switch (k) {
    case NameKind::Socket: return "s = socket(tcp)";
    case NameKind::Event: return "e = WSACreateEvent()";
    case NameKind::Port: return "p = CreateIoCompletionPort(s, 1)";
    case NameKind::Info: return "info = WSADuplicateSocket(s, B)";
  }
  return "?";
}

std::optional<NameKind> made_by(const std::string& call) {
  if (call == "socket" || call == "accept" || call == "WSASocket") return NameKind::Socket;
  if (call == "WSACreateEvent") return NameKind::Event;
  if (call == "CreateIoCompletionPort") return NameKind::Port;
  if (call == "WSADuplicateSocket") return NameKind::Info;
  return std::nullopt;
}

bool takes_socket_first(const std::string& call) {
  static const std::set<std::string> kCalls = {
      "connect", "listen",     "accept",      "send",          "recv",
      "WSASend", "WSARecv",    "setsockopt",  "ioctlsocket",   "shutdown",
      "closesocket", "WSADuplicateSocket", "CreateIoCompletionPort", "WSAEventSelect"};
  return kCalls.count(call) != 0;
}

class Checker {
 public:
  Checker(const Scenario& sc, std::vector<Diagnostic>& out) : sc_(sc), out_(out) {}

  void run() {
    // Ops and threads may be named by `*` expectations anywhere, so collect them first.
    for (const Step& st : sc_.steps) {
      if (st.actor_kind == Step::ActorKind::Thread) {
        threads_.insert(st.process + "." + st.thread);
        if ((st.call.name == "WSASend" || st.call.name == "WSARecv") && st.call.args.size() > 2)
          ops_.insert(st.call.args[2].text);
      }
    }
    for (const Step& st : sc_.steps) {
      switch (st.actor_kind) {
        case Step::ActorKind::Thread: call(st); break;
        case Step::ActorKind::Peer:
          use(st, st.peer_of, NameKind::Socket, st.actor_span.column + 5);
          break;
        case Step::ActorKind::Expect: expectation(st); break;
      }
    }
  }

 private:
  void call(const Step& st) {
    const CallAction& c = st.call;
    const auto& a = c.args;
    auto arg = [&](std::size_t i, NameKind k) {
      if (i < a.size() && a[i].kind == Argument::Kind::Name) use(st, a[i].text, k, a[i].span.column);
    };
    if (takes_socket_first(c.name)) arg(0, NameKind::Socket);
    if (c.name == "WSASocket") arg(0, NameKind::Info);
    if (c.name == "CreateIoCompletionPort" && a.size() == 3) arg(1, NameKind::Port);
    if (c.name == "GetQueuedCompletionStatus") arg(0, NameKind::Port);
    if (c.name == "WaitForSingleObject") arg(0, NameKind::Event);
    if (c.name == "WSAEventSelect") arg(1, NameKind::Event);
    for (const Argument& x : a) {
      if (x.kind != Argument::Kind::KeyValue) continue;
      if (x.key == "event") use(st, x.text, NameKind::Event, x.span.column + 6);
      if (x.key == "port") use(st, x.text, NameKind::Port, x.span.column + 5);
    }
    if (!c.assign.empty()) {
      if (std::optional<NameKind> k = made_by(c.name)) names_[c.assign] = *k;
    }
  }

  void expectation(const Step& st) {
    const Expectation& e = st.expect;
    const int col = column_of(st, e.subject);
    switch (e.kind) {
      case Expectation::Kind::OpCompletes:
        if (!ops_.count(e.subject))
          error(st, col, static_cast<int>(e.subject.size()),
                fmt::format("no WSASend or WSARecv names an operation '{}'", e.subject),
                "name the operation in the call, e.g. WSARecv(s, 100, o1)");
        return;
      case Expectation::Kind::ThreadWakes:
        if (!threads_.count(e.subject))
          error(st, col, static_cast<int>(e.subject.size()),
                fmt::format("no step runs on thread '{}'", e.subject),
                "threads are named process.thread by the steps that use them, e.g. A.t2");
        return;
      default:
        if (st.time.any) {
          // `*` holds over the whole run: the name only has to be made somewhere.
          if (!names_.count(e.subject) && !made_anywhere(e.subject))
            use(st, e.subject, NameKind::Socket, col);
          return;
        }
        use(st, e.subject, NameKind::Socket, col);
        return;
    }
  }

  bool made_anywhere(const std::string& name) const {
    for (const Step& st : sc_.steps)
      if (st.actor_kind == Step::ActorKind::Thread && st.call.assign == name) return true;
    return false;
  }

  static int column_of(const Step& st, const std::string& name) {
    std::size_t at = st.source.find(name, static_cast<std::size_t>(std::max(0, st.actor_span.column - 1)));
    return at == std::string::npos ? st.actor_span.column : static_cast<int>(at) + 1;
  }

  void use(const Step& st, const std::string& name, NameKind want, int column) {
    auto it = names_.find(name);
    const int len = static_cast<int>(name.size());
    if (it == names_.end()) {
      int later = 0;
      for (const Step& s : sc_.steps)
        if (s.actor_kind == Step::ActorKind::Thread && s.call.assign == name && s.line > st.line) {
          later = s.line;
          break;
        }
      if (later)
        error(st, column, len, fmt::format("'{}' is used before line {} makes it", name, later),
              "move this step below the one that makes it");
      else
        error(st, column, len, fmt::format("'{}' is not made by any step", name),
              fmt::format("make it first, e.g. `{}`", maker(want)));
      return;
    }
    if (it->second != want)
      error(st, column, len, fmt::format("'{}' is {}, not {}", name, kind_word(it->second), kind_word(want)),
            fmt::format("this argument takes {}, made like `{}`", kind_word(want), maker(want)));
  }

  void error(const Step& st, int column, int length, std::string message, std::string hint) {
    out_.push_back(Diagnostic{sc_.file, st.line, column, length, std::move(message), std::move(hint)});
  }

  const Scenario& sc_;
  std::vector<Diagnostic>& out_;
  std::map<std::string, NameKind> names_;
  std::set<std::string> ops_;
  std::set<std::string> threads_;
};

}  // namespace

std::vector<Diagnostic> check_names(const Scenario& scenario) {
  std::vector<Diagnostic> out;
  Checker(scenario, out).run();
  return out;
}

}  // namespace closesim
