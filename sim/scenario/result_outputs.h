// What a call reports besides its value, after `= RESULT` (select's sets, WSAPoll's revents,
// getsockopt's optval, the bytes of an overlapped result): which keys a call takes is its
// row's Outputs (closesim/base/call_table.h). Checking also rewrites each value into the one
// spelling the model prints, so the runner compares text.
#pragma once

#include <optional>

#include "closesim/base/call_table.h"
#include "closesim/scenario/scenario.h"
#include "scenario/lexer.h"

namespace closesim::lang {

// REQUIRES: `call`'s arguments were checked against `sig`.
std::optional<Fault> check_outputs(const CallSpec& sig, const CallAction& call, ResultSpec& result);

}  // namespace closesim::lang
