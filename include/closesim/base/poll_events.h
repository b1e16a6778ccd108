// WSAPoll's event bits (winsock2.h values) and their names, and select's set names: the words the
// parser reads and the model prints, in one place so that both spell them alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace closesim {

inline constexpr std::int64_t kPollErr = 0x1;
inline constexpr std::int64_t kPollHup = 0x2;
inline constexpr std::int64_t kPollNval = 0x4;
inline constexpr std::int64_t kPollWrNorm = 0x10;
inline constexpr std::int64_t kPollWrBand = 0x20;
inline constexpr std::int64_t kPollRdNorm = 0x100;
inline constexpr std::int64_t kPollRdBand = 0x200;
inline constexpr std::int64_t kPollPri = 0x400;

// POLLRDNORM..POLLNVAL, and POLLIN (RDNORM|RDBAND) and POLLOUT (WRNORM) as winsock2.h has them.
std::optional<std::int64_t> poll_event_bits(std::string_view name);
const std::vector<std::string_view>& poll_event_names();
// "POLLRDNORM|POLLWRNORM|POLLHUP": read, write, then error bits; "0" for none.
std::string poll_events_text(std::int64_t mask);

// "{a, b}": the names sorted, so that two spellings of one set compare equal.
std::string socket_set_text(std::vector<std::string> names);

}  // namespace closesim
