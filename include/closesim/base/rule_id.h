// Identifiers of the close rules (docs/rules.md). Records, verdicts and the timeline cite them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace closesim {

enum class RuleId : int {
  None = 0,
  R1 = 1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14,
};
inline constexpr int kRuleCount = 14;

std::string rule_name(RuleId id);                       // "R9", "" for None
std::optional<RuleId> parse_rule_name(std::string_view text);  // "R9" -> R9
std::string rule_title(RuleId id);                      // "Linger with a timeout blocks ..."

}  // namespace closesim
