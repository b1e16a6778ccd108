#include "closesim/base/check.h"
#include "closesim/engine/choice_source.h"

namespace closesim {

ChoiceOptions& ChoiceOptions::operator=(const ChoiceOptions& other) {
  if (this != &other) *this = other.labels();
  return *this;
}

ChoiceOptions& ChoiceOptions::operator=(std::vector<std::string> labels) {
  owned_ = std::move(labels);
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
  return source_ != nullptr ? source_->lane(k) : static_cast<Lane>(k);
}

bool ChoiceOptions::index_of(Lane lane, std::size_t& k) const {
  if (source_ != nullptr) return source_->index_of(lane, k);
  if (lane >= size_) return false;
  k = lane;
  return true;
}

std::vector<std::string> ChoiceOptions::labels() const {
  if (source_ == nullptr) return owned_;
  std::vector<std::string> out;
  out.reserve(size_);
  for (std::size_t k = 0; k < size_; ++k) out.push_back(source_->label(k));
  return out;
}

}  // namespace closesim
