#include "closesim/base/poll_events.h"

#include <algorithm>

namespace closesim {

namespace {

struct PollName {
  std::string_view name;
  std::int64_t bits;
};

// In the order a mask is printed: what can be read, written, then what went wrong.
constexpr PollName kPrinted[] = {
    {"POLLRDNORM", kPollRdNorm}, {"POLLRDBAND", kPollRdBand}, {"POLLPRI", kPollPri},
    {"POLLWRNORM", kPollWrNorm}, {"POLLWRBAND", kPollWrBand}, {"POLLERR", kPollErr},
    {"POLLHUP", kPollHup},       {"POLLNVAL", kPollNval},
};

}  // namespace

std::optional<std::int64_t> poll_event_bits(std::string_view name) {
  for (const PollName& p : kPrinted)
    if (p.name == name) return p.bits;
  if (name == "POLLIN") return kPollRdNorm | kPollRdBand;
  if (name == "POLLOUT") return kPollWrNorm;
  return std::nullopt;
}

const std::vector<std::string_view>& poll_event_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const PollName& p : kPrinted) out.push_back(p.name);
    out.push_back("POLLIN");
    out.push_back("POLLOUT");
    return out;
  }();
  return names;
}

std::string poll_events_text(std::int64_t mask) {
  std::string out;
  for (const PollName& p : kPrinted) {
    if ((mask & p.bits) == 0) continue;
    if (!out.empty()) out += '|';
    out += p.name;
  }
  return out.empty() ? "0" : out;
}

std::string socket_set_text(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + "}";
}

}  // namespace closesim
