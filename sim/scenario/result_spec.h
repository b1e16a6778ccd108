// The `= RESULT` of a call step: `?`, `0`, `64KiB`, `ok`, `SOCKET_ERROR WSAEWOULDBLOCK`,
// `-1 WSAEINTR`, `INVALID_SOCKET WSAENOTSOCK`, `WSA_IO_PENDING`, `WAIT_OBJECT_0`,
// `WAIT_TIMEOUT`, `WAIT_IO_COMPLETION`, `o1 WSA_OPERATION_ABORTED 0 bytes`.
#pragma once

#include <optional>

#include "closesim/scenario/scenario.h"
#include "scenario/lexer.h"

namespace closesim::lang {

// REQUIRES: the cursor is just past the '='. Reads to the end of the line.
std::optional<Fault> parse_result(TokenCursor& c, const LineContext& ctx, ResultSpec& out);

// A status in a completion: an error name, a decimal code, 0 or NO_ERROR.
std::optional<int> parse_status(std::string_view text);

}  // namespace closesim::lang
