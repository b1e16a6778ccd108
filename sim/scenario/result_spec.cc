#include "scenario/result_spec.h"

#include <algorithm>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "scenario/call_signatures.h"
#include "scenario/quantity.h"
#include "scenario/suggest.h"

namespace closesim::lang {

namespace {

constexpr std::string_view kForms =
    "results are ?, a number, ok, SOCKET_ERROR WSAE..., INVALID_SOCKET WSAE..., FALSE ERROR_..., "
    "WSA_IO_PENDING, "
    "WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_IO_COMPLETION, `o1 STATUS N bytes` or network events "
    "`FD_CLOSE 0`";

const std::vector<std::string_view>& result_words() {
  static const std::vector<std::string_view> words = {
      "ok",           "SOCKET_ERROR",  "INVALID_SOCKET",    "FALSE", "WSA_IO_PENDING",
      "WAIT_OBJECT_0", "WAIT_TIMEOUT", "WAIT_IO_COMPLETION"};
  return words;
}

std::vector<std::string_view> known_error_names() {
  std::vector<std::string_view> out;
  for (const char* const* n = error_names(); *n != nullptr; ++n) out.push_back(*n);
  return out;
}

// The error after SOCKET_ERROR / -1 / INVALID_SOCKET.
std::optional<Fault> parse_error_code(TokenCursor& c, const Token& sentinel, int& code) {
  const Token& t = c.peek();
  if (t.kind != Token::Kind::Word)
    return fault_at(t.kind == Token::Kind::End ? sentinel : t,
                    fmt::format("'{}' without an error name", sentinel.text),
                    fmt::format("name the expected error, e.g. `{} WSAEWOULDBLOCK`", sentinel.text));
  std::optional<int> parsed = parse_error_name(t.text);
  if (!parsed)
    return fault_at(t, fmt::format("unknown error {}", describe(t)),
                    did_you_mean(t.text, known_error_names(),
                                 "use a Winsock error name such as WSAEWOULDBLOCK, or its number"));
  if (*parsed == kNoError)
    return fault_at(t, fmt::format("'{}' needs a failure code, not {}", sentinel.text, describe(t)),
                    "a call that succeeds returns a value: write `= 0` or `= ok`");
  code = *parsed;
  c.next();
  return std::nullopt;
}

std::optional<Fault> parse_number(const Token& t, std::int64_t& value) {
  Quantity q = parse_quantity(t.text, kSizeUnits);
  if (q.ok()) {
    value = q.value;
    return std::nullopt;
  }
  if (q.problem == Quantity::Problem::TooLarge)
    return fault_at(t, "number too large", fmt::format("a result is {}", range_text(kSizeUnits)));
  return fault_at(t, fmt::format("bad number {}", describe(t)),
                  "a number is a byte count, optionally with B, KiB or MiB: e.g. `65536` or `64KiB`");
}

// `KEY=VALUE` after the result: VALUE is a word, words joined by '|', or a group {a, b}.
std::optional<Fault> parse_outputs(TokenCursor& c, const LineContext& ctx, ResultSpec& out) {
  while (c.at(Token::Kind::Word) && c.at(Token::Kind::Equals, 1)) {
    const Token& key = c.next();
    c.next();  // '='
    ResultSpec::Output o;
    o.key = key.text;
    const Token* last = &key;
    if (c.at(Token::Kind::LBrace)) {
      o.group = true;
      c.next();
      while (!c.at(Token::Kind::RBrace)) {
        const Token& t = c.peek();
        if (t.kind != Token::Kind::Word)
          return fault_at(t, fmt::format("expected a name or number in '{}={{...}}', got {}",
                                         key.text, describe(t)),
                          fmt::format("write {}={{a, b}}", key.text));
        o.parts.push_back(c.next().text);
        if (c.at(Token::Kind::Comma)) c.next();
        else if (!c.at(Token::Kind::RBrace))
          return fault_at(c.peek(), fmt::format("expected ',' or '}}', got {}", describe(c.peek())),
                          fmt::format("write {}={{a, b}}", key.text));
      }
      last = &c.next();
    } else {
      while (true) {
        const Token& t = c.peek();
        if (t.kind != Token::Kind::Word)
          return fault_at(t, fmt::format("expected a value after '{}=', got {}", key.text, describe(t)),
                          fmt::format("write {}=VALUE or {}={{a, b}}", key.text, key.text));
        o.parts.push_back(t.text);
        last = &c.next();
        if (!c.at(Token::Kind::Pipe)) break;
        c.next();
      }
    }
    o.span = ctx.span(key, *last);
    o.value = ctx.slice(key, *last).substr(key.text.size() + 1);
    out.outputs.push_back(std::move(o));
  }
  return std::nullopt;
}

// WSAEnumNetworkEvents: `FD_READ 0 FD_CLOSE WSAECONNABORTED`, each event followed by its error
// code; `first` (an FD_* word) is already taken.
std::optional<Fault> parse_network_events(TokenCursor& c, const Token& first, ResultSpec& out) {
  const Token* name = &first;
  while (true) {
    std::optional<int> bit = network_event_bit(name->text);
    if (!bit)
      return fault_at(*name, fmt::format("unknown network event {}", describe(*name)),
                      did_you_mean(name->text, network_event_names(),
                                   "network events: FD_READ, FD_WRITE, FD_OOB, FD_ACCEPT, "
                                   "FD_CONNECT, FD_CLOSE"));
    for (const auto& [seen, code] : out.events)
      if (seen == *bit)
        return fault_at(*name, fmt::format("{} is written twice", name->text),
                        "name each event once, with its error code");
    const Token& code = c.peek();
    if (code.kind != Token::Kind::Word)
      return fault_at(code.kind == Token::Kind::End ? *name : code,
                      fmt::format("{} without its error code", name->text),
                      fmt::format("write `{} 0` for success, or `{} WSAECONNABORTED`", name->text,
                                  name->text));
    std::optional<int> parsed = parse_error_name(code.text);
    if (!parsed)
      return fault_at(code, fmt::format("unknown error {}", describe(code)),
                      did_you_mean(code.text, known_error_names(),
                                   "an event's error code is 0 or a Winsock error name"));
    c.next();
    out.events.emplace_back(*bit, *parsed);
    if (c.at_end()) break;
    name = &c.next();
  }
  std::sort(out.events.begin(), out.events.end());
  return std::nullopt;
}

}  // namespace

std::optional<int> parse_status(std::string_view text) { return parse_error_name(text); }

std::optional<Fault> parse_result(TokenCursor& c, const LineContext& ctx, ResultSpec& out) {
  out = ResultSpec{};
  const Token& first = c.peek();
  if (first.kind != Token::Kind::Word)
    return fault_at(first, fmt::format("expected a result after '=', got {}", describe(first)),
                    "write `= ?` to accept anything, or the value the call must return");
  c.next();
  const std::string& w = first.text;
  using K = ResultSpec::Kind;
  if (w == "?") {
    out.kind = K::Any;
  } else if (w == "ok") {
    out.kind = K::Ok;
  } else if (w == "WSA_IO_PENDING") {
    out.kind = K::IoPending;
  } else if (w == "WAIT_OBJECT_0" || w == "WAIT_TIMEOUT" || w == "WAIT_IO_COMPLETION") {
    out.kind = K::Wait;
    out.sentinel = w;
  } else if (w == "SOCKET_ERROR" || w == "INVALID_SOCKET" || w == "-1" || w == "FALSE") {
    out.kind = K::Error;
    out.sentinel = w;
    if (auto f = parse_error_code(c, first, out.error)) return f;
  } else if (!w.empty() && w[0] == '-') {
    return fault_at(first, fmt::format("negative result {}", describe(first)),
                    "a failing call is `= -1 WSAE...` or `= SOCKET_ERROR WSAE...`");
  } else if (w[0] >= '0' && w[0] <= '9') {
    out.kind = K::Value;
    if (auto f = parse_number(first, out.value)) return f;
  } else if (w.starts_with("FD_")) {
    out.kind = K::NetworkEvents;
    if (auto f = parse_network_events(c, first, out)) return f;
  } else if (is_identifier(w) && c.at(Token::Kind::Word)) {
    // o1 STATUS N bytes: what a completion port hands back.
    out.kind = K::Completion;
    out.op = w;
    const Token& status = c.next();
    std::optional<int> code = parse_status(status.text);
    if (!code)
      return fault_at(status, fmt::format("unknown completion status {}", describe(status)),
                      did_you_mean(status.text, known_error_names(),
                                   "a status is an error name (WSA_OPERATION_ABORTED) or 0"));
    out.error = *code;
    const Token& bytes = c.peek();
    if (bytes.kind != Token::Kind::Word)
      return fault_at(bytes, "missing byte count of the completion",
                      fmt::format("write `{} {} N bytes`", w, printable(status.text)));
    c.next();
    if (auto f = parse_number(bytes, out.value)) return f;
    if (!c.at_word("bytes"))
      return fault_at(c.peek(), fmt::format("expected 'bytes', got {}", describe(c.peek())),
                      fmt::format("write `{} {} {} bytes`", w, printable(status.text), printable(bytes.text)));
    c.next();
  } else if (is_identifier(w)) {
    std::vector<std::string_view> errors = known_error_names();
    if (parse_error_name(w))
      return fault_at(first, "an error name alone is not a result",
                      fmt::format("write `= SOCKET_ERROR {}` (or `= INVALID_SOCKET {}`)", w, w));
    if (auto m = closest_match(w, result_words()))
      return fault_at(first, fmt::format("unknown result {}", describe(first)),
                      fmt::format("did you mean '{}'?", *m));
    if (auto m = closest_match(w, errors))
      return fault_at(first, fmt::format("unknown result {}", describe(first)),
                      fmt::format("did you mean `SOCKET_ERROR {}`?", *m));
    return fault_at(first, fmt::format("unknown result {}", describe(first)),
                    fmt::format("a completion is `{} STATUS N bytes`; other {}", w, kForms));
  } else {
    return fault_at(first, fmt::format("unknown result {}", describe(first)), std::string(kForms));
  }
  // What the call wrote besides its value (select's sets, WSAPoll's revents, getsockopt's
  // optval...): which keys a call takes is checked against its row (result_outputs.h).
  if (out.kind == K::Value || out.kind == K::Error || out.kind == K::Any)
    if (auto f = parse_outputs(c, ctx, out)) return f;
  // A bare -1 or SOCKET_ERROR is caught in parse_error_code; anything left over is a mistake.
  if (!c.at_end())
    return fault_at(c.peek(), fmt::format("unexpected {} after the result", describe(c.peek())),
                    std::string(kForms));
  // The result's own tokens are everything from `first` up to the End token.
  const Token& end = c.peek();
  out.span = {ctx.line, first.column, end.column - first.column};
  out.text = std::string(ctx.text.substr(static_cast<std::size_t>(first.column - 1),
                                         static_cast<std::size_t>(end.column - first.column)));
  return std::nullopt;
}

}  // namespace closesim::lang
