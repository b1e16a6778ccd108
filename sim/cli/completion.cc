// Bash completion made from the App itself (see completion.h). The script completes, in order:
// a subcommand; the value of an option that takes one of a fixed set (CLI::IsMember, seen in
// the option's type name "TEXT:{a,b}"); an option name after '-'; otherwise bash's own file
// completion (scenario files and folders, output files, numbers alike).
#include "cli/completion.h"

#include "cli/output.h"

#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/options.h"

namespace closesim::cli {

namespace {

// Visible subcommands: a subcommand with an empty group is hidden from help, and from completion.
std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

// Every name an option answers to, with its dashes.
std::vector<std::string> option_names(const CLI::Option& option) {
  std::vector<std::string> out;
  for (const std::string& s : option.get_snames()) out.push_back("-" + s);
  for (const std::string& l : option.get_lnames()) out.push_back("--" + l);
  return out;
}

// The words of "TEXT:{a,b,c}", or none when the option's values are not a fixed set.
std::vector<std::string> fixed_values(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  const std::size_t open = type.find('{');
  const std::size_t close = type.find('}', open);
  std::vector<std::string> out;
  if (open == std::string::npos || close == std::string::npos) return out;
  std::string word;
  for (char c : type.substr(open + 1, close - open - 1)) {
    if (c == ',') {
      if (!word.empty()) out.push_back(word);
      word.clear();
    } else if (c != ' ') {
      word += c;
    }
  }
  if (!word.empty()) out.push_back(word);
  return out;
}

std::string words(const std::vector<std::string>& list) { return fmt::format("{}", fmt::join(list, " ")); }

// The case arm completing one subcommand's words.
std::string subcommand_arm(const CLI::App& sub) {
  std::vector<std::string> names;
  std::string values;
  for (const CLI::Option* option : sub.get_options()) {
    if (option->get_positional()) continue;
    std::vector<std::string> own = option_names(*option);
    names.insert(names.end(), own.begin(), own.end());
    std::vector<std::string> set = fixed_values(*option);
    if (!set.empty())
      values += fmt::format("        {}) COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); return ;;\n",
                            fmt::join(own, "|"), words(set));
  }
  std::string arm = fmt::format("    {})\n", sub.get_name());
  if (!values.empty()) arm += "      case \"$prev\" in\n" + values + "      esac\n";
  arm += fmt::format("      [[ \"$cur\" == -* ]] && COMPREPLY=($(compgen -W \"{}\" -- \"$cur\"))\n",
                     words(names));
  arm += "      return ;;\n";
  return arm;
}

}  // namespace

std::string bash_completion(const CLI::App& app, const std::string& program) {
  std::vector<std::string> subcommands;
  std::string arms;
  for (const CLI::App* sub : visible_subcommands(app)) {
    subcommands.push_back(sub->get_name());
    arms += subcommand_arm(*sub);
  }
  std::vector<std::string> top;
  for (const CLI::Option* option : app.get_options())
    for (const std::string& name : option_names(*option)) top.push_back(name);

  std::string out = fmt::format(
      "# bash completion for {0}: written by `{0} completion bash`, from the command line's own\n"
      "# description, so it names exactly the subcommands and options that {0} accepts.\n"
      "_{0}() {{\n"
      "  local cur=\"${{COMP_WORDS[COMP_CWORD]}}\" prev=\"${{COMP_WORDS[COMP_CWORD-1]}}\" sub= i\n"
      "  COMPREPLY=()\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case \"${{COMP_WORDS[i]}}\" in\n"
      "      {1}) sub=\"${{COMP_WORDS[i]}}\"; break ;;\n"
      "    esac\n"
      "  done\n"
      "  case \"$sub\" in\n"
      "    \"\")\n"
      "      COMPREPLY=($(compgen -W \"{2} {3}\" -- \"$cur\"))\n"
      "      return ;;\n",
      program, fmt::join(subcommands, "|"), words(subcommands), words(top));
  out += arms;
  out += fmt::format("  esac\n}}\ncomplete -o default -F _{0} {0}\n", program);
  return out;
}

CompletionCommand::CompletionCommand(CLI::App& app) : app_(app) {
  // An empty group hides the subcommand from the help and from the completion itself.
  completion_ = app.add_subcommand("completion", "Print a shell completion script")->group("");
  completion_->add_option("shell", shell_, "The shell (bash)")
      ->required()
      ->check(CLI::IsMember({"bash"}));
  completion_->add_option("-o,--output", output_, "Write to this file instead of standard output");
}

bool CompletionCommand::parsed() const { return completion_->parsed(); }

int CompletionCommand::dispatch(Output& out) {
  // The script completes the command by the name it is installed under, not the path it ran by.
  const std::string& called = app_.get_name();
  const std::string program = called.substr(called.find_last_of('/') + 1);
  return out.write(output_, bash_completion(app_, program.empty() ? "closesim" : program));
}

}  // namespace closesim::cli
