// Dynamic partial-order reduction (Flanagan and Godefroid, POPL 2005) with sleep sets
// (Godefroid 1996), stateless: every schedule is reached by replaying its answers from the
// start, exactly as DFS does, so every schedule it runs replays with `--schedule`.
//
// After each run the events of each instant are analysed (races.h): two events race when they
// are dependent (footprint.h), run in different lanes, and nothing else orders them (neither the
// lane order, nor "this event scheduled that one", nor a chain of other dependent events).
// For the last event that races with an event of lane p, p is added to the backtrack set of the
// choice point where that earlier event was chosen — or every option there, when p was not
// among them. Sleep sets keep the search out of orders that only swap independent events of
// orders already run. Events at different instants are never reordered: time orders them.
//
// Sharding: the first `split_depth` choice points are branched in full (as DFS does, by probe
// runs) and each subtree below them is reduced on its own; subtree k belongs to shard k mod n.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "closesim/base/check.h"
#include "closesim/explore/explore.h"
#include "explore/footprint.h"
#include "explore/offers.h"
#include "explore/races.h"

namespace closesim {

namespace {

using por::Footprint;

struct RunEvent {
  EventInfo info;
  std::int64_t choice = -1;  // the choice point it was chosen at, -1 if it was the only one due
  Footprint footprint;
};

struct Sleeper {
  Lane lane = 0;
  Footprint footprint;
};

struct RunChoice {
  std::size_t options = 0;
  std::size_t chosen = 0;
  std::size_t event = 0;  // index into the run's events
};

// The sleepers of one run, from its branch point on, each with the first choice point at which
// it was awake again: who slept on arrival at choice point d is read from it, so no choice point
// keeps a copy of the sleep set.
struct SleepLog {
  std::vector<Sleeper> sleepers;
  std::vector<std::size_t> woken_at;  // by sleeper; SIZE_MAX while it sleeps
  std::size_t armed_at = SIZE_MAX;    // the choice point where the sleepers fell asleep

  bool asleep_at(std::size_t choice, Lane lane) const {
    if (choice < armed_at) return false;
    for (std::size_t k = 0; k < sleepers.size(); ++k)
      if (sleepers[k].lane == lane && woken_at[k] > choice) return true;
    return false;
  }
  std::vector<Sleeper> asleep_at(std::size_t choice) const {
    std::vector<Sleeper> out;
    if (choice < armed_at) return out;
    for (std::size_t k = 0; k < sleepers.size(); ++k)
      if (woken_at[k] > choice) out.push_back(sleepers[k]);
    return out;
  }
};

// Answers from a prefix, then `take`'s lane at the choice point right after it (if set); past
// them, the first option whose lane is not asleep (option 0 when all are). Records every event
// and choice point, which lanes were options where (from the events: a choice point costs
// nothing per option), and the sleep set on arrival at each choice point from `branch` on:
// `sleep` is who sleeps once the choice at `branch` is made (everything before is fixed by the
// prefix). Footprints here are read as the run goes, before it is known whether the run serves
// a queue of parked callers in order; a run that does has its sleep sets dropped afterwards
// (explore_subtree), so a sleeper never hides an order that matters.
class RecordingChoice final : public ChoiceSource {
 public:
  RecordingChoice(Answers prefix, std::optional<Lane> take, std::size_t branch,
                  std::vector<Sleeper> sleep)
      : prefix_(std::move(prefix)), take_(take), branch_(branch), initial_(std::move(sleep)),
        reader_(std::set<SocketId>{}) {}
  void watch(const Trace& trace) { trace_ = &trace; }

