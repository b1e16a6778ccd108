// Everything the command line writes goes through Output: every write is checked (a failed
// write is exit 2 naming the path), the bytes written are held to the output budget
// (--max-output), colour is added on a terminal only (never in pipes or files, and not with
// NO_COLOR), and a closed pipe on standard output (`| head`) ends the output quietly.
#pragma once

#include <cstdint>
#include <string>

namespace closesim::cli {

inline constexpr std::uint64_t kDefaultMaxOutput = std::uint64_t{64} << 20;

class Output {
 public:
  // Decides colour from the terminals and NO_COLOR once, at construction.
  Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void set_budget(std::uint64_t bytes) { budget_ = bytes; }
  void set_quiet(bool quiet) { quiet_ = quiet; }
  bool quiet() const { return quiet_; }

  // Writes one whole document to `path` ("" or "-": standard output, unless --quiet). Returns
  // 0, or 2 after a one-line message (cannot write, or over the budget: nothing is written).
  int write(const std::string& path, const std::string& text);
  // Flushes standard output at exit; 2 after a message if anything written to it was lost.
  int finish();

  // "PASS"/"FAIL"/"ERROR" and "error:" in ANSI colour, for a terminal.
  static std::string colourize(const std::string& text);

 private:
  int write_stdout(const std::string& text);

  std::uint64_t budget_ = kDefaultMaxOutput;
  std::uint64_t written_ = 0;
  bool quiet_ = false;
  bool colour_out_ = false;
  bool pipe_closed_ = false;
};

// `text` as it should reach standard error: coloured when that is a terminal without NO_COLOR.
std::string for_stderr(const std::string& text);

}  // namespace closesim::cli
