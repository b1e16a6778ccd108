// The real-stack subcommands (docs/realstack.md): `real` plays scenarios on Wine (or Windows),
// `judge` judges a recorded trace, `diff` sets two runs of a scenario side by side. Registered on
// the app by the constructor; dispatch() runs whichever was parsed, or returns -1 if none was.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.h"

namespace CLI {
class App;
}

namespace closesim::cli {

class Output;

// "50ms", "1s", "200us" -> ns; nullopt for anything else.
std::optional<Time> parse_tolerance(const std::string& text);
// Parses a scenario and checks its names; on errors prints them as `run` does, raises status to 2
// and returns nullopt.
std::optional<Scenario> load_scenario(const std::string& file, int& status, Output& out);

class RealCommand {
 public:
  RealCommand(CLI::App& app, CommonOptions& common, Output& out);
  int dispatch();

 private:
  int real();
  int judge();
  int diff();
  int write_plans(const std::vector<std::string>& files, Time tolerance);

  // Fixed at construction.
  CommonOptions& common_;
  Output& out_;
  CLI::App* real_ = nullptr;
  CLI::App* judge_ = nullptr;
  CLI::App* diff_ = nullptr;
  // Filled by the parser.
  std::vector<std::string> files_;
  std::string format_ = "text";
  std::string output_;
  double time_scale_ = 1.0;
  std::string tolerance_ = "100ms";
  std::uint64_t runs_ = 1;
  bool outcome_only_ = false;
  std::string trace_;
  std::string scenario_;
  std::string between_;
  std::string plans_dir_;
};

}  // namespace closesim::cli
