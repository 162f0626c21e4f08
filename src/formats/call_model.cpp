// Names of the call model's enums, as written in reports.
#include "callsight/call.hpp"

namespace callsight {

std::string_view to_string(Role role) {
  switch (role) {
  case Role::agent:
    return "agent";
  case Role::customer:
    return "customer";
  case Role::unknown:
    break;
  }
  return "unknown";
}

std::string_view to_string(RoleSource source) {
  switch (source) {
  case RoleSource::labels:
    return "labels";
  case RoleSource::inferred:
    return "inferred";
  case RoleSource::forced:
    return "forced";
  case RoleSource::none:
    break;
  }
  return "none";
}

} // namespace callsight
