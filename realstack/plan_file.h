// The plan as the runner reads it (docs/realstack.md, "The plan"; written by sim/real/plan.cc).
// Plain data: the runner's threads only read it once it is loaded.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace realstack {

// One call argument: kind 'n' number, 'd' duration (ns), 'f' flags (text, mask), 'k' key=text,
// 'w' a name or keyword, 'g' one of select's sets (key = read|write|except, text = "a,b"),
// 'p' one WSAPOLLFD (text = the socket, value = the events asked).
struct PlanArg {
  char kind = 'w';
  std::string text;
  std::string key;
  std::int64_t value = 0;
};

struct PlanStep {
  bool peer = false;
  int line = 0;
  std::int64_t start = 0;          // virtual ns
  bool blocking = false;           // the script says the call blocks (A...B or A...*)
  bool end_any = false;
  std::int64_t end = 0;
  // Thread steps.
  std::string process, thread, assign, call;
  std::vector<PlanArg> args;
  // Peer steps.
  std::string subject, action;
  std::int64_t bytes = 0;

  std::string actor() const { return process + "." + thread; }
};

struct PlanFile {
  std::string file;
  double time_scale = 1.0;
  std::int64_t tolerance = 10'000'000;  // virtual ns
  std::int64_t sndbuf = 65536;
  std::int64_t horizon = 0;             // virtual ns: the last time the scenario speaks of
  std::vector<PlanStep> steps;
};

// False with a message naming the plan line on a malformed plan.
bool read_plan(std::istream& in, PlanFile& plan, std::string& error);

}  // namespace realstack
