// The escaping rules of each output language: one implementation (escape.cc) for every writer,
// the report formats and the explore summary alike. Each takes UTF-8 text; invalid UTF-8 bytes
// become U+FFFD, so the output stays well-formed whatever bytes a scenario holds.
#pragma once

#include <string>
#include <string_view>

namespace closesim::report {

// The inside of a JSON string (no quotes): " and \ escaped, control characters (and DEL) as
// \n \t ... or \u00XX, everything else as UTF-8.
std::string json_escape(std::string_view text);
// `"..."` with json_escape inside.
std::string json_string(std::string_view text);
// XML (and HTML) character data: & < > escaped, quotes, newlines and tabs kept; control characters
// that XML 1.0 forbids become '?'.
std::string xml_escape(std::string_view text);
// An XML attribute value: as xml_escape, plus " ' and newlines and tabs as references so that
// attribute-value normalisation keeps them.
std::string xml_attr(std::string_view text);
// Mermaid message and note text: ';' '#' '<' '>' as #59; #35; #60; #62;, newlines as spaces.
std::string mermaid_escape(std::string_view text);
// A double-quoted YAML scalar.
std::string yaml_string(std::string_view text);

}  // namespace closesim::report
