// Reports from the store: stored calls dated into the report window (or all
// of them), joined to today's call log and summed, plus the window before.
#include "callsight/store.hpp"

namespace callsight {

StoreSummaries summarize_store(Store& store, const AnalyzeOptions& options,
                               const CompiledTaxonomy& taxonomy, const CallLog* call_log,
                               const std::optional<ReportWindow>& window,
                               const std::vector<FileError>& errors,
                               const std::function<void(const CallResult&)>& on_call) {
  const std::size_t topics = taxonomy.topics().size();
  StoreSummaries out{Summary(topics, options.group_by), Summary(topics, options.group_by), 0};
  for (const FileError& error : errors) {
    out.current.add_error(error);
  }
  // Which window each wanted call goes to, decided from the cheap columns.
  enum class Slot : std::uint8_t { current, previous } slot = Slot::current;
  store.scan_calls(
      taxonomy,
      [&](const StoredCallKey& key) {
        if (!window) {
          slot = Slot::current;
          return true;
        }
        // The call log's date wins: it is the telephony system's record.
        const long row = call_log != nullptr ? call_log->find(key.call_id, key.path) : -1;
        std::optional<Date> date = parse_iso_date(log_datetime(call_log, row));
        if (!date) {
          date = parse_iso_date(key.call_date);
        }
        if (!date) {
          out.calls_without_date += 1;
          return false;
        }
        if (window->current.contains(*date)) {
          slot = Slot::current;
          return true;
        }
        if (window->previous.contains(*date)) {
          slot = Slot::previous;
          return true;
        }
        return false;
      },
      [&](CallResult&& call) {
        join_call(call, options, taxonomy, call_log);
        if (slot == Slot::previous) {
          out.previous.add(call);
          return;
        }
        out.current.add(call);
        if (on_call) {
          on_call(call);
        }
      });
  return out;
}

} // namespace callsight
