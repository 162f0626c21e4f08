// Fuzz target: --filename-pattern. The input is a pattern, a newline, then a
// path; compiling any pattern and applying it to any path must not crash, and
// a match only sets the pattern's own named fields, from the file name alone.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "callsight/metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view pattern = input.substr(0, newline);
  const std::string_view path = newline == std::string_view::npos
                                    ? std::string_view("tv_spring-2026-03-14-1042.txt")
                                    : input.substr(newline + 1);
  std::string error;
  const std::optional<callsight::FilenamePattern> compiled =
      callsight::FilenamePattern::compile(pattern, error);
  if (!compiled) {
    if (error.empty()) {
      std::abort(); // a refusal always says why
    }
    return 0;
  }
  const std::vector<std::string>& names = compiled->names();
  if (names.empty()) {
    std::abort(); // a pattern without a named group is refused
  }
  std::map<std::string, std::string> fields;
  const bool matched = compiled->apply(path, fields);
  if (!matched && !fields.empty()) {
    std::abort(); // no match leaves the fields alone
  }
  for (const auto& [name, value] : fields) {
    if (value.empty() || std::find(names.begin(), names.end(), name) == names.end()) {
      std::abort();
    }
  }
  // Only the file name is searched: a directory in front changes nothing.
  const std::size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::map<std::string, std::string> again;
  if (compiled->apply("some/dir/" + std::string(base), again) != matched || again != fields) {
    std::abort();
  }
  return 0;
}
