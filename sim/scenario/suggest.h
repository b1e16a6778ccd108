// "Did you mean ...?": the nearest known word to a misspelt one, by edit distance.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace closesim::lang {

// Edit distance counting an adjacent transposition as one edit, ignoring ASCII case (so
// `CloseSocket` is 0 away from `closesocket`).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, if it is near enough to be a plausible typo: at most one
// edit for words of up to 3 characters, else max(2, length/3). Ties go to the earlier candidate.
std::optional<std::string_view> closest_match(std::string_view word,
                                              const std::vector<std::string_view>& candidates);

// "did you mean 'x'?" for the closest match, else `otherwise`.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates,
                         std::string otherwise);

// "a, b or c"
std::string join_alternatives(const std::vector<std::string_view>& words);

}  // namespace closesim::lang
