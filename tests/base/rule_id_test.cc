// Rule ids as the checker, reports and scenarios' `rules` directive spell them.
#include <doctest/doctest.h>

#include "closesim/base/rule_id.h"

using namespace closesim;

TEST_CASE("rule names round-trip and only R1..R14 exist") {
  for (int n = 1; n <= kRuleCount; ++n) {
    const RuleId id = static_cast<RuleId>(n);
    CHECK(rule_name(id) == "R" + std::to_string(n));
    CHECK(parse_rule_name(rule_name(id)) == id);
    CHECK_FALSE(rule_title(id).empty());
  }
  CHECK(rule_name(RuleId::None).empty());
  CHECK(parse_rule_name("r9") == RuleId::R9);
  CHECK_FALSE(parse_rule_name("R0").has_value());
  CHECK_FALSE(parse_rule_name("R15").has_value());
  CHECK_FALSE(parse_rule_name("R").has_value());
  CHECK_FALSE(parse_rule_name("R9x").has_value());
  CHECK_FALSE(parse_rule_name("X9").has_value());
}
