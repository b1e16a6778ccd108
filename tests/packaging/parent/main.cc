// Links closesim::base from a parent project: prints a rule's name and title.
#include <cstdio>

#include "closesim/base/rule_id.h"

int main() {
  std::printf("%s: %s\n", closesim::rule_name(closesim::RuleId::R9).c_str(),
              closesim::rule_title(closesim::RuleId::R9).c_str());
  return closesim::rule_name(closesim::RuleId::R9) == "R9" ? 0 : 1;
}
