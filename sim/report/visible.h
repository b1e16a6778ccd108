// Private to the report library: text meant for a terminal, with every control byte shown as an
// escape (`\x1b`) instead of reaching the terminal raw. A title or a source line can hold ESC or an
// OSC sequence; printed as is, it would recolour, retitle or rewrite the user's terminal.
#pragma once

#include <string>
#include <string_view>

namespace closesim::report {

// `text` with each C0 control byte but '\n' and '\t', DEL, and each C1 control (U+0080..U+009F,
// which some terminals obey as 8-bit ESC sequences, OSC among them) written `\xHH` / `\u{9b}`.
// Everything else, valid UTF-8 included, is kept byte for byte. Idempotent on its own output.
std::string visible_controls(std::string_view text);

// A double-quoted YAML scalar that TAP harnesses read back exactly: Perl's TAP::Parser (what
// `prove` runs) knows the escapes \\ \" \t \n \r \e \xHH only, and takes a list item whose first
// word ends in ':' for a hash key. So control bytes become `\xHH`, and such a colon `\x3a`.
std::string tap_yaml_string(std::string_view text);

}  // namespace closesim::report
