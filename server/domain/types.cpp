#include "domain/types.hpp"

namespace staffroom::domain {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::owner:
      return "owner";
    case Role::moderator:
      return "moderator";
    case Role::member:
      return "member";
  }
  return "member";
}

}  // namespace staffroom::domain
