// libFuzzer's entry point: any broken property of fuzz_scenario is a crash it keeps.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string why = closesim::fuzz::fuzz_scenario(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!why.empty()) {
    std::fprintf(stderr, "closesim fuzz: %s\n", why.c_str());
    std::abort();
  }
  return 0;
}