  std::size_t choose(const ChoiceContext& ctx) override {
    const std::size_t n = ctx.options.size();
    CLOSESIM_CHECK(n >= 2);
    finish_event();
    const std::size_t i = choices_.size();
    if (i == branch_ || (branch_ == SIZE_MAX && i == 0)) {
      log_->sleepers = std::move(initial_);
      log_->woken_at.assign(log_->sleepers.size(), SIZE_MAX);
      log_->armed_at = i;
      asleep_.clear();
      for (std::size_t k = 0; k < log_->sleepers.size(); ++k) asleep_.push_back(k);
      armed_ = true;
      // The event that ran last is finished only once this choice is made, and its lane counts
      // as met if it is among the options here, though its next event has not run yet.
      std::size_t k = 0;
      if (!events_.empty() && ctx.options.index_of(events_.back().info.lane, k))
        offered_at_arming_ = events_.back().info.lane;
    }
    std::size_t pick = 0;
    if (i < prefix_.size()) {
      pick = std::min(prefix_[i], n - 1);
    } else if (i == prefix_.size() && take_) {
      // The search branches here to a lane it saw among this choice point's options.
      CLOSESIM_CHECK(ctx.options.index_of(*take_, pick) && "the lane to take is not an option");
    } else {
      while (pick < n && asleep(ctx.options.lane(pick))) ++pick;
      if (pick == n) pick = 0;  // every option asleep: this run repeats a trace already run
    }
    RunChoice c;
    c.options = n;
    c.chosen = pick;
    choices_.push_back(c);
    pending_ = true;
    return pick;
  }
  void on_event(const EventInfo& e) override {
    finish_event();
    if (e.lane >= labels_.size()) labels_.resize(e.lane + 1);
    std::string& label = labels_[e.lane];
    if (label.empty()) label = *e.label;
    if (e.offered_from < e.offered_to) offers_.add(e.lane, e.time, e.offered_from, e.offered_to);
    RunEvent ev;
    ev.info = e;
    ev.info.label = nullptr;  // the engine's, valid during this call only
    if (pending_) {
      ev.choice = static_cast<std::int64_t>(choices_.size() - 1);
      choices_.back().event = events_.size();
      pending_ = false;
    }
    events_.push_back(std::move(ev));
    mark_ = trace_ ? trace_->size() : 0;
  }
  void on_withdrawn(Lane lane, Time time, std::uint64_t from, std::uint64_t to) override {
    offers_.add(lane, time, from, to);
  }

  std::vector<RunEvent>& events() { return events_; }
  const std::vector<RunChoice>& choices() const { return choices_; }
  const por::OfferLog& offers() const { return offers_; }
  // Who slept where in this run (the search's nodes below the branch point keep it).
  std::shared_ptr<const SleepLog> sleep_log() const { return log_; }
  Answers answers() const {
    Answers out;
    for (const RunChoice& c : choices_) out.push_back(c.chosen);
    return out;
  }
  // The label of a lane met at a choice point, "" for any other.
  std::string label(Lane lane) const {
    return offers_.met(lane) && lane < labels_.size() ? labels_[lane] : std::string();
  }

 private:
  bool asleep(Lane lane) const {
    return std::any_of(asleep_.begin(), asleep_.end(),
                       [&](std::size_t k) { return log_->sleepers[k].lane == lane; });
  }
  // The event that ran last has written all its records: let it wake the sleepers it touches.
  void finish_event() {
    if (!armed_ || events_.empty() || !trace_ || finished_ == events_.size()) return;
    finished_ = events_.size();
    const auto& records = trace_->records();
    const RunEvent& last = events_.back();
    const Lane lane = last.info.lane;
    const bool met = offers_.met(lane) || offered_at_arming_ == lane;
    const Footprint fp = reader_.read(records, mark_, records.size(),
                                      met && lane < labels_.size() ? labels_[lane] : std::string());
    // Woken: not asleep on arrival at the next choice point.
    std::erase_if(asleep_, [&](std::size_t k) {
      const Sleeper& s = log_->sleepers[k];
      if (s.lane != lane && !por::dependent(s.footprint, fp)) return false;
      log_->woken_at[k] = choices_.size();
      return true;
    });
  }

