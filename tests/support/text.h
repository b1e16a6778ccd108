// Small text helpers the test files of several areas use: how often a string occurs in an
// output, and a file's bytes. Header-only, so a test binary needs no support library for them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace closesim::support {

// Occurrences of `what` in `text`, overlapping ones included.
inline std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The file's bytes; empty if it cannot be read.
inline std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace closesim::support
