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
#define CLOSESIM_RULE_TITLE(id, factory, title) \
  case RuleId::id:                             \
    return title;
    CLOSESIM_RULES(CLOSESIM_RULE_TITLE)
#undef CLOSESIM_RULE_TITLE
  }
  return "";
}

}  // namespace closesim
