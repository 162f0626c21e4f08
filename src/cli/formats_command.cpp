// `callsight formats`: lists the transcript formats this build reads, in the
// order detection tries them, with a line on what each looks like.
#include <cstdio>

#include "callsight/formats.hpp"

#include "cli/commands.hpp"

namespace callsight::cli {

Runner add_formats_command(CLI::App& app) {
  app.add_subcommand("formats",
                     "List the transcript formats callsight reads (detected from the file's "
                     "extension and content; --input-format NAME forces one)");
  return [] {
    for (const auto& [name, description] : format_descriptions()) {
      std::printf("%-22s %s\n", name.c_str(), description.c_str());
    }
    return std::fflush(stdout) == 0 ? k_exit_ok : k_exit_output_error;
  };
}

} // namespace callsight::cli
