// Escaping for every output language closesim writes (escape.h), and small number/word
// formatting (view.h).
#include "report/escape.h"

#include <fmt/format.h>

#include "report/view.h"

namespace closesim::report {

namespace {

// Splits UTF-8 into code points, calling `emit(cp, bytes)` for each valid sequence and
// `emit(0xFFFD, "\xEF\xBF\xBD")` for each invalid byte.
template <typename Emit>
void for_each_code_point(std::string_view text, Emit emit) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    }
    bool ok = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
               (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF))
      ok = false;
    if (!ok) {
      emit(0xFFFD, std::string_view("\xEF\xBF\xBD"));
      i += 1;
      continue;
    }
    emit(cp, text.substr(i, len));
    i += len;
  }
}

}  // namespace

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_code_point(text, [&](std::uint32_t cp, std::string_view bytes) {
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (cp < 0x20 || cp == 0x7F)
          out += fmt::format("\\u{:04x}", cp);
        else
          out += bytes;
    }
  });
  return out;
}

std::string json_string(std::string_view text) { return "\"" + json_escape(text) + "\""; }

namespace {

std::string xml(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for_each_code_point(text, [&](std::uint32_t cp, std::string_view bytes) {
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\'': out += attribute ? "&apos;" : "'"; break;
      case '\r': out += "&#13;"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default:
        if (cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF)
          out += '?';
        else
          out += bytes;
    }
  });
  return out;
}

}  // namespace

std::string xml_escape(std::string_view text) { return xml(text, false); }
std::string xml_attr(std::string_view text) { return xml(text, true); }

std::string mermaid_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_code_point(text, [&](std::uint32_t cp, std::string_view bytes) {
    switch (cp) {
      case ';': out += "#59;"; break;
      case '#': out += "#35;"; break;
      case '<': out += "#60;"; break;
      case '>': out += "#62;"; break;
      case '\n': case '\r': case '\t': out += ' '; break;
      default:
        if (cp < 0x20 || cp == 0x7F)
          out += ' ';
        else
          out += bytes;
    }
  });
  return out;
}

std::string yaml_string(std::string_view text) { return "\"" + json_escape(text) + "\""; }

std::string micros(Time ns) {
  std::string sign = ns < 0 ? "-" : "";
  std::uint64_t v = ns < 0 ? static_cast<std::uint64_t>(-(ns + 1)) + 1 : static_cast<std::uint64_t>(ns);
  return fmt::format("{}{}.{:03}", sign, v / 1000, v % 1000);
}

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

}  // namespace closesim::report
