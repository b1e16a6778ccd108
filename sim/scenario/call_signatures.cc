#include "scenario/call_signatures.h"

#include <algorithm>

#include <fmt/format.h>

#include "closesim/base/check.h"

#include "closesim/base/time.h"
#include "closesim/base/call_table.h"
#include "scenario/suggest.h"

namespace closesim::lang {

namespace {

using P = ParamKind;

Fault fault_on(const Argument& a, std::string message, std::string hint) {
  return Fault{a.span.column, a.span.length, std::move(message), std::move(hint)};
}

std::string shown(const Argument& a) {
  return "'" + printable(a.written()) + "'";
}

// Checks one argument against one parameter. With `normalise`, also rewrites it as the header
// says (done only for the form that matched, so trying forms copies nothing).
std::optional<Fault> check_param(const CallSpec& sig, const ParamSpec& p, Argument& a, bool normalise) {
  using K = Argument::Kind;
  // Messages are built only on the way out: this runs for every argument of every call.
  auto usage = [&] { return fmt::format("usage: {}", sig.usage); };
  auto expected = [&](std::string_view what, std::string hint = {}) {
    return fault_on(a, fmt::format("{}: expected {} for '{}', got {}", sig.name, what, p.name, shown(a)),
                    hint.empty() ? usage() : hint);
  };
  switch (p.kind) {
    case P::Socket:
    case P::Event:
    case P::Port:
    case P::Info:
    case P::Op:
      if (a.kind == K::Name) return std::nullopt;
      return expected("a name");
    case P::Process:
      if (a.kind == K::Name) return std::nullopt;
      return expected("a process name");
    case P::Keyword: {
      std::vector<std::string_view> words;
      for (const ParamWord& w : p.words) {
        if (a.kind == K::Name && a.text == w.word) return std::nullopt;
        words.push_back(w.word);
      }
      return expected(join_alternatives(words), did_you_mean(a.text, words, usage()));
    }
    case P::Bytes:
      if (a.kind == K::Number) return std::nullopt;
      return expected("a byte count (e.g. 100, 64KiB)");
    case P::Switch:
      if (a.kind == K::Number && is_all_digits(a.text) && (a.value == 0 || a.value == 1))
        return std::nullopt;
      return expected("0 or 1");
    case P::Seconds:
      if (a.kind == K::Duration)
        return expected("whole seconds",
                        "SO_LINGER takes whole seconds (l_linger), without a unit: e.g. `2`");
      if (a.kind == K::Number && is_all_digits(a.text)) {
        if (a.value <= 65535) return std::nullopt;
        return expected("at most 65535 seconds", "l_linger is an unsigned short");
      }
      return expected("whole seconds", "SO_LINGER takes whole seconds, without a unit: e.g. `2`");
    case P::Timeout:
      if (a.kind == K::Duration) return std::nullopt;
      if (a.kind == K::Name && a.text == "INFINITE") {
        if (normalise) a.value = kForever;
        return std::nullopt;
      }
      if (a.kind == K::Number && is_all_digits(a.text)) {
        // A plain number is milliseconds, as the Windows API takes it.
        std::int64_t ns = 0;
        if (__builtin_mul_overflow(a.value, kMillisecond, &ns) || ns > kMaxDuration)
          return expected("a timeout", "a timeout is at most 1000000000 (ms, 1000000s); for none write INFINITE");
        if (normalise) {
          a.kind = K::Duration;
          a.value = ns;
        }
        return std::nullopt;
      }
      return expected("a timeout", "a timeout is a duration (10ms), milliseconds (10) or INFINITE");
    case P::Notify:
      // A call without a completion-routine parameter (AcceptEx) leaves `apc` out of its name.
      if (a.kind == K::Name && a.text == "apc" && p.name.find("apc") == std::string_view::npos)
        return fault_on(a, fmt::format("{}: takes no completion routine, got 'apc'", sig.name),
                        fmt::format("use event=e or port=p: {}", sig.usage));
      if (a.kind == K::Name && a.text == "apc") return std::nullopt;
      if (a.kind == K::KeyValue && (a.key == "event" || a.key == "port")) return std::nullopt;
      return expected("event=e, apc or port=p",
                      "the completion action is `event=e` (signal e), `apc` or `port=p`");
    case P::EventMask:
      if (a.kind == K::Flags) return std::nullopt;
      if (a.kind == K::Number && a.text == "0") {
        if (normalise) a.kind = K::Flags;
        return std::nullopt;
      }
      return expected("FD_* flags", "e.g. FD_READ|FD_CLOSE");
    case P::Key:
      if (a.kind == K::Number || a.kind == K::Name) return std::nullopt;
      return expected("a number or a name");
    case P::SocketSet: {
      const std::string_view key = p.words.empty() ? std::string_view() : p.words.front().word;
      if (a.kind != K::Group || a.key != key)
        return expected(fmt::format("{}={{...}}", key),
                        fmt::format("a set is {}={{s1, s2}} ({{}} for none); usage: {}", key, sig.usage));
      for (const Argument& item : a.items)
        if (item.kind != K::Name)
          return fault_on(item, fmt::format("{}: expected a socket name in '{}', got {}", sig.name,
                                            p.name, shown(item)),
                          fmt::format("a set holds socket names: {}={{s1, s2}}", key));
      return std::nullopt;
    }
    case P::PollFd: {
      const std::string hint = fmt::format(
          "one entry is {{socket, events}}: e.g. {{s, POLLRDNORM|POLLWRNORM}} or {{s, 0}}; usage: {}",
          sig.usage);
      if (a.kind != K::Group || !a.key.empty() || a.items.size() != 2)
        return expected("{s, POLL...}", hint);
      if (a.items[0].kind != K::Name)
        return fault_on(a.items[0], fmt::format("{}: expected a socket name, got {}", sig.name,
                                                shown(a.items[0])), hint);
      Argument& events = a.items[1];
      if (events.kind == K::PollFlags) return std::nullopt;
      if (events.kind == K::Number && events.text == "0") {
        if (normalise) events.kind = K::PollFlags;
        return std::nullopt;
      }
      return fault_on(events, fmt::format("{}: expected POLL* events, got {}", sig.name, shown(events)),
                      hint);
    }
  }
  return expected("something else");
}

struct Attempt {
  std::size_t matched = 0;  // leading arguments that fit the form
  bool arity_fits = false;
  std::optional<Fault> fault;
};

Attempt try_form(const CallSpec& sig, const std::vector<ParamSpec>& form,
                 std::vector<Argument>& args, const Token& close) {
  Attempt at;
  at.arity_fits = form.size() == args.size();
  const std::size_t common = std::min(form.size(), args.size());
  for (; at.matched < common; ++at.matched) {
    if (auto f = check_param(sig, form[at.matched], args[at.matched], false)) {
      at.fault = std::move(f);
      return at;
    }
  }
  auto usage = [&] { return fmt::format("usage: {}", sig.usage); };
  if (args.size() > form.size()) {
    const Argument& extra = args[form.size()];
    at.fault = fault_on(extra, fmt::format("too many arguments to {}", sig.name), usage());
  } else if (args.size() < form.size()) {
    at.fault = fault_at(close,
                        fmt::format("{}: missing argument '{}'", sig.name, form[args.size()].name),
                        usage());
  } else {
    // A keyword option may be given once: socket(tcp, overlapped, overlapped) is a mistake.
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (form[i].kind != P::Keyword) continue;
      for (std::size_t j = 0; j < i; ++j) {
        if (form[j].kind == P::Keyword && args[j].text == args[i].text) {
          at.fault = fault_on(args[i], fmt::format("{}: {} given twice", sig.name, shown(args[i])),
                              "give each option once");
          return at;
        }
      }
    }
  }
  return at;
}

}  // namespace

