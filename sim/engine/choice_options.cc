#include "closesim/base/check.h"
#include "closesim/engine/choice_source.h"

namespace closesim {

ChoiceOptions& ChoiceOptions::operator=(const ChoiceOptions& other) {
  if (this == &other) return *this;
  std::vector<Lane> lanes;
  for (std::size_t k = 0; k < other.size(); ++k) lanes.push_back(other.lane(k));
  assign(other.labels(), std::move(lanes));
  return *this;
}

void ChoiceOptions::assign(std::vector<std::string> labels, std::vector<Lane> lanes) {
  CLOSESIM_CHECK(labels.size() == lanes.size());
  *this = std::move(labels);
  owned_lanes_ = std::move(lanes);
}

ChoiceOptions& ChoiceOptions::operator=(std::vector<std::string> labels) {
  owned_ = std::move(labels);
  owned_lanes_.clear();
  source_ = nullptr;
  size_ = owned_.size();
  return *this;
}

ChoiceOptions& ChoiceOptions::operator=(std::initializer_list<std::string> labels) {
  return *this = std::vector<std::string>(labels);
}

void ChoiceOptions::assign(std::size_t n, const std::string& label) {
  *this = std::vector<std::string>(n, label);
}

const std::string& ChoiceOptions::operator[](std::size_t k) const {
  CLOSESIM_CHECK(k < size_ && "choice option out of range");
  return source_ != nullptr ? source_->label(k) : owned_[k];
}

Lane ChoiceOptions::lane(std::size_t k) const {
  CLOSESIM_CHECK(k < size_ && "choice option out of range");
  if (source_ != nullptr) return source_->lane(k);
  return owned_lanes_.empty() ? static_cast<Lane>(k) : owned_lanes_[k];
}

bool ChoiceOptions::index_of(Lane lane, std::size_t& k) const {
  if (source_ != nullptr) return source_->index_of(lane, k);
  if (owned_lanes_.empty()) {
    if (lane >= size_) return false;
    k = lane;
    return true;
  }
  for (std::size_t i = 0; i < owned_lanes_.size(); ++i) {
    if (owned_lanes_[i] != lane) continue;
    k = i;
    return true;
  }
  return false;
}

void ChoiceOptions::fresh(std::vector<std::size_t>& out) const {
  if (source_ != nullptr) return source_->fresh(out);
  out.clear();
  for (std::size_t k = 0; k < size_; ++k) out.push_back(k);
}

std::vector<std::string> ChoiceOptions::labels() const {
  if (source_ == nullptr) return owned_;
  std::vector<std::string> out;
  out.reserve(size_);
  for (std::size_t k = 0; k < size_; ++k) out.push_back(source_->label(k));
  return out;
}

}  // namespace closesim
