#include "closesim/base/run_config.h"

namespace closesim {

std::string provider_name(ProviderKind p) {
  switch (p) {
    case ProviderKind::Ifs: return "ifs";
    case ProviderKind::NonIfs: return "nonifs";
    case ProviderKind::LspIfs: return "lsp:ifs";
    case ProviderKind::LspNonIfs: return "lsp:nonifs";
  }
  return "?";
}

std::string profile_name(ProfileKind p) {
  return p == ProfileKind::Windows ? "windows" : "documented";
}

std::optional<ProviderKind> parse_provider(const std::string& text) {
  if (text == "ifs") return ProviderKind::Ifs;
  if (text == "nonifs") return ProviderKind::NonIfs;
  if (text == "lsp:ifs") return ProviderKind::LspIfs;
  if (text == "lsp:nonifs") return ProviderKind::LspNonIfs;
  return std::nullopt;
}

std::optional<ProfileKind> parse_profile(const std::string& text) {
  if (text == "documented") return ProfileKind::Documented;
  if (text == "windows") return ProfileKind::Windows;
  return std::nullopt;
}

}  // namespace closesim
