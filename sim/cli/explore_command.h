// The explore and merge subcommands (schedule exploration, docs/explore.md). Registered on the
// app by the constructor; dispatch() runs whichever was parsed and returns the exit status.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/options.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace closesim::cli {

class ExploreCommand {
 public:
  ExploreCommand(CLI::App& app, CommonOptions& common);
  int dispatch();

 private:
  int explore();
  int merge();

  // Fixed at construction.
  CommonOptions& common_;
  CLI::App* explore_ = nullptr;
  CLI::App* merge_ = nullptr;
  CLI::Option* bound_option_ = nullptr;
  // Filled by the parser.
  std::string file_;
  std::string strategy_ = "auto";
  std::uint64_t max_schedules_ = 10'000;
  std::uint64_t preemption_bound_ = 0;
  std::uint64_t runs_ = 1000;
  std::uint64_t depth_ = 3;
  std::string shard_;
  std::uint64_t shard_depth_ = 4;
  std::string json_;
  std::string shrink_;
  std::uint64_t shrink_schedules_ = 2000;
  bool check_determinism_ = false;
  bool expect_all_ = false;
  bool signatures_ = false;
  bool require_exhaustive_ = false;
  std::vector<std::string> summaries_;
  std::string merge_output_;
};

}  // namespace closesim::cli
