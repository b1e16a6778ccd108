// Reads a scenario's text from a path or from standard input ("-"), refusing anything that is
// not a regular file and anything over a size cap, so a FIFO, /dev/zero or /proc/self/mem can
// neither block, exhaust memory nor pass for an empty scenario. Private to sim/scenario.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace closesim::lang {

struct SourceProblem {
  std::string message;  // "not a regular file (a FIFO)"
  std::string hint;     // one line
};

// "a FIFO", "a character device", "a folder"...: what a stat mode names, for messages.
const char* file_kind(unsigned mode);

// Fills `text` and returns nullopt, or returns why the path cannot be read. Never blocks on a
// FIFO (it is opened non-blocking and refused), never reads more than max_bytes + 1 bytes.
std::optional<SourceProblem> read_source(const std::string& path, std::size_t max_bytes,
                                         std::string& text);

}  // namespace closesim::lang
