// Version of the tool and of every output schema it writes.
#pragma once
#include <string_view>

namespace callsight {

std::string_view version();
std::string_view git_revision();

/// Version of the summary JSON, CSV and per-call JSONL layouts; bumped on any
/// change a downstream parser would notice.
inline constexpr int k_schema_version = 1;

} // namespace callsight
