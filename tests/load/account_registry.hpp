// The accounts and channels a run uses: registered once, then reused from a state file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace staffroom::load {

/// A registered account's handle and bearer token.
struct Account {
  std::string handle;
  std::string token;
};

/// Registers accounts over HTTP in parallel (each costs the server an Argon2id hash) and
/// keeps them, with the ids of the channels created for them, in a JSON state file.
class AccountRegistry {
 public:
  /// Loads the state file; false when it does not exist or does not match the layout.
  bool load(const std::string& path, int channels, int accounts_per_channel);
  void save(const std::string& path) const;

  /// Registers channels x accounts_per_channel accounts ("bench-C-K") on 127.0.0.1:port.
  void register_all(unsigned short port, int channels, int accounts_per_channel,
                    const std::string& prefix);

  const Account& account(int channel, int k) const;
  int accounts_per_channel() const { return accounts_per_channel_; }
  std::vector<std::int64_t>& channel_ids() { return channel_ids_; }
  const std::vector<std::int64_t>& channel_ids() const { return channel_ids_; }

 private:
  std::vector<Account> accounts_;
  std::vector<std::int64_t> channel_ids_;
  int accounts_per_channel_ = 0;
};

}  // namespace staffroom::load
