// The explore and merge subcommands (schedule exploration). Registered on the app by the
// constructor; dispatch() runs whichever was parsed and returns the exit status.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/options.h"

namespace closesim::cli {

class ExploreCommand {
 public:
  ExploreCommand(CLI::App& app, CommonOptions& common);
  int dispatch();

 private:
  CommonOptions& common_;
  CLI::App* explore_ = nullptr;
  std::string file_;
};

}  // namespace closesim::cli
