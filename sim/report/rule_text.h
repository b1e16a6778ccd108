// Private to the report library: the catalogue's own words for each rule, for views that teach.
#pragma once

#include <string>

#include "closesim/base/rule_id.h"

namespace closesim::report {

// The "*Meaning.*" paragraph of the rule in docs/rules.md, on one line, Markdown as written
// (`code` in backquotes); "" for RuleId::None.
std::string rule_meaning(RuleId rule);

}  // namespace closesim::report
