// The directory walk never skips silently: every entry it cannot use is an error.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "closesim/run/runner.h"

using namespace closesim;
namespace fs = std::filesystem;

namespace {

struct TempTree {
  fs::path root = fs::temp_directory_path() / ("closesim_walk_" + std::to_string(::getpid()));
  TempTree() { fs::create_directories(root); }
  ~TempTree() {
    std::error_code ec;
    fs::permissions(root / "locked", fs::perms::owner_all, ec);
    fs::remove_all(root, ec);
  }
  void file(const std::string& rel) {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << "0 A.main s = socket(tcp) = ok\n";
  }
};

bool has_error(const std::vector<Diagnostic>& errors, const std::string& tail, const std::string& what) {
  for (const Diagnostic& d : errors)
    if (d.file.ends_with(tail) && d.message.find(what) != std::string::npos && !d.hint.empty())
      return true;
  return false;
}

}  // namespace

TEST_CASE("a walk finds scenarios through links and reports every entry it cannot use") {
  TempTree t;
  t.file("a.scn");
  t.file("sub/b.scn");
  t.file("notes.txt");
  t.file("elsewhere/c.scn");
  fs::create_directory_symlink(t.root / "elsewhere", t.root / "sub/linked");
  fs::create_symlink(t.root / "missing.scn", t.root / "broken.scn");
  fs::create_directory_symlink(t.root, t.root / "sub/loop");
  REQUIRE(::mkfifo((t.root / "pipe.scn").c_str(), 0600) == 0);

  std::vector<Diagnostic> errors;
  std::vector<std::string> files = find_scenarios({t.root.string()}, &errors);
  const std::string r = t.root.generic_string();
  CHECK(files == std::vector<std::string>{r + "/a.scn", r + "/elsewhere/c.scn", r + "/sub/b.scn",
                                          r + "/sub/linked/c.scn"});
  CHECK(has_error(errors, "broken.scn", "broken symbolic link"));
  CHECK(has_error(errors, "pipe.scn", "not a regular file"));
  CHECK(has_error(errors, "sub/loop", "loop"));
  CHECK(errors.size() == 3);
}

TEST_CASE("a folder the walk may not read is an error") {
  TempTree t;
  t.file("a.scn");
  t.file("locked/b.scn");
  fs::permissions(t.root / "locked", fs::perms::none);
  auto walk_ok = [&] {
    std::vector<Diagnostic> errors;
    std::vector<std::string> files = find_scenarios({t.root.string()}, &errors);
    return files.size() == 1 && errors.size() == 1 && has_error(errors, "locked", "cannot read the folder");
  };
  if (::geteuid() != 0) {
    CHECK(walk_ok());
    return;
  }
  // Root reads every folder: walk as nobody, in a child, so the permission bites.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const bool dropped = ::setgid(65534) == 0 && ::setuid(65534) == 0;
    ::_exit(dropped && walk_ok() ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("paths given directly: missing, broken links and FIFOs are errors; - is standard input") {
  TempTree t;
  fs::create_symlink(t.root / "gone.scn", t.root / "link.scn");
  REQUIRE(::mkfifo((t.root / "f.scn").c_str(), 0600) == 0);
  std::vector<Diagnostic> errors;
  std::vector<std::string> files = find_scenarios(
      {"-", (t.root / "link.scn").string(), (t.root / "f.scn").string(), (t.root / "none").string()},
      &errors);
  CHECK(files == std::vector<std::string>{"-"});
  CHECK(has_error(errors, "link.scn", "broken symbolic link"));
  CHECK(has_error(errors, "f.scn", "not a regular file"));
  CHECK(has_error(errors, "none", "no such file"));
}
