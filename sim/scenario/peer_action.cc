#include <fmt/format.h>

#include "scenario/actions.h"
#include "scenario/quantity.h"
#include "scenario/suggest.h"

namespace closesim::lang {

std::optional<Fault> parse_peer_action(TokenCursor& c, const LineContext& /*ctx*/, PeerAction& out) {
  static const std::vector<std::string_view> kActions = {"send",  "stop_reading", "start_reading",
                                                         "close", "reset",        "connect",
                                                         "shutdown", "closesocket", "abort"};
  out = PeerAction{};
  const Token& verb = c.peek();
  if (verb.kind != Token::Kind::Word)
    return fault_at(verb, fmt::format("expected a peer action, got {}", describe(verb)),
                    "peer actions: send N, stop_reading, start_reading, close, shutdown, "
                    "closesocket, reset, abort, connect");
  c.next();
  using K = PeerAction::Kind;
  if (verb.text == "send") {
    out.kind = K::Send;
    const Token& n = c.peek();
    if (n.kind != Token::Kind::Word)
      return fault_at(n, "peer send needs a byte count", "e.g. `peer(s) send 100` or `send 4KiB`");
    Quantity q = parse_quantity(n.text, kSizeUnits);
    if (q.problem == Quantity::Problem::TooLarge)
      return fault_at(n, fmt::format("byte count too large: {}", describe(n)),
                      fmt::format("a byte count is {}", range_text(kSizeUnits)));
    if (!q.ok())
      return fault_at(n, fmt::format("bad byte count {}", describe(n)),
                      "a byte count is a number, optionally with B, KiB or MiB");
    out.bytes = q.value;
    c.next();
  } else if (verb.text == "stop_reading") {
    out.kind = K::StopReading;
  } else if (verb.text == "start_reading") {
    out.kind = K::StartReading;
  } else if (verb.text == "close") {
    out.kind = K::Close;
  } else if (verb.text == "reset") {
    out.kind = K::Reset;
  } else if (verb.text == "shutdown") {
    out.kind = K::Shutdown;  // the far end's shutdown(SD_SEND): FIN, and it still reads
  } else if (verb.text == "closesocket") {
    out.kind = K::CloseSocket;  // a full close: FIN, and data reaching it later gets an RST
  } else if (verb.text == "abort") {
    out.kind = K::Abort;  // the connection aborted from outside (C17)
  } else if (verb.text == "connect") {
    out.kind = K::Connect;  // extension: a remote client connects to listening socket s
  } else {
    return fault_at(verb, fmt::format("unknown peer action {}", describe(verb)),
                    did_you_mean(verb.text, kActions,
                                 "peer actions: send N, stop_reading, start_reading, close, "
                                 "shutdown, closesocket, reset, abort, connect"));
  }
  return expect_line_end(c, "a peer action");
}

}  // namespace closesim::lang
