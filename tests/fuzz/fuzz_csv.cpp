// Fuzz target: the CSV reader and the call-log loader accept any bytes, and
// cells written by csv_cell read back unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/csv.hpp"
#include "callsight/metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  callsight::CsvReader reader(text);
  std::vector<std::string> fields;
  std::size_t records = 0;
  while (reader.next(fields) && records++ < 100000) {
  }
  std::string error;
  if (auto log = callsight::CallLog::parse(text, error)) {
    log->find("x", "dir/x.txt");
  }
  // Round trip of one cell (after neutralization, a formula cell gains a quote).
  std::ostringstream out;
  const std::string cell(text.substr(0, 64));
  callsight::write_csv_row(out, {cell, "b"});
  const std::string written = out.str(); // the reader keeps a view: keep the text alive
  callsight::CsvReader back(written);
  if (!back.next(fields) || fields.size() != 2 || fields[1] != "b") {
    std::abort();
  }
  return 0;
}
