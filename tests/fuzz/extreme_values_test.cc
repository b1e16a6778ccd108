// The extreme-value sweep: every number of every bundled scenario replaced by 0, 1, 2^31,
// 2^63-1 and 2^64-1, each with the number's own unit (or `ns` where it had none) and without
// any unit. Every variant must either be refused with a located diagnostic or run to a verdict
// within its budget: no overflow (the sanitizer build runs this), no internal error.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_scenario.h"
#include "../support/text.h"

namespace fs = std::filesystem;

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

// A number as written in a line: where its digits start and end, and the unit after them.
struct Number {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the digits (and a fraction)
  std::string unit;
};

// Numbers that start a token (so `R8`, `o1` and `A.t2` are names, not numbers); comments
// after '#' are left alone.
std::vector<Number> numbers_in(const std::string& line) {
  std::vector<Number> out;
  const std::size_t stop = std::min(line.find('#'), line.size());
  for (std::size_t i = 0; i < stop;) {
    if (!is_digit(line[i]) || (i > 0 && (is_letter(line[i - 1]) || is_digit(line[i - 1]) ||
                                         line[i - 1] == '.'))) {
      ++i;
      continue;
    }
    Number n;
    n.begin = i;
    while (i < stop && (is_digit(line[i]) || line[i] == '.') &&
           !(line[i] == '.' && line.compare(i, 3, "...") == 0))
      ++i;
    n.end = i;
    while (i < stop && is_letter(line[i])) n.unit += line[i++];
    out.push_back(n);
  }
  return out;
}

using closesim::support::read;

}  // namespace

TEST_CASE("extreme values in every number of every bundled scenario never break closesim") {
#ifdef CLOSESIM_SANITIZED
  // The sanitizers look for overflow: zero and the two top edges.
  const char* kValues[] = {"0", "9223372036854775807", "18446744073709551615"};
#else
  const char* kValues[] = {"0", "1", "2147483648", "9223372036854775807", "18446744073709551615"};
#endif
  std::vector<fs::path> files;
  for (const fs::directory_entry& e :
       fs::recursive_directory_iterator(fs::path(CLOSESIM_SOURCE_DIR) / "scenarios"))
    if (e.is_regular_file() && e.path().extension() == ".scn") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 40);

  // A small budget keeps the sweep short in the sanitizer build; a loop shows in 100 records.
  const closesim::fuzz::FuzzDepth depth{.every_view = false, .rerun = false, .max_trace_records = 100};
  std::size_t inputs = 0;
  // The sanitized build sweeps each distinct line once (the first file it appears in): the same
  // numbers in the same words reach the same parsing and range checks; the plain build sweeps
  // every line of every file.
#ifdef CLOSESIM_SANITIZED
  std::set<std::string> swept;
#endif
  for (const fs::path& f : files) {
    const std::string text = read(f);
    std::size_t line_start = 0;
    while (line_start < text.size()) {
      std::size_t line_end = text.find('\n', line_start);
      if (line_end == std::string::npos) line_end = text.size();
      const std::string line = text.substr(line_start, line_end - line_start);
#ifdef CLOSESIM_SANITIZED
      if (!swept.insert(line).second) {
        line_start = line_end + 1;
        continue;
      }
#endif
      for (const Number& n : numbers_in(line)) {
        for (const char* v : kValues) {
          const std::string with_unit = std::string(v) + (n.unit.empty() ? "ns" : n.unit);
          for (const std::string& replacement : {std::string(v), with_unit}) {
            std::string variant = text;
            variant.replace(line_start + n.begin, n.end - n.begin + n.unit.size(), replacement);
            const std::string broke = closesim::fuzz::fuzz_scenario(variant, depth);
            if (!broke.empty()) {
              CAPTURE(f.string());
              CAPTURE(line);
              CAPTURE(replacement);
              FAIL_CHECK(broke);
            }
            ++inputs;
          }
        }
      }
      line_start = line_end + 1;
    }
  }
  MESSAGE(inputs << " inputs swept");
  CHECK(inputs > 500);
}
