// Plays a scenario's steps on an engine and a world: one engine lane per scripted thread and per
// peer, each step scheduled at its time; a thread runs its steps one at a time, so a step whose
// thread is still blocked waits (and is reported late). Checks each call's result and timing as
// it returns. Private to sim/run.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "closesim/engine/engine.h"
#include "closesim/result/run_result.h"
#include "closesim/run/runner.h"
#include "closesim/world/world.h"
#include "run/bindings.h"
#include "run/causal_order.h"

namespace closesim {

// `closesocket(s)`: a call step as the script wrote it, for messages.
std::string call_text(const CallAction& call);

class Interpreter final : public WorldListener {
 public:
  Interpreter(const Scenario& scenario, const RunOptions& options, ChoiceSource& choices,
              RunResult& out);
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Runs to the end (or a budget) and fills out.trace, failures, stuck, end_time, events.
  void run();
  const NameHistory& names() const { return names_; }

  void on_return(ThreadId thread, const ApiResult& result) override;

 private:
  struct ThreadActor {
    ThreadId id = 0;
    Lane lane = 0;
    std::deque<std::size_t> ready;        // steps due and waiting for the thread
    std::optional<std::size_t> current;   // the step whose call is in progress
  };

  void schedule_steps();
  void step_due(const std::string& actor, std::size_t index);
  void pump(const std::string& actor);
  void start_call(ThreadActor& a, std::size_t index);
  void peer_step(std::size_t index);
  ApiCall build_call(const Step& step, const std::string& process);
  Handle handle_of(const std::string& name, const std::string& process, int line) const;
  ObjectId object_of(const std::string& name) const;
  void check_result(const Step& step, const ApiResult& r);
  void fail(const Step& step, std::string message);
  void bind(const Step& step, const std::string& process, const ApiResult& r);
  // The first prerequisite of step `index` (causal_order.h) that has not returned, if any.
  std::optional<std::size_t> waiting_for(std::size_t index) const;
  void prerequisite_returned(std::size_t index);
  void release_waiters(std::size_t index);

  const Scenario& scenario_;
  const RunOptions& options_;
  RunResult& out_;
  Engine engine_;
  WorldConfig config_;
  World world_;
  std::map<std::string, ThreadActor> threads_;  // "A.main"
  std::map<ThreadId, std::string> thread_names_;
  std::map<std::string, Lane> peer_lanes_;      // "peer(s)"
  std::map<std::string, ObjectId> objects_;     // events, ports, protocol infos by name
  std::map<std::string, std::vector<std::size_t>> deferred_peer_;  // peer steps before a bind
  NameHistory names_;
  std::vector<bool> ran_;                       // per step
  std::vector<bool> returned_;                  // per step: its call has returned
  std::vector<Time> returned_at_;               // ... and when
  std::vector<std::vector<Prerequisite>> prerequisites_;  // per step (causal_order.h)
  // Step -> the thread actors and peer steps waiting for it to return.
  std::map<std::size_t, std::vector<std::string>> waiting_threads_;
  std::map<std::size_t, std::vector<std::size_t>> waiting_peers_;
};

}  // namespace closesim
