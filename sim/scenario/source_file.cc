#include "scenario/source_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>


namespace closesim::lang {

namespace {

}  // namespace

const char* file_kind(unsigned mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

namespace {

// Closes the descriptor on every way out.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ > 2) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::optional<SourceProblem> read_all(int fd, std::size_t max_bytes, std::string& text) {
  text.clear();
  char buffer[64 * 1024];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return SourceProblem{fmt::format("read error: {}", std::strerror(errno)),
                           "closesim reads scenarios from regular files or standard input"};
    if (n == 0) return std::nullopt;
    if (text.size() + static_cast<std::size_t>(n) > max_bytes)
      return SourceProblem{fmt::format("larger than the size cap of {} bytes",  max_bytes),
                           "--max-file-size raises the cap (up to 64MiB)"};
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

std::optional<SourceProblem> read_source(const std::string& path, std::size_t max_bytes,
                                         std::string& text) {
  if (path == "-") {
    // Standard input may be a pipe or a terminal; the cap still bounds what is read.
    struct stat st {};
    if (::fstat(0, &st) == 0 && S_ISDIR(st.st_mode))
      return SourceProblem{"standard input is a folder", "pipe a scenario in: closesim run - < x.scn"};
    return read_all(0, max_bytes, text);
  }
  // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return SourceProblem{"no such file", "check the path"};
    return SourceProblem{std::strerror(err), "check the path and its permissions"};
  }
  FileDescriptor file(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return SourceProblem{std::strerror(errno), "check the path"};
  if (S_ISDIR(st.st_mode))
    return SourceProblem{"it is a folder, not a scenario file",
                         fmt::format("closesim check {} runs every scenario in it", path)};
  if (!S_ISREG(st.st_mode))
    return SourceProblem{fmt::format("not a regular file ({})", file_kind(st.st_mode)),
                         "give a .scn file, or - to read standard input"};
  if (st.st_size > 0 && static_cast<std::uint64_t>(st.st_size) > max_bytes)
    return SourceProblem{fmt::format("{} bytes, larger than the size cap of {} bytes", st.st_size, max_bytes),
                         "--max-file-size raises the cap (up to 64MiB)"};
  // Regular files block only on I/O; clear O_NONBLOCK so a slow disk is not an error.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return read_all(fd, max_bytes, text);
}

}  // namespace closesim::lang
