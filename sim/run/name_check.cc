// Before a scenario runs: every name a step uses must have been made by an earlier step, and be
// the right kind of thing (a socket where a socket is wanted, an event where an event is). A
// typo would otherwise show up only as a puzzling WSAENOTSOCK in the middle of a run. Which
// argument names what comes from the call table; each use costs O(log n), so the whole check is
// O(n log n) in the number of steps.
#include "closesim/run/runner.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "scenario/call_signatures.h"
#include "scenario/suggest.h"

namespace closesim {

namespace {

const char* kind_word(Makes k) {
  switch (k) {
    case Makes::Socket: return "a socket";
    case Makes::Event: return "an event";
    case Makes::Port: return "a completion port";
    case Makes::Info: return "a protocol info";
    case Makes::Nothing: break;
  }
  return "?";
}

// How a script makes a thing of kind `k`: the usage of the first call in the table that does.
std::string maker(Makes k) {
  for (const CallSpec& c : call_table())
    if (c.makes == k) {
      std::string usage(c.usage);
      return usage.find(" = ") == std::string::npos ? "x = " + usage : usage;
    }
  return "?";
}

std::optional<Makes> named_kind(ParamKind k) {
  switch (k) {
    case ParamKind::Socket: return Makes::Socket;
    case ParamKind::Event: return Makes::Event;
    case ParamKind::Port: return Makes::Port;
    case ParamKind::Info: return Makes::Info;
    default: return std::nullopt;
  }
}

// Two actor names that differ by a typo: equal but for case, or (for names of three or more
// characters) one edit apart where the edit is not a digit (t1/t2 are meant to differ).
bool typo_pair(const std::string& a, const std::string& b) {
  if (a == b) return false;
  if (lang::edit_distance(a, b) == 0) return true;  // only case differs
  if (std::min(a.size(), b.size()) < 3 || lang::edit_distance(a, b) != 1) return false;
  auto digits_differ = [&] {
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
      if (a[i] != b[i]) return std::isdigit(static_cast<unsigned char>(a[i])) ||
                               std::isdigit(static_cast<unsigned char>(b[i]));
    return false;
  };
  return !digits_differ();
}

class Checker {
 public:
  Checker(const Scenario& sc, int last_line, std::vector<Diagnostic>& out)
      : sc_(sc), last_line_(last_line), out_(out) {}

  void run() {
    // Ops and threads may be named by `*` expectations anywhere, and a name used too early is
    // told where it is made: collect them first.
    for (const Step& st : sc_.steps) {
      if (st.actor_kind != Step::ActorKind::Thread) continue;
      threads_.insert(st.process + "." + st.thread);
      const CallAction& c = st.call;
      if (!c.assign.empty()) made_at_[c.assign].push_back(st.line);
      if (c.id == CallId::None) continue;
      const auto& form = lang::matched_form(call_spec(c.id), c.args);
      for (std::size_t i = 0; i < c.args.size(); ++i)
        if (form[i].kind == ParamKind::Op && !refers_to_op(c.id))
          ops_.insert(c.args[i].text);
    }
    actor_typos();
    for (const Step& st : sc_.steps) {
      if (st.line > last_line_) break;
      switch (st.actor_kind) {
        case Step::ActorKind::Thread: call(st); break;
        case Step::ActorKind::Peer: use(st, st.peer_of, Makes::Socket, st.subject_span); break;
        case Step::ActorKind::Expect: expectation(st); break;
      }
    }
  }

 private:
  void call(const Step& st) {
    const CallAction& c = st.call;
    if (c.id == CallId::None) return;
    const std::string label = st.process + "." + st.thread;
    if (auto gone = exited_.find(label); gone != exited_.end())
      error(st, SourceSpan{st.line, st.actor_span.column, static_cast<int>(label.size())},
            fmt::format("{} exited at line {} (ExitThread) and makes no more calls", label,
                        gone->second),
            "give this step to another thread");
    if (c.id == CallId::ExitThread) exited_.try_emplace(label, st.line);
    const CallSpec& spec = call_spec(c.id);
    const auto& form = lang::matched_form(spec, c.args);
    for (std::size_t i = 0; i < c.args.size(); ++i) {
      const Argument& a = c.args[i];
      if (form[i].kind == ParamKind::Op && refers_to_op(c.id) && !ops_.count(a.text))
        error(st, a.span, fmt::format("no WSASend or WSARecv names an operation '{}'", a.text),
              suggestion(a.text, ops_, "name an operation a WSASend or WSARecv issued"));
      if (form[i].kind == ParamKind::Notify && a.kind == Argument::Kind::KeyValue) {
        // `event=e`: the name's span is the value's, past the key and '='.
        SourceSpan at{st.line, a.span.column + static_cast<int>(a.key.size()) + 1,
                      static_cast<int>(a.text.size())};
        use(st, a.text, a.key == "event" ? Makes::Event : Makes::Port, at);
      }
      if (a.kind == Argument::Kind::Group)  // select's sets, WSAPoll's entries: sockets
        for (const Argument& item : a.items)
          if (item.kind == Argument::Kind::Name) use(st, item.text, Makes::Socket, item.span);
      if (a.kind != Argument::Kind::Name) continue;
      if (std::optional<Makes> k = named_kind(form[i].kind)) use(st, a.text, *k, a.span);
    }
    if (!c.assign.empty() && spec.makes != Makes::Nothing) names_[c.assign] = spec.makes;
  }

