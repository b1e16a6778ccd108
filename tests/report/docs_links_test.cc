// The docs cite only documents the project has: every `x.md` a page names, in a link or in
// backquotes, exists next to the page or at the top of the repository.
#include <filesystem>
#include <regex>

#include <doctest/doctest.h>

#include "fixtures.h"

namespace closesim {
namespace {

TEST_CASE("every Markdown document the docs name exists") {
  namespace fs = std::filesystem;
  const fs::path root = CLOSESIM_SOURCE_DIR;
  std::vector<std::string> pages = {"README.md"};
  for (const auto& entry : fs::directory_iterator(root / "docs"))
    if (entry.path().extension() == ".md") pages.push_back("docs/" + entry.path().filename().string());
  std::sort(pages.begin(), pages.end());
  REQUIRE(pages.size() >= 6);
  static const std::regex named(R"(([A-Za-z0-9_./-]+\.md)\b)");
  for (const std::string& page : pages) {
    const std::string text = testing::read_source_file(page);
    const fs::path folder = (root / page).parent_path();
    for (std::sregex_iterator it(text.begin(), text.end(), named), end; it != end; ++it) {
      const std::string name = (*it)[1];
      if (name.find("://") != std::string::npos) continue;
      INFO(page << " names " << name);
      CHECK((fs::exists(folder / name) || fs::exists(root / name)));
    }
  }
}

}  // namespace
}  // namespace closesim
