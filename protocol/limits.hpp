// The wire contract's size and length limits, in one place.
#pragma once

#include <cstddef>

namespace staffroom::protocol::limits {

inline constexpr std::size_t kFrameBytes = 64 * 1024;
inline constexpr std::size_t kHttpBodyBytes = 64 * 1024;
inline constexpr std::size_t kHttpHeaderBytes = 8 * 1024;
inline constexpr std::size_t kHandleMin = 3, kHandleMax = 32;
inline constexpr std::size_t kPasswordMin = 8, kPasswordMax = 256;
inline constexpr std::size_t kDisplayNameMax = 64;
inline constexpr std::size_t kSlugMin = 2, kSlugMax = 32;
inline constexpr std::size_t kTitleMax = 80;
inline constexpr std::size_t kDescriptionMax = 500;
inline constexpr std::size_t kPostBodyMax = 16000;
inline constexpr std::size_t kClientIdMax = 64;
inline constexpr int kHistoryDefault = 50, kHistoryMax = 200;
inline constexpr long long kMaxId = (1LL << 53) - 1;
inline constexpr std::size_t kEmojiMax = 16;
inline constexpr std::size_t kQueryMax = 200;
inline constexpr std::size_t kResumeChannelsMax = 500;
inline constexpr int kSearchDefault = 20, kSearchMax = 50;

}  // namespace staffroom::protocol::limits
