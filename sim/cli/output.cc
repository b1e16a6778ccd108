#include "cli/output.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "closesim/base/time.h"

namespace closesim::cli {

namespace {

bool wants_colour(int fd) {
  const char* no_colour = std::getenv("NO_COLOR");  // https://no-color.org: any non-empty value
  if (no_colour && *no_colour) return false;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return ::isatty(fd) == 1;
}

bool word_at(const std::string& text, std::size_t i, std::string_view word) {
  if (text.compare(i, word.size(), word) != 0) return false;
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (i > 0 && letter(text[i - 1])) return false;
  const std::size_t after = i + word.size();
  return after >= text.size() || !letter(text[after]);
}

}  // namespace

Output::Output() : colour_out_(wants_colour(1)) {}

std::string Output::colourize(const std::string& text) {
  struct Mark {
    std::string_view word;
    std::string_view colour;
  };
  static constexpr Mark kMarks[] = {{"PASS", "\x1b[32m"}, {"FAIL", "\x1b[31m"},
                                    {"ERROR", "\x1b[1;31m"}, {"error:", "\x1b[1;31m"},
                                    {"hint:", "\x1b[36m"}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    bool marked = false;
    for (const Mark& m : kMarks) {
      if (!word_at(text, i, m.word)) continue;
      out += m.colour;
      out += m.word;
      out += "\x1b[0m";
      i += m.word.size();
      marked = true;
      break;
    }
    if (!marked) out += text[i++];
  }
  return out;
}

int Output::write(const std::string& path, const std::string& text) {
  const bool to_stdout = path.empty() || path == "-";
  if (to_stdout && quiet_) return 0;
  if (text.size() > budget_ - std::min(budget_, written_)) {
    fmt::print(stderr,
               "closesim: error: the output ({}) would pass the output budget of {} bytes\n"
               "  hint: --max-output raises the budget (a size such as 256MiB); narrower runs "
               "write less\n",
               to_stdout ? "standard output" : path, budget_);
    return 2;
  }
  if (to_stdout) {
    const int status = write_stdout(text);
    if (status == 0) written_ += text.size();
    return status;
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    fmt::print(stderr, "closesim: error: cannot write {}: {}\n", path, std::strerror(errno));
    return 2;
  }
  const bool wrote = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0;
  const int err = errno;
  const bool closed = std::fclose(f) == 0;
  if (!wrote || !closed) {
    fmt::print(stderr, "closesim: error: cannot write {}: {}\n", path,
               std::strerror(wrote ? errno : err));
    return 2;
  }
  written_ += text.size();
  return 0;
}

int Output::write_stdout(const std::string& text) {
  if (pipe_closed_) return 0;
  const std::string coloured = colour_out_ ? colourize(text) : std::string();
  const std::string& bytes = colour_out_ ? coloured : text;
  errno = 0;
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) == bytes.size() && std::fflush(stdout) == 0)
    return 0;
  if (errno == EPIPE) {  // the reader is gone (`| head`): nothing more to say to it
    pipe_closed_ = true;
    std::clearerr(stdout);
    return 0;
  }
  fmt::print(stderr, "closesim: error: cannot write standard output: {}\n", std::strerror(errno));
  std::clearerr(stdout);
  return 2;
}

std::string for_stderr(const std::string& text) {
  static const bool colour = wants_colour(2);  // decided once: the terminal does not change
  return colour ? Output::colourize(text) : text;
}

int Output::finish() {
  errno = 0;
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return 0;
  if (errno == EPIPE || pipe_closed_) return 0;
  fmt::print(stderr, "closesim: error: cannot write standard output: {}\n",
             errno ? std::strerror(errno) : "write error");
  return 2;
}

}  // namespace closesim::cli
