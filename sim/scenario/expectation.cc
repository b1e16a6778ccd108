#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "scenario/actions.h"
#include "scenario/call_signatures.h"
#include "scenario/quantity.h"
#include "scenario/result_spec.h"
#include "scenario/suggest.h"

namespace closesim::lang {

namespace {

constexpr std::string_view kForms =
    "expectations: peer(s) sees RST|FIN, peer(s) received N bytes [after close], "
    "o1 completes [STATUS] [via event|apc|port], WPUCloseSocketHandle(s), CloseHandle(s), "
    "handle released(s), released(s), "
    "A.t2 wakes, FD_CLOSE(s); any of them after `no`";

// `( name )` after a function-like expectation; returns the name.
std::optional<Fault> parse_subject(TokenCursor& c, const LineContext& ctx, std::string_view head,
                                   Expectation& out) {
  if (!c.at(Token::Kind::LParen))
    return fault_at(c.peek(), fmt::format("expected '(' after '{}', got {}", head, describe(c.peek())),
                    fmt::format("write `{}(s)`", head));
  c.next();
  const Token& name = c.peek();
  if (name.kind != Token::Kind::Word || !is_identifier(name.text))
    return fault_at(name, fmt::format("expected a socket name, got {}", describe(name)),
                    fmt::format("write `{}(s)`", head));
  c.next();
  if (!c.at(Token::Kind::RParen))
    return fault_at(c.peek(), fmt::format("expected ')', got {}", describe(c.peek())),
                    fmt::format("write `{}({})`", head, name.text));
  c.next();
  out.subject = name.text;
  out.subject_span = ctx.span(name);
  return std::nullopt;
}

std::optional<Fault> parse_peer_expectation(TokenCursor& c, const LineContext& ctx, Expectation& out) {
  if (auto f = parse_subject(c, ctx, "peer", out)) return f;
  const Token& verb = c.peek();
  if (c.at_word("sees")) {
    c.next();
    const Token& what = c.peek();
    if (what.kind != Token::Kind::Word || (what.text != "RST" && what.text != "FIN"))
      return fault_at(what, fmt::format("expected RST or FIN, got {}", describe(what)),
                      "write `peer(s) sees RST` or `peer(s) sees FIN`");
    c.next();
    out.kind = Expectation::Kind::PeerSees;
    out.what = what.text;
    return std::nullopt;
  }
  if (c.at_word("received")) {
    c.next();
    const Token& n = c.peek();
    Quantity q = parse_quantity(n.text, kSizeUnits);
    if (n.kind != Token::Kind::Word || !q.ok())
      return fault_at(n, fmt::format("expected a byte count, got {}", describe(n)),
                      "write `peer(s) received N bytes`, e.g. `received 64KiB bytes` or `received 0 bytes`");
    c.next();
    if (!c.at_word("bytes"))
      return fault_at(c.peek(), fmt::format("expected 'bytes', got {}", describe(c.peek())),
                      fmt::format("write `peer({}) received {} bytes`", out.subject, printable(n.text)));
    c.next();
    out.kind = Expectation::Kind::PeerReceived;
    out.bytes = q.value;
    if (c.at_word("after")) {
      c.next();
      if (!c.at_word("close"))
        return fault_at(c.peek(), fmt::format("expected 'close' after 'after', got {}", describe(c.peek())),
                        "write `... bytes after close`");
      c.next();
      out.after_close = true;
    }
    return std::nullopt;
  }
  return fault_at(verb, fmt::format("expected 'sees' or 'received', got {}", describe(verb)),
                  "write `peer(s) sees RST|FIN` or `peer(s) received N bytes [after close]`");
}

std::optional<Fault> parse_completes(TokenCursor& c, Expectation& out) {
  out.kind = Expectation::Kind::OpCompletes;
  out.any_status = true;
  if (c.at(Token::Kind::Word) && !c.at_word("via")) {
    const Token& status = c.next();
    std::optional<int> code = parse_status(status.text);
    if (!code) {
      std::vector<std::string_view> names;
      for (const char* const* n = error_names(); *n != nullptr; ++n) names.push_back(*n);
      return fault_at(status, fmt::format("unknown completion status {}", describe(status)),
                      did_you_mean(status.text, names,
                                   "a status is an error name (WSA_OPERATION_ABORTED) or 0; "
                                   "leave it out to accept any"));
    }
    out.status = *code;
    out.any_status = false;
  }
  if (c.at_word("via")) {
    c.next();
    const Token& via = c.peek();
    if (via.kind != Token::Kind::Word || (via.text != "event" && via.text != "apc" && via.text != "port"))
      return fault_at(via, fmt::format("expected event, apc or port after 'via', got {}", describe(via)),
                      "the completion action is `via event`, `via apc` or `via port`");
    c.next();
    out.what = via.text;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Fault> parse_expectation(TokenCursor& c, const LineContext& ctx, Expectation& out) {
  out = Expectation{};
  if (c.at_word("no")) {
    c.next();
    out.negated = true;
  }
  const Token& head = c.peek();
  if (head.kind != Token::Kind::Word)
    return fault_at(head, fmt::format("expected an expectation, got {}", describe(head)), std::string(kForms));
  c.next();
  std::optional<Fault> fault;
  if (head.text == "peer") {
    fault = parse_peer_expectation(c, ctx, out);
  } else if (head.text == "WPUCloseSocketHandle") {
    out.kind = Expectation::Kind::HandleReturned;
    fault = parse_subject(c, ctx, head.text, out);
  } else if (head.text == "CloseHandle") {
    out.kind = Expectation::Kind::FileHandleClosed;
    fault = parse_subject(c, ctx, head.text, out);
  } else if (head.text == "handle") {
    // Holds for every provider kind: a non-IFS provider hands the handle back with
    // WPUCloseSocketHandle, an IFS provider closes its file handle (R11).
    if (!c.at_word("released"))
      return fault_at(c.peek(), fmt::format("expected 'released' after 'handle', got {}", describe(c.peek())),
                      "write `handle released(s)`: the handle was released, by any provider");
    c.next();
    out.kind = Expectation::Kind::HandleReleased;
    fault = parse_subject(c, ctx, "handle released", out);
  } else if (head.text == "released") {
    out.kind = Expectation::Kind::Released;
    fault = parse_subject(c, ctx, head.text, out);
  } else if (head.text.starts_with("FD_")) {
    if (!network_event_bit(head.text))
      return fault_at(head, fmt::format("unknown network event {}", describe(head)),
                      did_you_mean(head.text, network_event_names(),
                                   "network events: FD_READ, FD_WRITE, FD_OOB, FD_ACCEPT, FD_CONNECT, FD_CLOSE"));
    out.kind = Expectation::Kind::NetworkEvent;
    out.what = head.text;
    fault = parse_subject(c, ctx, head.text, out);
  } else if (c.at_word("wakes")) {
    if (!is_thread_name(head.text))
      return fault_at(head, fmt::format("{} is not a thread", describe(head)),
                      "a thread is Process.thread, e.g. `A.t2 wakes`");
    c.next();
    out.kind = Expectation::Kind::ThreadWakes;
    out.subject = head.text;
    out.subject_span = ctx.span(head);
  } else if (c.at_word("completes")) {
    if (!is_identifier(head.text))
      return fault_at(head, fmt::format("{} is not an operation name", describe(head)),
                      "name the overlapped operation given to WSASend/WSARecv, e.g. `o1 completes`");
    c.next();
    out.subject = head.text;
    out.subject_span = ctx.span(head);
    fault = parse_completes(c, out);
  } else {
    static const std::vector<std::string_view> kVerbs = {"completes", "wakes"};
    if (c.at(Token::Kind::Word) && closest_match(c.peek().text, kVerbs))
      return fault_at(c.peek(), fmt::format("unknown expectation {}", describe(c.peek())),
                      did_you_mean(c.peek().text, kVerbs, ""));
    static const std::vector<std::string_view> kHeads = {"peer", "WPUCloseSocketHandle", "CloseHandle",
                                                         "handle", "released"};
    return fault_at(head, fmt::format("unknown expectation {}", describe(head)),
                    did_you_mean(head.text, kHeads, std::string(kForms)));
  }
  if (fault) return fault;
  return expect_line_end(c, "an expectation");
}

}  // namespace closesim::lang
