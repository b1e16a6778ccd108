// The directory walk behind find_scenarios: it reports every entry it cannot use, so a suite
// gate cannot pass with scenarios missing.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include "closesim/run/runner.h"
#include "scenario/source_file.h"

namespace closesim {

namespace {

namespace fs = std::filesystem;

// Folders deeper than this are reported, not walked: a guard against link mazes.
constexpr int kMaxDepth = 64;

class ScenarioWalk {
 public:
  explicit ScenarioWalk(std::vector<Diagnostic>* errors) : errors_(errors) {}

  void add_path(const std::string& p) {
    if (p == "-") {
      files_.push_back(p);
      return;
    }
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      report(p, missing_reason(p, errno), "give a .scn file or a folder that holds some");
      return;
    }
    if (S_ISREG(st.st_mode)) {
      files_.push_back(p);
    } else if (S_ISDIR(st.st_mode)) {
      walk(p, st, 0);
    } else {
      report(p, std::string("not a regular file (") + lang::file_kind(st.st_mode) + ")",
             "give a .scn file or a folder that holds some");
    }
  }

  std::vector<std::string> take_files() {
    std::sort(files_.begin(), files_.end());
    files_.erase(std::unique(files_.begin(), files_.end()), files_.end());
    return std::move(files_);
  }

 private:
  static std::string missing_reason(const std::string& p, int err) {
    struct stat lst {};
    if (::lstat(p.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode))
      return "a broken symbolic link (its target does not exist)";
    if (err == ENOENT) return "no such file or directory";
    return std::strerror(err);
  }

  void report(const std::string& path, const std::string& why, const std::string& hint) {
    if (errors_) errors_->push_back(Diagnostic{path, 0, 0, 1, why, hint});
  }

  void walk(const std::string& dir, const struct stat& st, int depth) {
    // A folder already on the way down (through a link) would be walked for ever.
    const std::pair<dev_t, ino_t> id{st.st_dev, st.st_ino};
    if (!ancestors_.insert(id).second) {
      report(dir, "a symbolic link loop: this folder contains itself", "remove the link");
      return;
    }
    if (depth > kMaxDepth) {
      report(dir, "folders nested too deep (over 64)", "give a shallower folder");
      ancestors_.erase(id);
      return;
    }
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
      const std::string path = it->path().generic_string();
      struct stat est {};
      if (::stat(path.c_str(), &est) != 0) {
        report(path, missing_reason(path, errno), "fix or remove the entry");
        continue;
      }
      if (S_ISDIR(est.st_mode)) {
        walk(path, est, depth + 1);
      } else if (it->path().extension() == ".scn") {
        if (S_ISREG(est.st_mode)) files_.push_back(path);
        else report(path, std::string("not a regular file (") + lang::file_kind(est.st_mode) + ")",
                    "a scenario is a regular .scn file");
      }
    }
    if (ec) report(dir, "cannot read the folder: " + ec.message(), "check its permissions");
    ancestors_.erase(id);
  }

  std::vector<Diagnostic>* errors_;
  std::vector<std::string> files_;
  std::set<std::pair<dev_t, ino_t>> ancestors_;
};

}  // namespace

std::vector<std::string> find_scenarios(const std::vector<std::string>& paths,
                                        std::vector<Diagnostic>* errors) {
  ScenarioWalk walk(errors);
  for (const std::string& p : paths) walk.add_path(p);
  if (errors)
    std::stable_sort(errors->begin(), errors->end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.file < b.file; });
  return walk.take_files();
}

}  // namespace closesim