const CallSpec* find_call(std::string_view name) {
  std::optional<CallId> id = find_call_id(name);
  return id ? &call_spec(*id) : nullptr;
}

std::vector<std::string_view> call_names() {
  std::vector<std::string_view> out;
  for (const CallSpec& s : call_table()) out.push_back(s.name);
  return out;
}

std::string assignable_call_names() {
  std::vector<std::string_view> names;
  for (const CallSpec& s : call_table())
    if (s.makes != Makes::Nothing) names.push_back(s.name);
  return join_alternatives(names);
}

const std::vector<ParamSpec>& matched_form(const CallSpec& sig, const std::vector<Argument>& args) {
  for (const std::vector<ParamSpec>& form : sig.forms) {
    if (form.size() != args.size()) continue;
    bool fits = true;
    for (std::size_t i = 0; i < args.size() && fits; ++i) {
      if (form[i].kind != P::Keyword) continue;
      fits = std::any_of(form[i].words.begin(), form[i].words.end(),
                         [&](const ParamWord& w) { return w.word == args[i].text; });
    }
    if (fits) return form;
  }
  CLOSESIM_CHECK(false && "matched_form: the arguments were checked against the table");
  return sig.forms.front();
}

std::optional<Fault> check_arguments(const CallSpec& sig, std::vector<Argument>& args,
                                     const Token& close) {
  std::optional<Attempt> best;
  for (const std::vector<ParamSpec>& form : sig.forms) {
    Attempt at = try_form(sig, form, args, close);
    if (!at.fault) {
      for (std::size_t i = 0; i < args.size(); ++i) check_param(sig, form[i], args[i], true);
      return std::nullopt;
    }
    // Report against the form the call came closest to: most leading arguments right, then
    // the right number of arguments.
    if (!best || at.matched > best->matched ||
        (at.matched == best->matched && at.arity_fits && !best->arity_fits))
      best = std::move(at);
  }
  if (!best) return Fault{close.column, 1, fmt::format("{} has no signature", sig.name), "?"};
  return best->fault;
}

const std::vector<std::string_view>& network_event_names() {
  static const std::vector<std::string_view> names = {"FD_READ",   "FD_WRITE",   "FD_OOB",
                                                      "FD_ACCEPT", "FD_CONNECT", "FD_CLOSE"};
  return names;
}

std::optional<int> network_event_bit(std::string_view name) {
  const std::vector<std::string_view>& names = network_event_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return 1 << i;
  return std::nullopt;
}

}  // namespace closesim::lang
