#include "scenario/lexer.h"

#include <utility>

namespace closesim::lang {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

bool is_punctuation(char c) {
  return c == '(' || c == ')' || c == ',' || c == '=' || c == '|' || c == '"' || c == '#' ||
         c == '{' || c == '}';  // braces: select's sets, WSAPoll's entries
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

Token::Kind punctuation_kind(char c) {
  switch (c) {
    case '(': return Token::Kind::LParen;
    case ')': return Token::Kind::RParen;
    case ',': return Token::Kind::Comma;
    case '=': return Token::Kind::Equals;
    case '{': return Token::Kind::LBrace;
    case '}': return Token::Kind::RBrace;
    default: return Token::Kind::Pipe;
  }
}

}  // namespace

LexedLine lex_line(std::string_view line) {
  LexedLine out;
  out.tokens.reserve(16);
  if (line.size() > kMaxLineLength) {
    out.fault = Fault{static_cast<int>(kMaxLineLength) + 1, 1, "line too long",
                      "a line is at most 1000 characters; split the step or shorten the title"};
    return out;
  }
  const std::size_t n = line.size();
  std::size_t i = 0;
  int end_column = 1;
  while (i < n) {
    const char c = line[i];
    if (is_blank(c)) {
      ++i;
      continue;
    }
    if (c == '#') break;
    Token t;
    t.column = static_cast<int>(i) + 1;
    if (c == '"') {
      std::size_t j = i + 1;
      bool closed = false;
      while (j < n) {
        if (line[j] == '\\' && j + 1 < n && (line[j + 1] == '"' || line[j + 1] == '\\')) {
          t.text += line[j + 1];
          j += 2;
        } else if (line[j] == '"') {
          closed = true;
          ++j;
          break;
        } else {
          t.text += line[j++];
        }
      }
      if (!closed) {
        out.fault = Fault{t.column, static_cast<int>(n - i), "unterminated string",
                          "end the string with a double quote (\")"};
        break;
      }
      t.kind = Token::Kind::String;
      t.length = static_cast<int>(j - i);
      i = j;
    } else if (is_punctuation(c)) {
      t.kind = punctuation_kind(c);
      t.text = std::string(1, c);
      ++i;
    } else {
      std::size_t j = i;
      while (j < n && !is_blank(line[j]) && !is_punctuation(line[j])) ++j;
      t.kind = Token::Kind::Word;
      t.text = std::string(line.substr(i, j - i));
      t.length = static_cast<int>(j - i);
      if (j - i > kMaxWordLength) {
        out.fault = Fault{t.column, t.length, "word too long: " + describe(t),
                          "names, numbers and times are at most 64 characters"};
        break;
      }
      i = j;
    }
    end_column = t.end_column();
    out.tokens.push_back(std::move(t));
  }
  Token end;
  end.kind = Token::Kind::End;
  end.column = end_column;
  out.tokens.push_back(std::move(end));
  return out;
}

bool is_identifier(std::string_view text) {
  if (text.empty() || !is_alpha(text[0])) return false;
  for (char c : text)
    if (!is_alpha(c) && !is_digit(c)) return false;
  return true;
}

bool is_thread_name(std::string_view text) {
  std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return false;
  return is_identifier(text.substr(0, dot)) && is_identifier(text.substr(dot + 1));
}

bool is_all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!is_digit(c)) return false;
  return true;
}

std::string LineContext::slice(const Token& first, const Token& last) const {
  std::size_t from = static_cast<std::size_t>(first.column - 1);
  std::size_t to = static_cast<std::size_t>(last.end_column() - 1);
  if (from >= text.size() || to <= from) return first.text;
  return std::string(text.substr(from, to - from));
}

Fault fault_at(const Token& t, std::string message, std::string hint) {
  return Fault{t.column, t.length, std::move(message), std::move(hint)};
}

Fault fault_over(const Token& first, const Token& last, std::string message, std::string hint) {
  return Fault{first.column, last.end_column() - first.column, std::move(message), std::move(hint)};
}

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, text.size() > 40 ? 37 : 40))
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  if (text.size() > 40) out += "...";
  return out;
}

std::string describe(const Token& t) {
  if (t.kind == Token::Kind::End) return "end of line";
  if (t.kind == Token::Kind::String) return "a string";
  return "'" + printable(t.text) + "'";
}

}  // namespace closesim::lang
