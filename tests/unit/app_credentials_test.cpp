// Tokens and Argon2id hashing through the bounded two-thread hasher.
#include <catch2/catch.hpp>
#include <future>

#include "app/credentials.hpp"

using namespace staffroom::app;

TEST_CASE("tokens are 64 random hex digits; only their SHA-256 is kept", "[app]") {
  const auto a = new_token();
  const auto b = new_token();
  CHECK(a.size() == 64);
  CHECK(a != b);
  CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(token_hash(a) != a);
}

TEST_CASE("passwords hash with Argon2id and verify", "[app]") {
  PasswordHasher hasher(2, 4);
  std::promise<std::string> hashed;
  REQUIRE(hasher.hash("correct horse", [&](std::string h) { hashed.set_value(std::move(h)); }));
  const auto hash = hashed.get_future().get();
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  std::promise<bool> good, bad;
  REQUIRE(hasher.verify(hash, "correct horse", [&](bool ok) { good.set_value(ok); }));
  REQUIRE(hasher.verify(hash, "wrong horse", [&](bool ok) { bad.set_value(ok); }));
  CHECK(good.get_future().get());
  CHECK_FALSE(bad.get_future().get());
}

TEST_CASE("the hasher refuses work past its queue bound instead of buffering it", "[app]") {
  PasswordHasher hasher(1, 2);
  std::atomic<int> done{0};
  int accepted = 0;
  for (int i = 0; i < 8; ++i) {
    if (hasher.hash("password" + std::to_string(i), [&](std::string) { ++done; })) ++accepted;
  }
  CHECK(accepted < 8);
  CHECK(accepted >= 2);
  hasher.stop();
  CHECK(done.load() == accepted);
}
