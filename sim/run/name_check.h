// Checks that every name a scenario's steps use was made by an earlier step and is the right
// kind of thing. Returns located diagnostics; empty when the names are sound.
#pragma once

#include <vector>

#include "closesim/diagnostic.h"
#include "closesim/scenario.h"

namespace closesim {

std::vector<Diagnostic> check_names(const Scenario& scenario);

}  // namespace closesim
