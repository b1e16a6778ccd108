#include "run/causal_order.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

namespace closesim {

namespace {

std::string thread_of(const Step& st) { return st.process + "." + st.thread; }

}  // namespace

std::vector<std::vector<Prerequisite>> causal_prerequisites(const Scenario& scenario) {
  const auto& steps = scenario.steps;
  std::vector<std::vector<Prerequisite>> out(steps.size());
  std::optional<std::size_t> previous_action;  // the last thread or peer step so far
  std::map<std::string, std::size_t> maker;       // name -> the latest step that made it
  std::map<std::string, std::size_t> connection;  // socket name -> latest connect/listen on it
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& st = steps[i];
    auto same_thread = [&](const Step& before) {
      return st.actor_kind == Step::ActorKind::Thread &&
             before.actor_kind == Step::ActorKind::Thread && thread_of(before) == thread_of(st);
    };
    auto need = [&](const std::map<std::string, std::size_t>& from, const std::string& name) {
      auto it = from.find(name);
      if (it == from.end() || same_thread(steps[it->second])) return;  // the thread orders its own
      out[i].push_back(Prerequisite{it->second, true});
    };
    if (st.actor_kind == Step::ActorKind::Expect) continue;
    if (st.time.after_previous && previous_action && !same_thread(steps[*previous_action]))
      out[i].push_back(Prerequisite{*previous_action, false});
    previous_action = i;
    if (st.actor_kind == Step::ActorKind::Thread) {
      for (const Argument& a : st.call.args) {
        if (a.kind == Argument::Kind::Name) need(maker, a.text);
        if (a.kind == Argument::Kind::KeyValue) need(maker, a.text);
        for (const Argument& item : a.items)  // select's sets, WSAPoll's entries
          if (item.kind == Argument::Kind::Name) need(maker, item.text);
      }
      if (!st.call.assign.empty()) maker[st.call.assign] = i;
      if ((st.call.id == CallId::Connect || st.call.id == CallId::Listen) && !st.call.args.empty())
        connection[st.call.args.front().text] = i;
    } else if (st.actor_kind == Step::ActorKind::Peer) {
      need(maker, st.peer_of);
      need(connection, st.peer_of);
    }
    std::sort(out[i].begin(), out[i].end());
    out[i].erase(std::unique(out[i].begin(), out[i].end()), out[i].end());
  }
  return out;
}

}  // namespace closesim
