// The ACTION column, one parser per actor kind. Each reads to the end of the line and either
// fills its output or returns the first fault of the line.
#pragma once

#include <optional>

#include "closesim/scenario/scenario.h"
#include "scenario/lexer.h"

namespace closesim::lang {

// `[name =] call(args) = RESULT` (call.cc). Checks the arguments against call_signatures.h.
std::optional<Fault> parse_call(TokenCursor& c, const LineContext& ctx, CallAction& out);

// `send N`, `stop_reading`, `start_reading`, `close`, `reset`, `connect` (peer_action.cc).
std::optional<Fault> parse_peer_action(TokenCursor& c, const LineContext& ctx, PeerAction& out);

// `[no] peer(s) sees RST|FIN`, `[no] o1 completes ...`, ... (expectation.cc).
std::optional<Fault> parse_expectation(TokenCursor& c, const LineContext& ctx, Expectation& out);

// A step that is not a call ends here; an `= ...` gets a fault saying results are for calls.
// `what` names the step in messages: "a peer action", "an expectation".
std::optional<Fault> expect_line_end(TokenCursor& c, std::string_view what);

}  // namespace closesim::lang
