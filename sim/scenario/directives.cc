#include "scenario/directives.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "closesim/base/rule_id.h"
#include "closesim/base/run_config.h"
#include "scenario/quantity.h"
#include "scenario/suggest.h"

namespace closesim::lang {

namespace {

std::optional<Fault> line_end(TokenCursor& c, std::string_view directive) {
  if (c.at_end()) return std::nullopt;
  return fault_at(c.peek(), fmt::format("unexpected {} in the {} directive", describe(c.peek()), directive),
                  "remove it, or start a comment with #");
}

std::optional<Fault> parse_title(TokenCursor& c, Scenario& s) {
  const Token& t = c.peek();
  if (t.kind != Token::Kind::String)
    return fault_at(t, fmt::format("expected a quoted title, got {}", describe(t)),
                    "write the title in double quotes: title \"Hard close resets the peer\"");
  s.title = t.text;
  c.next();
  return line_end(c, "title");
}

std::optional<Fault> parse_rules(TokenCursor& c, Scenario& s) {
  if (c.at_end())
    return fault_at(c.peek(), "rules needs at least one rule", "e.g. `rules R8 R11`");
  while (!c.at_end()) {
    const Token& t = c.peek();
    std::optional<RuleId> id;
    if (t.kind == Token::Kind::Word) id = parse_rule_name(t.text);
    if (!id)
      return fault_at(t, fmt::format("unknown rule {}", describe(t)),
                      fmt::format("rules are R1 to R{}, separated by spaces: e.g. `rules R8 R11`", kRuleCount));
    int n = static_cast<int>(*id);
    if (std::find(s.rules.begin(), s.rules.end(), n) == s.rules.end()) s.rules.push_back(n);
    c.next();
  }
  return std::nullopt;
}

std::optional<Fault> parse_provider_directive(TokenCursor& c, Scenario& s) {
  static const std::vector<std::string_view> kNames = {"ifs", "nonifs", "lsp:ifs", "lsp:nonifs"};
  const Token& t = c.peek();
  std::optional<ProviderKind> p;
  if (t.kind == Token::Kind::Word) p = parse_provider(t.text);
  if (!p)
    return fault_at(t, fmt::format("unknown provider {}", describe(t)),
                    did_you_mean(t.text, kNames, "providers: ifs, nonifs, lsp:ifs, lsp:nonifs"));
  s.provider = *p;
  c.next();
  return line_end(c, "provider");
}

std::optional<Fault> parse_profile_directive(TokenCursor& c, Scenario& s) {
  static const std::vector<std::string_view> kNames = {"documented", "windows"};
  const Token& t = c.peek();
  std::optional<ProfileKind> p;
  if (t.kind == Token::Kind::Word) p = parse_profile(t.text);
  if (!p)
    return fault_at(t, fmt::format("unknown profile {}", describe(t)),
                    did_you_mean(t.text, kNames, "profiles: documented, windows"));
  s.profile = *p;
  c.next();
  return line_end(c, "profile");
}

// link latency=1ms rate=1MiB/s sndbuf=64KiB: any of the keys, each once, in any order.
std::optional<Fault> parse_link(TokenCursor& c, Scenario& s) {
  static const std::vector<std::string_view> kKeys = {"latency", "rate", "sndbuf"};
  const std::string usage = "e.g. `link latency=1ms rate=1MiB/s sndbuf=64KiB` (any of the keys)";
  std::vector<std::string> seen;
  while (!c.at_end()) {
    const Token& key = c.peek();
    if (key.kind != Token::Kind::Word)
      return fault_at(key, fmt::format("expected key=value, got {}", describe(key)), usage);
    if (std::find(kKeys.begin(), kKeys.end(), key.text) == kKeys.end())
      return fault_at(key, fmt::format("unknown link key {}", describe(key)),
                      did_you_mean(key.text, kKeys, "link keys: latency, rate, sndbuf"));
    if (std::find(seen.begin(), seen.end(), key.text) != seen.end())
      return fault_at(key, fmt::format("'{}' given twice", key.text), "give each link key once");
    seen.push_back(key.text);
    c.next();
    if (!c.at(Token::Kind::Equals))
      return fault_at(c.peek(), fmt::format("expected '=' after '{}', got {}", key.text, describe(c.peek())),
                      usage);
    c.next();
    const Token& value = c.peek();
    if (value.kind != Token::Kind::Word)
      return fault_at(value, fmt::format("expected a value for '{}', got {}", key.text, describe(value)), usage);
    c.next();
    if (key.text == "latency") {
      Quantity q = parse_quantity(value.text, kTimeUnits);
      if (q.problem == Quantity::Problem::TooLarge)
        return fault_at(value, fmt::format("latency too large: {}", describe(value)),
                        fmt::format("a latency is {}", range_text(kTimeUnits)));
      if (!q.ok() || (q.unit.empty() && q.value != 0))
        return fault_at(value, fmt::format("bad latency {}", describe(value)),
                        "a latency is a duration with a unit: e.g. `latency=1ms` or `latency=250us`");
      s.link.latency = q.value;
    } else if (key.text == "rate") {
      std::string_view text = value.text;
      if (!text.ends_with("/s"))
        return fault_at(value, fmt::format("bad rate {}", describe(value)),
                        "a rate is bytes per second: e.g. `rate=1MiB/s` or `rate=100000/s`");
      text.remove_suffix(2);
      Quantity q = parse_quantity(text, kSizeUnits);
      if (q.problem == Quantity::Problem::TooLarge)
        return fault_at(value, fmt::format("rate too large: {}", describe(value)),
                        fmt::format("a rate is {} per second", range_text(kSizeUnits)));
      if (!q.ok() || q.value <= 0)
        return fault_at(value, fmt::format("bad rate {}", describe(value)),
                        "a rate is a positive number of bytes per second: e.g. `rate=1MiB/s`");
      s.link.rate = q.value;
    } else {
      Quantity q = parse_quantity(value.text, kSizeUnits);
      if (q.problem == Quantity::Problem::TooLarge)
        return fault_at(value, fmt::format("send buffer too large: {}", describe(value)),
                        fmt::format("a send buffer is {}", range_text(kSizeUnits)));
      if (!q.ok())
        return fault_at(value, fmt::format("bad send buffer size {}", describe(value)),
                        "a size is bytes, optionally with B, KiB or MiB: e.g. `sndbuf=64KiB`");
      s.link.sndbuf = q.value;
    }
  }
  return std::nullopt;
}

std::optional<Fault> parse_seed(TokenCursor& c, Scenario& s) {
  const Token& t = c.peek();
  std::uint64_t value = 0;
  bool ok = false;
  if (t.kind == Token::Kind::Word && is_all_digits(t.text)) {
    auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), value);
    ok = ec == std::errc() && end == t.text.data() + t.text.size();
  }
  if (!ok)
    return fault_at(t, fmt::format("expected a seed number, got {}", describe(t)),
                    "a seed is a whole number below 2^64: e.g. `seed 7`");
  s.seed = value;
  s.has_seed = true;
  c.next();
  return line_end(c, "seed");
}

