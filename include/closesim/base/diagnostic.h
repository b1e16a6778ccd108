// Errors in a user's input, as values: where (file:line:column), what, and a one-line hint on
// how to fix it. Nothing a user writes may crash closesim; every such problem becomes one of
// these, and they are reported together.
#pragma once

#include <string>
#include <vector>

namespace closesim {

struct Diagnostic {
  std::string file;
  int line = 0;     // 1-based; 0 when the problem is the whole file (cannot open it)
  int column = 0;   // 1-based
  int length = 1;   // characters to underline
  std::string message;
  std::string hint;  // "did you mean 'closesocket'?"; may be empty
};

// "file:3:14: error: unknown call 'closesockt'\n    0 A.main closesockt(s) = 0\n
//  ^~~~~~~~~~\n  hint: did you mean 'closesocket'?\n". `source_line` may be empty.
std::string format_diagnostic(const Diagnostic& d, const std::string& source_line);

}  // namespace closesim
