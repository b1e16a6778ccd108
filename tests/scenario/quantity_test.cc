// The pieces under the parser: numbers with units, the line lexer, "did you mean".
#include <doctest/doctest.h>

#include <cstdint>

#include "scenario/lexer.h"
#include "scenario/quantity.h"
#include "scenario/suggest.h"

using namespace closesim::lang;

TEST_CASE("quantities are exact") {
  CHECK(parse_quantity("0", kTimeUnits).value == 0);
  CHECK(parse_quantity("1.5ms", kTimeUnits).value == 1500000);
  CHECK(parse_quantity("0.000000001s", kTimeUnits).value == 1);
  CHECK(parse_quantity("1.10000us", kTimeUnits).value == 1100);  // trailing zeros are fine
  CHECK(parse_quantity("1000000000000000ns", kTimeUnits).value == closesim::kMaxDuration);
  CHECK(parse_quantity("9223372036854775807ns", kTimeUnits).problem == Quantity::Problem::TooLarge);
  CHECK(parse_quantity("0.5KiB", kSizeUnits).value == 512);
  CHECK(parse_quantity("0.0009765625KiB", kSizeUnits).value == 1);
  CHECK(parse_quantity("64KiB", kSizeUnits).unit == "KiB");
  CHECK(parse_quantity("7", kSizeUnits).unit.empty());

  using P = Quantity::Problem;
  CHECK(parse_quantity("1.5ns", kTimeUnits).problem == P::TooFine);
  CHECK(parse_quantity("0.3B", kSizeUnits).problem == P::TooFine);
  CHECK(parse_quantity("0.0000000000000000001s", kTimeUnits).problem == P::TooFine);
  CHECK(parse_quantity("9223372036854775808ns", kTimeUnits).problem == P::TooLarge);
  CHECK(parse_quantity("9999999999s", kTimeUnits).problem == P::TooLarge);
  CHECK(parse_quantity("5KB", kSizeUnits).problem == P::UnknownUnit);
  CHECK(parse_quantity("5KB", kSizeUnits).unit == "KB");
  CHECK(parse_quantity("", kTimeUnits).problem == P::NotANumber);
  CHECK(parse_quantity(".5ms", kTimeUnits).problem == P::NotANumber);
  CHECK(parse_quantity("1.ms", kTimeUnits).problem == P::NotANumber);
  CHECK(parse_quantity("-1", kSizeUnits).problem == P::NotANumber);
}

TEST_CASE("the lexer: words, punctuation, strings, comments, columns") {
  LexedLine l = lex_line("0...2s A.main s=socket( tcp ) # c = (");
  REQUIRE_FALSE(l.fault);
  REQUIRE(l.tokens.size() == 9);
  CHECK(l.tokens[0].text == "0...2s");
  CHECK(l.tokens[1].text == "A.main");
  CHECK(l.tokens[1].column == 8);
  CHECK(l.tokens[2].text == "s");
  CHECK(l.tokens[3].kind == Token::Kind::Equals);
  CHECK(l.tokens[4].text == "socket");
  CHECK(l.tokens[5].kind == Token::Kind::LParen);
  CHECK(l.tokens[6].text == "tcp");
  CHECK(l.tokens[7].kind == Token::Kind::RParen);
  CHECK(l.tokens[8].kind == Token::Kind::End);
  CHECK(l.tokens[8].column == 30);  // just past ')'

  l = lex_line("title \"a \\\"b\\\" # c\"");
  REQUIRE(l.tokens.size() == 3);
  CHECK(l.tokens[1].kind == Token::Kind::String);
  CHECK(l.tokens[1].text == "a \"b\" # c");
  CHECK(l.tokens[1].length == 13);

  l = lex_line("title \"open");
  REQUIRE(l.fault);
  CHECK(l.fault->column == 7);

  l = lex_line("");
  REQUIRE(l.tokens.size() == 1);
  CHECK(l.tokens[0].column == 1);
}

TEST_CASE("did you mean") {
  CHECK(edit_distance("tpc", "tcp") == 1);
  CHECK(edit_distance("CloseSocket", "closesocket") == 0);
  CHECK(edit_distance("", "abc") == 3);
  std::vector<std::string_view> calls = {"send", "recv", "closesocket", "socket"};
  CHECK(closest_match("closesockt", calls) == "closesocket");
  CHECK(closest_match("sockt", calls) == "socket");
  CHECK_FALSE(closest_match("frobnicate", calls));
  CHECK_FALSE(closest_match("x", calls));
  CHECK(did_you_mean("rcv", calls, "no") == "did you mean 'recv'?");
  CHECK(did_you_mean("zzzz", calls, "no") == "no");
  CHECK(join_alternatives({"a", "b", "c"}) == "a, b or c");
  CHECK(join_alternatives({"a"}) == "a");
}
