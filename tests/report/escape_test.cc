// The escaping helpers every format relies on (private to the report library).
#include <doctest/doctest.h>

#include "report/view.h"

namespace closesim::report {
namespace {

TEST_CASE("JSON escaping") {
  CHECK(json_escape("a\"b\\c\n\t\x01") == "a\\\"b\\\\c\\n\\t\\u0001");
  CHECK(json_escape("\xC3\xA9") == "\xC3\xA9");
  CHECK(json_escape("\xff") == "\xEF\xBF\xBD");
  CHECK(json_escape("\xC0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong NUL
  CHECK(json_escape("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
}

TEST_CASE("XML escaping") {
  CHECK(xml_escape("<a href=\"x\">&'</a>") == "&lt;a href=\"x\"&gt;&amp;'&lt;/a&gt;");
  CHECK(xml_attr("\"'<") == "&quot;&apos;&lt;");
  CHECK(xml_escape("a\nb\x01") == "a\nb?");
  CHECK(xml_attr("a\nb\tc") == "a&#10;b&#9;c");
}

TEST_CASE("Mermaid escaping") {
  CHECK(mermaid_escape("a;b#c<d>e\nf") == "a#59;b#35;c#60;d#62;e f");
}

TEST_CASE("microseconds are exact") {
  CHECK(micros(0) == "0.000");
  CHECK(micros(1) == "0.001");
  CHECK(micros(1500) == "1.500");
  CHECK(micros(2010 * kMillisecond) == "2010000.000");
  CHECK(micros(-1500) == "-1.500");
}

TEST_CASE("paths") {
  CHECK(folder_of("scenarios/linger/hard_close.scn") == "scenarios/linger");
  CHECK(folder_of("hard_close.scn") == "");
  CHECK(stem_of("scenarios/linger/hard_close.scn") == "hard_close");
  CHECK(stem_of(".hidden") == ".hidden");
}

}  // namespace
}  // namespace closesim::report
