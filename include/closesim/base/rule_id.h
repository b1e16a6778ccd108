// Identifiers of the close rules (docs/rules.md). Records, verdicts and the timeline cite them.
//
// The rule table: one row per rule — its id, the name of its monitor's factory in sim/rules
// (`make_<factory>_monitor`, defined by the monitor's own file, sim/rules/rNN_*.cc) and its title.
// The enum, kRuleCount, rule_title() and the checker's list of monitors are all made from it, so
// a new rule is its row here, its monitor, and its text in docs/rules.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>

// X(id, factory, title)
#define CLOSESIM_RULES(X)                                                                        \
  X(R1, r1, "A closed descriptor is dead")                                                       \
  X(R2, r2, "Close interrupts blocking calls in the same process")                               \
  X(R3, r3, "Close aborts pending overlapped operations, with their completion action")          \
  X(R4, r4, "Every operation completes exactly once")                                            \
  X(R5, r5, "Abort before release")                                                              \
  X(R6, r6, "Shared sockets are reference-counted")                                              \
  X(R7, r7, "Default close is graceful and does not wait")                                       \
  X(R8, r8, "Linger {1,0} is a hard close")                                                      \
  X(R9, r9, "Linger {1,t} blocks a blocking socket")                                             \
  X(R10, r10, "Linger {1,t} on a non-blocking socket does not block")                            \
  X(R11, r11, "A non-IFS provider hands each handle back exactly once")                          \
  X(R12, r12, "No FD_CLOSE for one's own close")                                                 \
  X(R13, r13, "Shutdown is not close")                                                           \
  X(R14, r14, "Cleanup resets what is left")

namespace closesim {

// R1 = 1, R2 = 2, ...: a rule's number is its row.
enum class RuleId : std::uint8_t {
  None = 0,
#define CLOSESIM_RULE_ENUMERATOR(id, factory, title) id,
  CLOSESIM_RULES(CLOSESIM_RULE_ENUMERATOR)
#undef CLOSESIM_RULE_ENUMERATOR
};
#define CLOSESIM_RULE_ONE(id, factory, title) +1
inline constexpr int kRuleCount = 0 CLOSESIM_RULES(CLOSESIM_RULE_ONE);
#undef CLOSESIM_RULE_ONE

std::string rule_name(RuleId id);                       // "R9", "" for None
std::optional<RuleId> parse_rule_name(std::string_view text);  // "R9" -> R9
std::string rule_title(RuleId id);                      // "Linger with a timeout blocks ..."

}  // namespace closesim
