// Control bytes made visible for text outputs, and YAML scalars for TAP (see visible.h).
#include "report/visible.h"

#include <fmt/format.h>

#include "report/view.h"

namespace closesim::report {

std::string visible_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      out += fmt::format("\\x{:02x}", c);
    } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      out += fmt::format("\\u{{{:x}}}", static_cast<unsigned char>(text[i + 1]));
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string tap_yaml_string(std::string_view text) {
  // json_escape makes the text valid UTF-8 and escapes quotes, backslashes and control bytes;
  // its \b and \uXXXX (only ever below U+0020 or DEL) are rewritten in the forms TAP::Parser knows.
  const std::string json = json_escape(text);
  std::string body;
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '\\' && i + 1 < json.size()) {
      const char e = json[i + 1];
      if (e == 'b') {
        body += "\\x08";
        ++i;
        continue;
      }
      if (e == 'u' && i + 5 < json.size()) {
        body += "\\x" + json.substr(i + 4, 2);
        i += 5;
        continue;
      }
      body += json.substr(i, 2);
      ++i;
      continue;
    }
    body += json[i];
  }
  std::string out = "\"" + body + "\"";
  // The reader's test for "- key: value" is: a first word, optional blanks, ':' then a blank or
  // the end. Whatever the quotes, a first word ending in ':' ("file.scn:9:") matches it.
  const std::size_t blank = out.find_first_of(" \t");
  if (blank != std::string::npos) {
    std::size_t colon = std::string::npos;
    if (out[blank - 1] == ':') {
      colon = blank - 1;
    } else {
      const std::size_t next = out.find_first_not_of(" \t", blank);
      if (next != std::string::npos && out[next] == ':' &&
          (next + 1 == out.size() || out[next + 1] == ' ' || out[next + 1] == '\t'))
        colon = next;
    }
    if (colon != std::string::npos) out.replace(colon, 1, "\\x3a");
  }
  return out;
}

}  // namespace closesim::report
