#include "cli/explore_command.h"

#include <fmt/format.h>

namespace closesim::cli {

ExploreCommand::ExploreCommand(CLI::App& app, CommonOptions& common) : common_(common) {
  explore_ = app.add_subcommand("explore", "Enumerate the orders a scenario leaves open");
  explore_->add_option("file", file_, "Scenario file")->required();
}

int ExploreCommand::dispatch() {
  fmt::print(stderr, "closesim: explore is not available in this build\n");
  return 2;
}

}  // namespace closesim::cli
