// Virtual time and sizes as reports print them: exact, in the language's own units.
#include <doctest/doctest.h>

#include "closesim/base/time.h"

using namespace closesim;

TEST_CASE("format_time is exact and picks the unit a person reads best") {
  CHECK(format_time(0) == "0");
  CHECK(format_time(7) == "7ns");
  CHECK(format_time(15 * kMicrosecond) == "15us");
  CHECK(format_time(1500) == "1.5us");
  CHECK(format_time(62 * kMillisecond + 500 * kMicrosecond) == "62.5ms");
  CHECK(format_time(63264039 * kNanosecond) == "63.264039ms");
  CHECK(format_time(2 * kSecond) == "2s");
  CHECK(format_time(2 * kSecond + kMillisecond) == "2.001s");
  // Seconds only for whole milliseconds; otherwise milliseconds with the decimals it needs.
  CHECK(format_time(2 * kSecond + 1) == "2000.000001ms");
  CHECK(format_time(-3 * kMillisecond) == "-3ms");
  CHECK(format_time(kForever) == "forever");
}

TEST_CASE("format_size uses KiB and MiB only when exact") {
  CHECK(format_size(0) == "0");
  CHECK(format_size(100) == "100");
  CHECK(format_size(1024) == "1KiB");
  CHECK(format_size(65536) == "64KiB");
  CHECK(format_size(1536) == "1536");
  CHECK(format_size(3 * 1024 * 1024) == "3MiB");
}
