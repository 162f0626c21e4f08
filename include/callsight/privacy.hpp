// Privacy: redaction of personal data (e-mail addresses, card numbers, SSNs,
// phone numbers, spoken digit runs, account codes) in every text that leaves the tool.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace callsight {

/// What a placeholder stands for. The order is the order of RedactionStats::counts.
enum class PiiKind : std::uint8_t { Email, Card, Ssn, Phone, Account, Number };

inline constexpr std::size_t k_pii_kind_count = 6;

/// The text that replaces a redacted span: "[EMAIL]", "[CARD]", "[SSN]",
/// "[PHONE]", "[ACCOUNT]", "[NUMBER]". Placeholders in the input are left alone,
/// which makes redaction idempotent.
std::string_view pii_placeholder(PiiKind kind);

/// Lower-case name for logs and reports: "email", "card", "ssn", "phone",
/// "account", "number".
std::string_view pii_kind_name(PiiKind kind);

/// How many spans of each kind were replaced. A plain value: add with +=.
struct RedactionStats {
  std::array<std::uint64_t, k_pii_kind_count> counts{};

  std::uint64_t operator[](PiiKind kind) const { return counts[static_cast<std::size_t>(kind)]; }
  std::uint64_t total() const;
  RedactionStats& operator+=(const RedactionStats& other);
  bool operator==(const RedactionStats& other) const = default;
};

/// Whether text that leaves the tool is redacted (`--no-redact` selects Off).
enum class RedactionMode : std::uint8_t { On, Off };

/// Redacts personal data in UTF-8 text in one left-to-right pass over the bytes
/// (linear time, no regular expressions). Keeps its scratch buffers between
/// calls, so reuse one per thread; not thread-safe.
///
/// What is replaced (see src/privacy/redact.cpp for the exact rules):
/// - [EMAIL]   written ("j.doe+x@mail.com") and spoken ("john dot smith at
///             gmail dot com", "jsmith at gmail") addresses;
/// - [CARD]    13-19 digits in any grouping that pass the Luhn check;
/// - [SSN]     3-2-4 digits with a valid area/group/serial, or 9 (or the last 4)
///             digits right after "social security" / "SSN";
/// - [PHONE]   North American and international numbers with an optional
///             extension, and spoken digit runs of 10 or 11 digits;
/// - [ACCOUNT] a code with >= 4 characters and >= 2 digits right after account,
///             order, confirmation, member, policy, reference, ticket, invoice,
///             case, claim, booking, reservation, tracking, pin, id ... words;
/// - [NUMBER]  any other run of >= 6 digits (digits split by spaces, dashes,
///             dots or slashes count as one run), and spoken digit runs of >= 4.
/// Kept: prices, times, dates, years, small counts, 5-digit ZIP codes, model
/// numbers such as "R-410A". Non-ASCII text passes through byte for byte.
class Redactor {
public:
  Redactor();
  ~Redactor();
  Redactor(Redactor&&) noexcept;
  Redactor& operator=(Redactor&&) noexcept;
  Redactor(const Redactor&) = delete;
  Redactor& operator=(const Redactor&) = delete;

  /// The redacted text; adds what was replaced to `stats` when given.
  std::string redact(std::string_view text, RedactionStats* stats = nullptr);

  /// Appends the redacted text to `out` (no allocation once `out` has room).
  void redact_into(std::string_view text, std::string& out, RedactionStats* stats = nullptr);

private:
  struct State;
  std::unique_ptr<State> m_state;
};

/// Redacts with a thread-local Redactor.
std::string redact(std::string_view text, RedactionStats* stats = nullptr);

/// `text` unchanged when `mode` is Off, else redact(text).
std::string redact(std::string_view text, RedactionMode mode, RedactionStats* stats = nullptr);

} // namespace callsight
