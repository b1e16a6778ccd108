// The directives that open a scenario: title, rules, provider, profile, link, seed, and the
// extension schedule. Where they may appear, and that each appears once, is the driver's
// business (parser.cc); this reads one directive's own line.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "closesim/scenario/scenario.h"
#include "scenario/lexer.h"

namespace closesim::lang {

const std::vector<std::string_view>& directive_names();
bool is_directive(std::string_view word);

// REQUIRES: the cursor is at the directive's keyword. Fills the matching Scenario fields.
std::optional<Fault> parse_directive(TokenCursor& c, const LineContext& ctx, Scenario& s);

}  // namespace closesim::lang
