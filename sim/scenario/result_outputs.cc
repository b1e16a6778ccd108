#include "scenario/result_outputs.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "closesim/base/poll_events.h"
#include "scenario/suggest.h"

namespace closesim::lang {

namespace {

Fault fault_on(const ResultSpec::Output& o, std::string message, std::string hint) {
  return Fault{o.span.column, o.span.length, std::move(message), std::move(hint)};
}

std::string_view outputs_usage(Outputs kind) {
  switch (kind) {
    case Outputs::None: return "";
    case Outputs::SocketSets: return "read={...} write={...} except={...}: the sockets left in each set";
    case Outputs::PollEvents: return "NAME=POLL... for a socket of the call: its revents (0 for none)";
    case Outputs::OptionValue: return "optval=N, optval={onoff, seconds}, optval=SOCK_STREAM or optval=untouched";
    case Outputs::Transferred: return "bytes=N";
    case Outputs::Message: return "wParam=s lParam=0x20: the socket and WSAMAKESELECTREPLY(event, error)";
  }
  return "";
}

// The sockets a select's set `key` was given.
std::vector<std::string> input_set(const CallAction& call, std::string_view key) {
  std::vector<std::string> out;
  for (const Argument& a : call.args)
    if (a.kind == Argument::Kind::Group && a.key == key)
      for (const Argument& item : a.items) out.push_back(item.text);
  return out;
}

std::optional<Fault> socket_sets(const CallAction& call, ResultSpec::Output& o) {
  static const std::vector<std::string_view> keys = {"read", "write", "except"};
  if (std::find(keys.begin(), keys.end(), o.key) == keys.end())
    return fault_on(o, fmt::format("select reports no '{}'", printable(o.key)),
                    did_you_mean(o.key, keys, "select reports read={...}, write={...} and except={...}"));
  if (!o.group)
    return fault_on(o, fmt::format("'{}' is a set", o.key), fmt::format("write {}={{s1, s2}}", o.key));
  const std::vector<std::string> given = input_set(call, o.key);
  for (const std::string& name : o.parts)
    if (std::find(given.begin(), given.end(), name) == given.end())
      return fault_on(o, fmt::format("'{}' was not in the {} set given to select", printable(name), o.key),
                      "select only removes sockets from a set: name one the call was given");
  o.value = socket_set_text(o.parts);
  return std::nullopt;
}

std::optional<Fault> poll_events(const CallAction& call, ResultSpec::Output& o) {
  std::vector<std::string_view> names;
  for (const Argument& a : call.args)
    if (a.kind == Argument::Kind::Group && !a.items.empty()) names.push_back(a.items.front().text);
  if (std::find(names.begin(), names.end(), o.key) == names.end())
    return fault_on(o, fmt::format("'{}' is not a socket of this WSAPoll", printable(o.key)),
                    did_you_mean(o.key, names, "write SOCKET=POLL... for a socket the call was given"));
  if (o.group)
    return fault_on(o, "revents are flags, not a set", fmt::format("write {}=POLLHUP|POLLERR", o.key));
  std::int64_t mask = 0;
  for (const std::string& w : o.parts) {
    if (w == "0" && o.parts.size() == 1) break;
    std::optional<std::int64_t> bits = poll_event_bits(w);
    if (!bits)
      return fault_on(o, fmt::format("unknown poll event '{}'", printable(w)),
                      did_you_mean(w, poll_event_names(), "revents are POLL* flags joined by |, or 0"));
    mask |= *bits;
  }
  o.value = poll_events_text(mask);
  return std::nullopt;
}

std::optional<Fault> option_value(ResultSpec::Output& o) {
  const char* hint = "optval is a number, {onoff, seconds} for SO_LINGER, SOCK_STREAM or SOCK_DGRAM "
                     "for SO_TYPE, or `untouched` when the call wrote nothing";
  if (o.key != "optval")
    return fault_on(o, fmt::format("getsockopt reports no '{}'", printable(o.key)), hint);
  if (o.group) {
    if (o.parts.size() != 2 || !is_all_digits(o.parts[0]) || !is_all_digits(o.parts[1]) ||
        o.parts[0].size() > 5 || o.parts[1].size() > 5)
      return fault_on(o, "a linger value is {onoff, seconds}", "e.g. optval={1, 5}");
    o.value = fmt::format("{{{}, {}}}", std::stoi(o.parts[0]), std::stoi(o.parts[1]));
    return std::nullopt;
  }
  if (o.parts.size() != 1) return fault_on(o, "optval is one value", hint);
  const std::string& w = o.parts.front();
  if (w == "untouched" || w == "SOCK_STREAM" || w == "SOCK_DGRAM") {
    o.value = w;
    return std::nullopt;
  }
  if (std::optional<int> code = parse_error_name(w); code && *code >= 0) {  // SO_ERROR, or 0/1
    o.value = std::to_string(*code);
    return std::nullopt;
  }
  return fault_on(o, fmt::format("bad optval '{}'", printable(w)), hint);
}

std::optional<Fault> transferred(ResultSpec::Output& o) {
  if (o.key != "bytes")
    return fault_on(o, fmt::format("an overlapped result reports no '{}'", printable(o.key)),
                    "write bytes=N, the bytes the operation transferred");
  if (o.group || o.parts.size() != 1 || !is_all_digits(o.parts.front()) || o.parts.front().size() > 13)
    return fault_on(o, "bytes is a plain byte count", "e.g. bytes=0");
  o.value = std::to_string(std::stoll(o.parts.front()));
  return std::nullopt;
}

// A WM_SOCKET message: wParam names the socket, lParam is the event in its low word and the
// error in its high word, written in hex (0x20) or decimal and printed in hex.
std::optional<Fault> window_message(ResultSpec::Output& o) {
  static const std::vector<std::string_view> keys = {"wParam", "lParam"};
  if (std::find(keys.begin(), keys.end(), o.key) == keys.end())
    return fault_on(o, fmt::format("a message reports no '{}'", printable(o.key)),
                    did_you_mean(o.key, keys, "write wParam=s lParam=0x20"));
  if (o.group || o.parts.size() != 1)
    return fault_on(o, fmt::format("'{}' is one value", o.key), "e.g. wParam=s lParam=0x20");
  const std::string& w = o.parts.front();
  if (o.key == "wParam") {
    o.value = w;
    return std::nullopt;
  }
  const bool hex = w.size() > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X');
  const std::string digits = hex ? w.substr(2) : w;
  const bool ok = !digits.empty() && digits.size() <= 16 &&
                  std::all_of(digits.begin(), digits.end(), [&](char ch) {
                    return hex ? std::isxdigit(static_cast<unsigned char>(ch)) != 0
                               : ch >= '0' && ch <= '9';
                  });
  if (!ok)
    return fault_on(o, fmt::format("bad lParam '{}'", printable(w)),
                    "lParam is a 32-bit number: the event in the low word, the error in the high "
                    "word, e.g. 0x20 (FD_CLOSE, error 0)");
  const unsigned long long v = std::stoull(digits, nullptr, hex ? 16 : 10);
  if (v > 0xffffffffULL)
    return fault_on(o, fmt::format("lParam '{}' is more than 32 bits", printable(w)),
                    "at most 0xffffffff");
  o.value = fmt::format("{:#x}", v);
  return std::nullopt;
}

}  // namespace

std::optional<Fault> check_outputs(const CallSpec& sig, const CallAction& call, ResultSpec& result) {
  std::set<std::string> seen;
  for (ResultSpec::Output& o : result.outputs) {
    if (sig.outputs == Outputs::None)
      return fault_on(o, fmt::format("{} reports nothing besides its result", sig.name),
                      "remove it; only select, WSAPoll, getsockopt, the overlapped results and "
                      "PeekMessage report KEY=VALUE");
    if (!seen.insert(o.key).second)
      return fault_on(o, fmt::format("'{}' given twice", printable(o.key)), "state each output once");
    std::optional<Fault> f;
    switch (sig.outputs) {
      case Outputs::None: break;
      case Outputs::SocketSets: f = socket_sets(call, o); break;
      case Outputs::PollEvents: f = poll_events(call, o); break;
      case Outputs::OptionValue: f = option_value(o); break;
      case Outputs::Transferred: f = transferred(o); break;
      case Outputs::Message: f = window_message(o); break;
    }
    if (f) {
      f->hint += fmt::format(" ({} reports {})", sig.name, outputs_usage(sig.outputs));
      return f;
    }
  }
  return std::nullopt;
}

}  // namespace closesim::lang
