#include <fmt/format.h>

#include "closesim/base/poll_events.h"
#include "scenario/actions.h"
#include "scenario/call_signatures.h"
#include "scenario/quantity.h"
#include "scenario/result_outputs.h"
#include "scenario/result_spec.h"
#include "scenario/suggest.h"

namespace closesim::lang {

namespace {

constexpr std::string_view kArgumentForms =
    "an argument is a name (s), a size (100, 64KiB), a duration (10ms), FD_* or POLL* flags "
    "(FD_READ|FD_CLOSE), key=name (event=e) or a group ({s1, s2}, read={s1})";

// POLLRDNORM|POLLWRNORM: each part a WSAPoll event.
std::optional<Fault> parse_poll_flags(TokenCursor& c, const LineContext& ctx, Argument& arg) {
  const Token& first = c.peek();
  const Token* last = &first;
  std::int64_t mask = 0;
  while (true) {
    const Token& t = c.peek();
    if (t.kind != Token::Kind::Word)
      return fault_at(t, fmt::format("expected a POLL* flag, got {}", describe(t)),
                      "flags are written POLLRDNORM|POLLWRNORM");
    std::optional<std::int64_t> bits = poll_event_bits(t.text);
    if (!bits)
      return fault_at(t, fmt::format("unknown poll event {}", describe(t)),
                      did_you_mean(t.text, poll_event_names(),
                                   "WSAPoll events are POLLRDNORM, POLLRDBAND, POLLPRI, POLLWRNORM, "
                                   "POLLWRBAND (POLLIN, POLLOUT); it reports POLLERR, POLLHUP, POLLNVAL"));
    mask |= *bits;
    last = &c.next();
    if (!c.at(Token::Kind::Pipe)) break;
    c.next();
  }
  arg.kind = Argument::Kind::PollFlags;
  arg.value = mask;
  arg.text = ctx.slice(first, *last);
  arg.span = ctx.span(first, *last);
  return std::nullopt;
}

std::optional<Fault> parse_argument(TokenCursor& c, const LineContext& ctx, Argument& arg);

// `{a, b}` (the cursor at '{'): a group of plain arguments, none of them a group.
std::optional<Fault> parse_group(TokenCursor& c, const LineContext& ctx, const Token& first,
                                 Argument& arg) {
  c.next();  // '{'
  if (!c.at(Token::Kind::RBrace)) {
    while (true) {
      if (c.at(Token::Kind::LBrace))
        return fault_at(c.peek(), "a group inside a group", "write one level: {s1, s2}");
      Argument item;
      if (auto f = parse_argument(c, ctx, item)) return f;
      arg.items.push_back(std::move(item));
      if (c.at(Token::Kind::Comma)) {
        c.next();
        continue;
      }
      if (c.at(Token::Kind::RBrace)) break;
      return fault_at(c.peek(), fmt::format("expected ',' or '}}', got {}", describe(c.peek())),
                      "a group is written {s1, s2}");
    }
  }
  const Token& close = c.next();  // '}'
  arg.kind = Argument::Kind::Group;
  arg.text = ctx.slice(first, close);
  arg.span = ctx.span(first, close);
  return std::nullopt;
}

// FD_READ|FD_CLOSE: each part a known network event.
std::optional<Fault> parse_flags(TokenCursor& c, const LineContext& ctx, Argument& arg) {
  const Token& first = c.peek();
  const Token* last = &first;
  std::int64_t mask = 0;
  while (true) {
    const Token& t = c.peek();
    if (t.kind != Token::Kind::Word)
      return fault_at(t, fmt::format("expected an FD_* flag, got {}", describe(t)),
                      "flags are written FD_READ|FD_CLOSE");
    std::optional<int> bit = network_event_bit(t.text);
    if (!bit) {
      std::string hint = did_you_mean(
          t.text, network_event_names(),
          "only FD_* network events combine with '|': FD_READ, FD_WRITE, FD_OOB, FD_ACCEPT, "
          "FD_CONNECT, FD_CLOSE");
      return fault_at(t, fmt::format("unknown network event {}", describe(t)), hint);
    }
    mask |= *bit;
    last = &c.next();
    if (!c.at(Token::Kind::Pipe)) break;
    c.next();
  }
  arg.kind = Argument::Kind::Flags;
  arg.value = mask;
  arg.text = ctx.slice(first, *last);
  arg.span = ctx.span(first, *last);
  return std::nullopt;
}

std::optional<Fault> parse_argument(TokenCursor& c, const LineContext& ctx, Argument& arg) {
  const Token& first = c.peek();
  if (first.kind == Token::Kind::LBrace) return parse_group(c, ctx, first, arg);
  if (first.kind != Token::Kind::Word)
    return fault_at(first, fmt::format("expected an argument, got {}", describe(first)),
                    std::string(kArgumentForms));
  arg.span = ctx.span(first);
  arg.text = first.text;
  if (c.at(Token::Kind::Equals, 1) && c.at(Token::Kind::LBrace, 2)) {
    // read={s1, s2}: a named group (select's sets).
    if (!is_identifier(first.text))
      return fault_at(first, fmt::format("bad key {}", describe(first)), "write key={...}, e.g. read={s}");
    c.next();
    c.next();
    const Token& brace = c.peek();
    if (auto f = parse_group(c, ctx, brace, arg)) return f;
    arg.key = first.text;
    arg.text = first.text + "=" + arg.text;
    arg.span = {ctx.line, first.column, arg.span.column + arg.span.length - first.column};
    return std::nullopt;
  }
  if (c.at(Token::Kind::Equals, 1)) {
    c.next();
    c.next();
    const Token& value = c.peek();
    if (!is_identifier(first.text))
      return fault_at(first, fmt::format("bad key {}", describe(first)), "write key=name, e.g. event=e");
    if (value.kind != Token::Kind::Word || !is_identifier(value.text))
      return fault_at(value, fmt::format("expected a name after '{}=', got {}", first.text, describe(value)),
                      fmt::format("write {}=NAME, e.g. {}=e", first.text, first.text));
    c.next();
    arg.kind = Argument::Kind::KeyValue;
    arg.key = first.text;
    arg.text = value.text;
    arg.span = ctx.span(first, value);
    return std::nullopt;
  }
  if (first.text.starts_with("POLL")) return parse_poll_flags(c, ctx, arg);
  if (c.at(Token::Kind::Pipe, 1) || first.text.starts_with("FD_")) return parse_flags(c, ctx, arg);
  c.next();
  const char lead = first.text[0];
  if (lead >= '0' && lead <= '9') {
    Quantity size = parse_quantity(first.text, kSizeUnits);
    if (size.ok()) {
      arg.kind = Argument::Kind::Number;
      arg.value = size.value;
      return std::nullopt;
    }
    Quantity time = parse_quantity(first.text, kTimeUnits);
    if (time.ok() && !time.unit.empty()) {
      arg.kind = Argument::Kind::Duration;
      arg.value = time.value;
      return std::nullopt;
    }
    if (size.problem == Quantity::Problem::TooLarge || time.problem == Quantity::Problem::TooLarge)
      return fault_at(first, fmt::format("number too large: {}", describe(first)),
                      fmt::format("a size is {}; a duration {}", range_text(kSizeUnits), range_text(kTimeUnits)));
    if (size.problem == Quantity::Problem::TooFine || time.problem == Quantity::Problem::TooFine)
      return fault_at(first, fmt::format("{} is not a whole number of bytes or nanoseconds", describe(first)),
                      "write a whole count, e.g. 1536 rather than 1.5");
    return fault_at(first, fmt::format("bad number {}", describe(first)),
                    "sizes take B, KiB or MiB; durations take ns, us, ms or s");
  }
  if (is_identifier(first.text)) {
    arg.kind = Argument::Kind::Name;
    return std::nullopt;
  }
  return fault_at(first, fmt::format("bad argument {}", describe(first)), std::string(kArgumentForms));
}

}  // namespace

std::optional<Fault> parse_call(TokenCursor& c, const LineContext& ctx, CallAction& out) {
  out = CallAction{};
  const Token* assign = nullptr;
  if (c.at(Token::Kind::Word) && c.at(Token::Kind::Equals, 1)) {
    assign = &c.next();
    c.next();
    if (!is_identifier(assign->text))
      return fault_at(*assign, fmt::format("cannot name a result {}", describe(*assign)),
                      "a name is letters, digits and _, starting with a letter: e.g. `s = socket(tcp)`");
    out.assign = assign->text;
  }
  const Token& name = c.peek();
  if (name.kind != Token::Kind::Word)
    return fault_at(name, fmt::format("expected a call, got {}", describe(name)),
                    "a thread step calls the API, e.g. `closesocket(s) = 0`");
  c.next();
  out.name = name.text;
  out.name_span = ctx.span(name);
  const CallSpec* sig = find_call(name.text);
  if (!sig) {
    std::vector<std::string_view> names = call_names();
    return fault_at(name, fmt::format("unknown call {}", describe(name)),
                    did_you_mean(name.text, names, "known calls: " + join_alternatives(names)));
  }
  if (!c.at(Token::Kind::LParen))
    return fault_at(c.peek(), fmt::format("expected '(' after '{}', got {}", name.text, describe(c.peek())),
                    fmt::format("usage: {}", sig->usage));
  c.next();
  if (!c.at(Token::Kind::RParen)) {
    while (true) {
      Argument arg;
      if (auto f = parse_argument(c, ctx, arg)) return f;
      out.args.push_back(std::move(arg));
      if (c.at(Token::Kind::Comma)) {
        c.next();
        continue;
      }
      if (c.at(Token::Kind::RParen)) break;
      return fault_at(c.peek(), fmt::format("expected ',' or ')', got {}", describe(c.peek())),
                      fmt::format("usage: {}", sig->usage));
    }
  }
  const Token& close = c.next();  // ')'
  if (assign && sig->makes == Makes::Nothing)
    return fault_at(*assign, fmt::format("{} returns nothing to name '{}'", sig->name, assign->text),
                    fmt::format("remove `{} =`; only {} can be assigned", assign->text,
                                assignable_call_names()));
  if (auto f = check_arguments(*sig, out.args, close)) return f;
  out.id = sig->id;
  if (c.at_end())
    return fault_at(c.peek(), fmt::format("{} has no result", sig->name),
                    "every call states what it returns: add `= ?` to accept anything");
  if (!c.at(Token::Kind::Equals))
    return fault_at(c.peek(), fmt::format("unexpected {} after the call", describe(c.peek())),
                    "a call step ends with `= RESULT`");
  c.next();
  ResultSpec result;
  if (auto f = parse_result(c, ctx, result)) return f;
  if (auto f = check_outputs(*sig, out, result)) return f;
  out.result = std::move(result);
  return std::nullopt;
}

std::optional<Fault> expect_line_end(TokenCursor& c, std::string_view what) {
  if (c.at_end()) return std::nullopt;
  if (c.at(Token::Kind::Equals))
    return fault_at(c.peek(), fmt::format("{} cannot have a result", what),
                    "only calls take `= RESULT`; remove it");
  return fault_at(c.peek(), fmt::format("unexpected {} at the end of {}", describe(c.peek()), what),
                  "remove it, or start a comment with #");
}

}  // namespace closesim::lang
