#include "closesim/base/check.h"

#include <fmt/format.h>

namespace closesim {

InternalError::InternalError(const char* file, int line, const char* what)
    : std::logic_error(what), file_(file), line_(line) {}

void check_failed(const char* file, int line, const char* condition) {
  throw InternalError(file, line, fmt::format("internal check failed: {}", condition).c_str());
}

}  // namespace closesim
