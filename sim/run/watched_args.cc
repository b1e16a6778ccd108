#include "run/watched_args.h"

namespace closesim {

void add_watched(ApiCall& call, const ParamSpec& param, const Argument& a,
                 const std::function<Handle(const std::string&)>& handle_of) {
  auto add = [&](WatchedSocket w) {
    if (call.watched.empty()) call.handle = w.handle;
    call.watched.push_back(std::move(w));
  };
  if (param.kind == ParamKind::PollFd) {
    add({handle_of(a.items.at(0).text), a.items.at(0).text, 0, a.items.at(1).value});
    return;
  }
  const int set = a.key == "read" ? 0 : a.key == "write" ? 1 : 2;
  for (const Argument& item : a.items) add({handle_of(item.text), item.text, set, 0});
}

}  // namespace closesim