// schedule 0.1.0.2: the choice to take at each choice point, in order (pins one explored run).
std::optional<Fault> parse_schedule(TokenCursor& c, Scenario& s) {
  const Token& t = c.peek();
  bool ok = t.kind == Token::Kind::Word;
  if (ok) {
    std::string_view rest = t.text;
    while (ok) {
      std::size_t dot = rest.find('.');
      std::string_view part = rest.substr(0, dot);
      int index = 0;
      auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
      ok = is_all_digits(part) && ec == std::errc() && end == part.data() + part.size();
      if (dot == std::string_view::npos) break;
      rest = rest.substr(dot + 1);
    }
  }
  if (!ok)
    return fault_at(t, fmt::format("bad schedule {}", describe(t)),
                    "a schedule is choice indices separated by dots: e.g. `schedule 0.1.0.2`");
  s.schedule = t.text;
  c.next();
  return line_end(c, "schedule");
}

}  // namespace

const std::vector<std::string_view>& directive_names() {
  static const std::vector<std::string_view> names = {"title", "rules", "provider", "profile",
                                                      "link",  "seed",  "schedule"};
  return names;
}

bool is_directive(std::string_view word) {
  const std::vector<std::string_view>& names = directive_names();
  return std::find(names.begin(), names.end(), word) != names.end();
}

std::optional<Fault> parse_directive(TokenCursor& c, const LineContext& /*ctx*/, Scenario& s) {
  const std::string keyword = c.next().text;
  if (keyword == "title") return parse_title(c, s);
  if (keyword == "rules") return parse_rules(c, s);
  if (keyword == "provider") return parse_provider_directive(c, s);
  if (keyword == "profile") return parse_profile_directive(c, s);
  if (keyword == "link") return parse_link(c, s);
  if (keyword == "seed") return parse_seed(c, s);
  return parse_schedule(c, s);
}

}  // namespace closesim::lang
