// The hidden `completion bash` subcommand: its script is written by walking the CLI11 App, so
// completion names exactly the subcommands and options the parser accepts (the build writes it
// to share/bash-completion/completions/closesim). Register after every other subcommand;
// dispatch() when parsed().
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace closesim::cli {

class Output;

class CompletionCommand {
 public:
  explicit CompletionCommand(CLI::App& app);
  bool parsed() const;
  int dispatch(Output& out);  // writes the script through `out` (checked, budgeted)

 private:
  // Fixed at construction.
  CLI::App& app_;
  CLI::App* completion_ = nullptr;
  // Filled by the parser.
  std::string shell_;
  std::string output_;
};

// The bash completion script for `app` (its visible subcommands and their options), for the
// command named `program`.
std::string bash_completion(const CLI::App& app, const std::string& program);

}  // namespace closesim::cli