  void expectation(const Step& st) {
    const Expectation& e = st.expect;
    const SourceSpan at = e.subject_span;
    switch (e.kind) {
      case Expectation::Kind::OpCompletes:
        if (!ops_.count(e.subject))
          error(st, at, fmt::format("no WSASend or WSARecv names an operation '{}'", e.subject),
                suggestion(e.subject, ops_,
                           "name the operation in the call, e.g. WSARecv(s, 100, o1)"));
        return;
      case Expectation::Kind::ThreadWakes:
        if (!threads_.count(e.subject))
          error(st, at, fmt::format("no step runs on thread '{}'", e.subject),
                suggestion(e.subject, threads_,
                           "threads are named process.thread by the steps that use them, e.g. A.t2"));
        return;
      default:
        // `*` holds over the whole run: the name only has to be made somewhere.
        if (st.time.any && (names_.count(e.subject) || made_at_.count(e.subject))) return;
        use(st, e.subject, Makes::Socket, at);
        return;
    }
  }

  // A process or thread written once, a typo away from one written more often (`a.main` beside
  // `A.main`): processes and threads are made on first use, so this would run silently as an
  // extra actor.
  void actor_typos() {
    std::map<std::string, std::vector<const Step*>> processes, threads;
    for (const Step& st : sc_.steps) {
      if (st.actor_kind != Step::ActorKind::Thread) continue;
      processes[st.process].push_back(&st);
      threads[st.process + "." + st.thread].push_back(&st);
      for (const Argument& a : st.call.args)
        if (a.kind == Argument::Kind::Name && st.call.id == CallId::WSADuplicateSocket &&
            &a == &st.call.args.back())
          processes[a.text].push_back(&st);
    }
    auto report = [&](const auto& table, const char* what, auto name_of) {
      // Only a name written twice or more can be what a lone one meant: with n threads written
      // once each (n blocked recvs) the scan is O(n), not O(n^2).
      std::vector<std::pair<const std::string*, std::size_t>> frequent;  // in the table's order
      for (const auto& [other, more] : table)
        if (more.size() >= 2) frequent.emplace_back(&other, more.size());
      for (const auto& [name, uses] : table) {
        if (uses.size() != 1) continue;
        for (const auto& [other_name, count] : frequent) {
          const std::string& other = *other_name;
          const std::size_t more_size = count;
          if (!typo_pair(name, other)) continue;
          const Step& st = *uses.front();
          error(st, name_of(st, name),
                fmt::format("{} '{}' appears only here, beside '{}' on {} other lines", what, name,
                            other, more_size),
                fmt::format("did you mean '{}'?", other));
          break;
        }
      }
    };
    report(processes, "process", [](const Step& st, const std::string& name) {
      if (st.process == name)
        return SourceSpan{st.line, st.actor_span.column, static_cast<int>(name.size())};
      return st.call.args.back().span;
    });
    report(threads, "thread", [](const Step& st, const std::string& name) {
      return SourceSpan{st.line, st.actor_span.column, static_cast<int>(name.size())};
    });
  }

  static std::string suggestion(const std::string& name, const std::set<std::string>& known,
                                std::string otherwise) {
    std::vector<std::string_view> candidates(known.begin(), known.end());
    return lang::did_you_mean(name, candidates, std::move(otherwise));
  }

  void use(const Step& st, const std::string& name, Makes want, SourceSpan at) {
    at.length = static_cast<int>(name.size());
    auto it = names_.find(name);
    if (it == names_.end()) {
      auto made = made_at_.find(name);
      if (made != made_at_.end()) {
        auto later = std::upper_bound(made->second.begin(), made->second.end(), st.line);
        if (later != made->second.end()) {
          error(st, at, fmt::format("'{}' is used before line {} makes it", name, *later),
                "move this step below the one that makes it");
          return;
        }
      }
      std::vector<std::string_view> known;
      for (const auto& [n, kind] : names_)
        if (kind == want) known.push_back(n);
      error(st, at, fmt::format("'{}' is not made by any step", name),
            lang::did_you_mean(name, known, fmt::format("make it first, e.g. `{}`", maker(want))));
      return;
    }
    if (it->second != want)
      error(st, at, fmt::format("'{}' is {}, not {}", name, kind_word(it->second), kind_word(want)),
            fmt::format("this argument takes {}, made like `{}`", kind_word(want), maker(want)));
  }

  void error(const Step& st, SourceSpan at, std::string message, std::string hint) {
    out_.push_back(Diagnostic{sc_.file, st.line, at.column, std::max(1, at.length),
                              std::move(message), std::move(hint)});
  }

  const Scenario& sc_;
  const int last_line_;
  std::vector<Diagnostic>& out_;
  std::map<std::string, Makes> names_;              // made so far, by kind
  std::map<std::string, std::vector<int>> made_at_;  // every line that makes it, ascending
  std::set<std::string> ops_;
  std::set<std::string> threads_;
  std::map<std::string, int> exited_;  // thread -> the line of its ExitThread
};

}  // namespace

std::vector<Diagnostic> check_names(const Scenario& scenario, int last_line) {
  std::vector<Diagnostic> out;
  Checker(scenario, last_line, out).run();
  std::stable_sort(out.begin(), out.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  return out;
}

}  // namespace closesim
