// One line of a scenario, as tokens. The language is line-based (one step or directive per
// line), so each line is lexed on its own; a problem on one line never hides the next one.
// Columns are 1-based byte offsets into the line, the unit diagnostics report.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "closesim/scenario/scenario.h"

namespace closesim::lang {

// ASCII only, whatever the locale: the language's numbers are ASCII digits.
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A problem found on one line; the driver turns it into a Diagnostic with the file and line.
struct Fault {
  int column = 1;
  int length = 1;
  std::string message;
  std::string hint;  // one line; never empty for faults the parser reports
};

struct Token {
  enum class Kind { Word, String, LParen, RParen, Comma, Equals, Pipe, End, LBrace, RBrace };
  Kind kind = Kind::End;
  std::string text;  // Word: as written; String: contents with \" and \\ resolved; else the char
  int column = 1;
  int length = 1;    // characters covered in the line (a String includes its quotes)
  int end_column() const { return column + length; }  // one past the last character
};

// Words are maximal runs of anything but blanks and  ( ) { } , = | " #  so `A.main`, `0...2s`,
// `+1ms`, `lsp:ifs`, `1MiB/s` and `-1` are single words. `#` outside a string starts a comment.
// The token list always ends with exactly one End token, placed just after the last token.
// Lines and words have a documented length (README, "Limits"): what a run prints grows with
// the names it repeats, so a name is short and a line is one screen wide at most.
inline constexpr std::size_t kMaxLineLength = 1000;
inline constexpr std::size_t kMaxWordLength = 64;
struct LexedLine {
  std::vector<Token> tokens;
  // An unterminated string, a line or a word too long; `tokens` is then incomplete.
  std::optional<Fault> fault;
};
LexedLine lex_line(std::string_view line);

// [A-Za-z_][A-Za-z0-9_]*
bool is_identifier(std::string_view text);
// "A.main": identifier '.' identifier.
bool is_thread_name(std::string_view text);
bool is_all_digits(std::string_view text);

// Walks a LexedLine's tokens. Reading past the end keeps returning the End token.
// REQUIRES: `tokens` ends with an End token and outlives the cursor.
class TokenCursor {
 public:
  explicit TokenCursor(const std::vector<Token>& tokens) : tokens_(tokens) {}
  TokenCursor(const TokenCursor&) = delete;
  TokenCursor& operator=(const TokenCursor&) = delete;

  const Token& peek(std::size_t ahead = 0) const {
    std::size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool at(Token::Kind kind, std::size_t ahead = 0) const { return peek(ahead).kind == kind; }
  bool at_word(std::string_view word, std::size_t ahead = 0) const {
    return at(Token::Kind::Word, ahead) && peek(ahead).text == word;
  }
  bool at_end() const { return at(Token::Kind::End); }

 private:
  const std::vector<Token>& tokens_;
  std::size_t pos_ = 0;
};

// The line being parsed: where spans point and where "as written" text is cut from.
struct LineContext {
  int line = 0;
  std::string_view text;

  SourceSpan span(const Token& t) const { return {line, t.column, t.length}; }
  SourceSpan span(const Token& first, const Token& last) const {
    return {line, first.column, last.end_column() - first.column};
  }
  // The source text from the start of `first` to the end of `last`.
  std::string slice(const Token& first, const Token& last) const;
};

Fault fault_at(const Token& t, std::string message, std::string hint);
Fault fault_over(const Token& first, const Token& last, std::string message, std::string hint);
// Text from the line made safe for a one-line message: control characters become '?', and
// anything past 40 characters becomes "...".
std::string printable(std::string_view text);
// How a token reads in a message: 'word' (printable), "a string" or "end of line".
std::string describe(const Token& t);

}  // namespace closesim::lang
