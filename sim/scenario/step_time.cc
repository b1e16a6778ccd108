#include "scenario/step_time.h"

#include <algorithm>

#include <fmt/format.h>

#include "scenario/quantity.h"

namespace closesim::lang {

namespace {

constexpr std::string_view kForms =
    "times are 0, 250ms, 1.5ms, +5ms, then, 0...2s, +0...+2s, 0...* or *";

// One point of a time: ['+'] quantity. `offset` is its position within the token.
std::optional<Fault> parse_point(const Token& tok, std::string_view text, std::size_t offset,
                                 bool& relative, Time& value) {
  auto fault = [&](std::string message, std::string hint) {
    return Fault{tok.column + static_cast<int>(offset),
                 std::max(1, static_cast<int>(text.size())), std::move(message), std::move(hint)};
  };
  if (text == "then") {  // the previous step's instant (the caller records the ordering)
    relative = true;
    value = 0;
    return std::nullopt;
  }
  relative = !text.empty() && text[0] == '+';
  std::string_view number = relative ? text.substr(1) : text;
  if (number.empty()) return fault("missing time", std::string(kForms));
  Quantity q = parse_quantity(number, kTimeUnits);
  switch (q.problem) {
    case Quantity::Problem::None:
      break;
    case Quantity::Problem::NotANumber:
      if (number == "*") return fault("'*' cannot start a time span", "write `A...*`, e.g. `0...*`");
      return fault(fmt::format("bad time '{}'", printable(text)),
                   std::string(kForms));
    case Quantity::Problem::UnknownUnit:
      return fault(fmt::format("unknown time unit '{}'", printable(q.unit)),
                   "time units are ns, us, ms and s");
    case Quantity::Problem::TooFine:
      if (q.unit.empty()) return fault("a time needs a unit", "e.g. `5ms`; only 0 may go without");
      return fault("time finer than a nanosecond", "virtual time counts whole nanoseconds");
    case Quantity::Problem::TooLarge:
      return fault("time too large", fmt::format("a time is {}", range_text(kTimeUnits)));
  }
  if (q.unit.empty() && q.value != 0)
    return fault("a time needs a unit", fmt::format("e.g. `{}ms`; only 0 may go without", q.value));
  value = q.value;
  return std::nullopt;
}

}  // namespace

std::optional<Fault> parse_time(const Token& tok, TimeSyntax& out) {
  out = TimeSyntax{};
  std::string_view text = tok.text;
  if (text == "*") {
    out.any = true;
    return std::nullopt;
  }
  std::size_t dots = text.find("...");
  std::string_view a = text.substr(0, dots);
  if (auto f = parse_point(tok, a, 0, out.relative, out.start)) return f;
  out.then = a == "then";
  if (dots == std::string_view::npos) return std::nullopt;

  out.span = true;
  std::size_t b_offset = dots + 3;
  std::string_view b = text.substr(b_offset);
  if (b == "*") {
    out.end_any = true;
    return std::nullopt;
  }
  if (b.find("...") != std::string_view::npos)
    return Fault{tok.column, tok.length, "a time span has one '...'", "write `A...B`, e.g. `0...2s`"};
  if (b.empty())
    return Fault{tok.column + static_cast<int>(b_offset) - 3, 3, "missing end of the time span",
                 "write `A...B` (returns at B) or `A...*` (returns at any later time)"};
  return parse_point(tok, b, b_offset, out.end_relative, out.end);
}

}  // namespace closesim::lang
