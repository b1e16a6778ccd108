#include "closesim/base/diagnostic.h"

#include <fmt/format.h>

namespace closesim {

std::string format_diagnostic(const Diagnostic& d, const std::string& source_line) {
  std::string out;
  if (d.line > 0)
    out = fmt::format("{}:{}:{}: error: {}\n", d.file, d.line, d.column, d.message);
  else
    out = fmt::format("{}: error: {}\n", d.file, d.message);
  if (d.line > 0 && !source_line.empty()) {
    out += fmt::format("    {}\n", source_line);
    // Tabs are kept so the caret lines up under the same characters in a terminal.
    std::string pad;
    for (int i = 1; i < d.column && i - 1 < static_cast<int>(source_line.size()); ++i)
      pad += source_line[i - 1] == '\t' ? '\t' : ' ';
    out += fmt::format("    {}^{}\n", pad, std::string(d.length > 1 ? d.length - 1 : 0, '~'));
  }
  if (!d.hint.empty()) out += fmt::format("  hint: {}\n", d.hint);
  return out;
}

}  // namespace closesim
