// Internal invariants: checks that stay on in every build type, NDEBUG or not. A failed check is
// a bug in closesim, never a user's mistake: it throws InternalError, which the runner turns into
// that scenario's ERROR verdict (with the check's text and location) so a suite goes on.
#pragma once

#include <stdexcept>
#include <string>

namespace closesim {

class InternalError : public std::logic_error {
 public:
  InternalError(const char* file, int line, const char* what);
  const char* file() const { return file_; }
  int line() const { return line_; }

 private:
  const char* file_;
  int line_;
};

// Throws InternalError naming the failed condition and where it is; never returns.
[[noreturn]] void check_failed(const char* file, int line, const char* condition);

}  // namespace closesim

// CLOSESIM_CHECK(cond) / CLOSESIM_CHECK(cond && "why"): the condition's text is the message.
#define CLOSESIM_CHECK(cond) \
  ((cond) ? static_cast<void>(0) : ::closesim::check_failed(__FILE__, __LINE__, #cond))