  Answers prefix_;
  std::optional<Lane> take_;
  std::size_t branch_;
  std::vector<Sleeper> initial_;
  por::FootprintReader reader_;
  const Trace* trace_ = nullptr;
  std::vector<RunEvent> events_;
  std::vector<RunChoice> choices_;
  por::OfferLog offers_;
  std::vector<std::string> labels_;  // by lane, from the events as they run
  std::optional<Lane> offered_at_arming_;
  std::shared_ptr<SleepLog> log_ = std::make_shared<SleepLog>();
  std::vector<std::size_t> asleep_;  // the log's sleepers asleep now
  bool armed_ = false;
  bool pending_ = false;
  std::size_t mark_ = 0;      // the trace's size when the last event began
  std::size_t finished_ = 0;  // events whose footprint has woken sleepers
};

// Each event's footprint from the records it wrote (records carry their event's ordinal).
// Returns whether the run served a queue of parked callers in order.
bool read_footprints(const Trace& trace, const RecordingChoice& choices,
                     std::vector<RunEvent>& events) {
  std::set<SocketId> ordered = por::ordered_queues(trace);
  const bool any_ordered = !ordered.empty();
  por::FootprintReader reader(std::move(ordered));
  const auto& records = trace.records();
  std::size_t r = 0;
  for (RunEvent& e : events) {
    while (r < records.size() && records[r].event < e.info.ordinal) ++r;
    std::size_t end = r;
    while (end < records.size() && records[end].event == e.info.ordinal) ++end;
    e.footprint = reader.read(records, r, end, choices.label(e.info.lane));
    r = end;
  }
  return any_ordered;
}

// One choice point of the current path, with what the search knows about it.
struct Node {
  std::set<Lane> backtrack;
  bool all_options = false;             // every option is in `backtrack`
  std::set<Lane> done;
  std::shared_ptr<const SleepLog> sleep;  // who slept on arrival here, at `depth`, if any
  std::size_t depth = 0;
  std::map<Lane, Footprint> ran;        // the footprint of the event each tried lane ran here
};

bool asleep(const Node& node, Lane lane) {
  return node.sleep && node.sleep->asleep_at(node.depth, lane);
}

// The happens-before analysis of one run, adding backtrack lanes to `stack` at depths >= floor.
void add_backtracking(const std::vector<RunEvent>& events, const por::OfferLog& offers,
                      std::vector<Node>& stack, std::size_t floor) {
  std::map<std::uint64_t, std::size_t> index_of;  // ordinal -> index in events
  for (std::size_t k = 0; k < events.size(); ++k) index_of[events[k].info.ordinal] = k;
  std::vector<por::InstantEvent> instant;
  for (std::size_t begin = 0; begin < events.size();) {
    std::size_t end = begin;
    while (end < events.size() && events[end].info.time == events[begin].info.time) ++end;
    instant.clear();
    for (std::size_t k = begin; k < end; ++k) {
      por::InstantEvent e;
      e.lane = events[k].info.lane;
      e.footprint = &events[k].footprint;
      auto creator = index_of.find(events[k].info.creator);
      if (events[k].info.creator != kNoEvent && creator != index_of.end() &&
          creator->second >= begin && creator->second < k)
        e.creator = creator->second - begin;
      instant.push_back(e);
    }
    por::for_each_race(instant, [&](std::size_t earlier, std::size_t later) {
      const RunEvent& ei = events[begin + earlier];
      const Lane lane = events[begin + later].info.lane;
      if (ei.choice < 0 || static_cast<std::size_t>(ei.choice) < floor ||
          static_cast<std::size_t>(ei.choice) >= stack.size())
        return;
      const auto d = static_cast<std::size_t>(ei.choice);
      Node& node = stack[d];
      if (offers.offered(lane, d)) {
        node.backtrack.insert(lane);
      } else if (!node.all_options) {
        // Every run below this node took the same answers down to it: this run's offers at d
        // are the node's options.
        const std::vector<Lane> all = offers.options_at(d);
        node.backtrack.insert(all.begin(), all.end());
        node.all_options = true;
      }
    });
    begin = end;
  }
}

// Reduced exploration of the subtree below `top` (its answers are fixed). Returns false if the
// visitor asked to stop or the budget ran out.
bool explore_subtree(ScheduleRunner& runner, const Answers& top, const DporOptions& dpor,
                     const ScheduleVisitor& visit, StrategyStats& stats) {
  std::vector<Node> stack;
  Answers prefix = top;
  std::size_t branched = SIZE_MAX;  // the depth whose lane was just switched
  std::optional<Lane> take;         // the lane switched to there
  std::vector<Sleeper> sleep;       // who sleeps below the lane just switched to
  for (;;) {
    if (stats.runs >= dpor.max_schedules) {
      stats.truncated = true;
      return false;
    }
    RecordingChoice choices(prefix, take, branched == SIZE_MAX ? top.size() : branched, sleep);
    RunResult result = runner.run(choices, [&](const Trace& t) { choices.watch(t); });
    ++stats.runs;
    if (!visit(choices.answers(), result)) {
      stats.stopped = true;
      return false;
    }
    std::vector<RunEvent>& events = choices.events();
    const bool ordered = read_footprints(result.trace, choices, events);
    const std::vector<RunChoice>& cps = choices.choices();

    // The branch point learns what its new lane ran; the choice points met for the first time
    // join the path.
    std::size_t first_new = top.size();
    if (branched != SIZE_MAX) {
      const RunEvent& ran = events[cps[branched].event];
      CLOSESIM_CHECK(ran.info.lane == *take);
      stack[branched].ran[ran.info.lane] = ran.footprint;
      first_new = branched + 1;
    }
    if (stack.size() < cps.size()) stack.resize(cps.size());
    for (std::size_t d = first_new; d < cps.size(); ++d) {
      Node& node = stack[d];
      node = Node{};
      node.depth = d;
      if (!ordered) node.sleep = choices.sleep_log();
      const Lane chosen = events[cps[d].event].info.lane;
      node.backtrack.insert(chosen);
      node.done.insert(chosen);
      node.ran[chosen] = events[cps[d].event].footprint;
    }
    stack.resize(cps.size());
    add_backtracking(events, choices.offers(), stack, top.size());

    // The deepest choice point with a lane left to try that is neither tried nor asleep.
    branched = SIZE_MAX;
    take.reset();
    for (std::size_t d = stack.size(); d-- > top.size() && branched == SIZE_MAX;) {
      Node& node = stack[d];
      for (Lane lane : node.backtrack) {
        if (node.done.count(lane) || asleep(node, lane)) continue;
        // The lanes tried here sleep below the new one until something dependent runs.
        sleep = node.sleep ? node.sleep->asleep_at(d) : std::vector<Sleeper>{};
        for (const auto& [tried, fp] : node.ran) sleep.push_back(Sleeper{tried, fp});
        node.done.insert(lane);
        prefix.clear();
        for (std::size_t k = 0; k < d; ++k) prefix.push_back(cps[k].chosen);
        take = lane;  // its index at d is asked of the engine when the run gets there
        branched = d;
        break;
      }
    }
    if (branched == SIZE_MAX) return true;
    stack.resize(branched + 1);
  }
}

// The top of the tree, branched in full down to `split` choice points, in DFS order; calls
// `leaf` for each subtree's answers. Probe runs learn the shape.
bool walk_top(ScheduleRunner& runner, const Answers& prefix, std::size_t split,
              StrategyStats& stats, const std::function<bool(const Answers&)>& leaf) {
  if (prefix.size() >= split) return leaf(prefix);
  RecordingChoice probe(prefix, std::nullopt, SIZE_MAX - 1, {});
  runner.run(probe);
  ++stats.probes;
  if (probe.choices().size() <= prefix.size()) return leaf(prefix);
  const std::size_t options = probe.choices()[prefix.size()].options;
  for (std::size_t a = 0; a < options; ++a) {
    Answers next = prefix;
    next.push_back(a);
    if (!walk_top(runner, next, split, stats, leaf)) return false;
  }
  return true;
}

}  // namespace

StrategyStats explore_dpor(const Scenario& scenario, const RunOptions& options,
                           const DporOptions& dpor, const ScheduleVisitor& visit) {
  StrategyStats stats;
  ScheduleRunner runner(scenario, options);
  const Shard shard = dpor.shard.count == 0 ? Shard{} : dpor.shard;
  if (shard.count == 1) {
    explore_subtree(runner, {}, dpor, visit, stats);
    return stats;
  }
  std::uint64_t subtree = 0;
  walk_top(runner, {}, std::max<std::size_t>(dpor.split_depth, 1), stats,
           [&](const Answers& top) {
             const bool owned = shard_owns(shard, subtree++);
             if (!owned) return true;
             return explore_subtree(runner, top, dpor, visit, stats);
           });
  return stats;
}

}  // namespace closesim
