#include "closesim/base/rule_id.h"

#include <charconv>

namespace closesim {

std::string rule_name(RuleId id) {
  if (id == RuleId::None) return "";
  return "R" + std::to_string(static_cast<int>(id));
}

std::optional<RuleId> parse_rule_name(std::string_view text) {
  if (text.size() < 2 || (text[0] != 'R' && text[0] != 'r')) return std::nullopt;
  int n = 0;
  auto [end, ec] = std::from_chars(text.data() + 1, text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > kRuleCount)
    return std::nullopt;
  return static_cast<RuleId>(n);
}

std::string rule_title(RuleId id) {
  switch (id) {
    case RuleId::None: return "";
    case RuleId::R1: return "A closed descriptor is dead";
    case RuleId::R2: return "Close interrupts blocking calls in the same process";
    case RuleId::R3: return "Close aborts pending overlapped operations, with their completion action";
    case RuleId::R4: return "Every operation completes exactly once";
    case RuleId::R5: return "Abort before release";
    case RuleId::R6: return "Shared sockets are reference-counted";
    case RuleId::R7: return "Default close is graceful and does not wait";
    case RuleId::R8: return "Linger {1,0} is a hard close";
    case RuleId::R9: return "Linger {1,t} blocks a blocking socket";
    case RuleId::R10: return "Linger {1,t} on a non-blocking socket does not block";
    case RuleId::R11: return "A non-IFS provider hands each handle back exactly once";
    case RuleId::R12: return "No FD_CLOSE for one's own close";
    case RuleId::R13: return "Shutdown is not close";
    case RuleId::R14: return "Cleanup resets what is left";
  }
  return "";
}

}  // namespace closesim
