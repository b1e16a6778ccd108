// The knobs a run is configured with: which provider closes sockets, which profile shapes it,
// and the link the connections run over. Shared by the scenario language, the model and the
// rule checker, so it depends on nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "closesim/base/time.h"

namespace closesim {

enum class ProviderKind { Ifs, NonIfs, LspIfs, LspNonIfs };
enum class ProfileKind { Documented, Windows };
std::string provider_name(ProviderKind p);  // "ifs", "nonifs", "lsp:ifs", "lsp:nonifs"
std::string profile_name(ProfileKind p);    // "documented", "windows"
std::optional<ProviderKind> parse_provider(const std::string& text);
std::optional<ProfileKind> parse_profile(const std::string& text);

struct LinkConfig {
  Time latency = kMillisecond;      // one-way
  std::int64_t rate = 1024 * 1024;  // bytes per second
  std::int64_t sndbuf = 64 * 1024;  // send buffer per socket, bytes
};

}  // namespace closesim
