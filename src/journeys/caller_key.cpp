// Caller keys: normalization (so formatting differences do not split a
// caller), the keyed hash, and the per-installation salt file.
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callsight/journeys.hpp"

namespace callsight {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = lower(c);
  }
  return out;
}

// Values call-tracking exports write when the caller is unknown: linking on
// them would merge every anonymous caller into one.
bool is_placeholder(std::string_view value) {
  const std::string v = lowered(value);
  for (const char* placeholder : {"anonymous", "unknown", "private", "restricted", "unavailable",
                                  "n/a", "na", "none", "null", "-", "withheld", "blocked"}) {
    if (v == placeholder) {
      return true;
    }
  }
  return false;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Digits up to an extension ("x12", "ext. 12") or any other letters after them.
std::string phone_digits(std::string_view value) {
  std::string digits;
  for (const char c : value) {
    if (is_digit(c)) {
      digits.push_back(c);
    } else if (is_letter(c) && !digits.empty()) {
      break;
    }
  }
  return digits;
}

// Only digits, spaces and + - . ( ) /: what a phone number looks like.
bool phone_shaped(std::string_view value) {
  std::size_t digits = 0;
  for (const char c : value) {
    if (is_digit(c)) {
      ++digits;
    } else if (std::string_view(" +-.()/").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return digits >= 7 && digits <= 15;
}

std::string normalize_phone(std::string_view value) {
  std::string digits = phone_digits(value);
  if (digits.size() < 7) {
    return {};
  }
  // NANP: "555 201 3344" and "+1 555 201 3344" are the same caller.
  if (digits.size() == 10) {
    digits.insert(digits.begin(), '1');
  }
  return digits;
}

std::string normalize_email(std::string_view value) {
  const std::size_t at = value.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == value.size()) {
    return {};
  }
  return lowered(value);
}

} // namespace

std::string_view to_string(CallerKeyKind kind) {
  switch (kind) {
  case CallerKeyKind::phone:
    return "phone";
  case CallerKeyKind::email:
    return "email";
  case CallerKeyKind::id:
    return "id";
  case CallerKeyKind::automatic:
    break;
  }
  return "automatic";
}

CallerKeyKind caller_key_kind(std::string_view canonical_column) {
  if (canonical_column == "caller_number") {
    return CallerKeyKind::phone;
  }
  if (canonical_column == "email") {
    return CallerKeyKind::email;
  }
  if (canonical_column == "customer_id") {
    return CallerKeyKind::id;
  }
  return CallerKeyKind::automatic;
}

std::string normalize_caller_key(std::string_view value, CallerKeyKind kind) {
  value = trim(value);
  if (value.empty() || is_placeholder(value)) {
    return {};
  }
  switch (kind) {
  case CallerKeyKind::phone:
    return normalize_phone(value);
  case CallerKeyKind::email:
    return normalize_email(value);
  case CallerKeyKind::id:
    return std::string(value);
  case CallerKeyKind::automatic:
    break;
  }
  if (value.find('@') != std::string_view::npos) {
    return normalize_email(value);
  }
  return phone_shaped(value) ? normalize_phone(value) : std::string(value);
}

// HMAC (RFC 2104) over OpenSSL's SHA-256, with the inner and outer pads
// hashed once per salt: each key then costs two copies of a digest state and
// two short updates, several times cheaper than a keyed EVP_MAC per call.
struct CallerHasher::Impl {
  EVP_MD* sha256 = nullptr;
  EVP_MD_CTX* inner = nullptr; ///< SHA-256 state after (key XOR ipad)
  EVP_MD_CTX* outer = nullptr; ///< SHA-256 state after (key XOR opad)

  ~Impl() {
    EVP_MD_CTX_free(outer);
    EVP_MD_CTX_free(inner);
    EVP_MD_free(sha256);
  }
};

namespace {

constexpr std::size_t k_sha256_block = 64;
constexpr std::size_t k_sha256_size = 32;

[[noreturn]] void openssl_failed(const char* what) {
  throw std::runtime_error(std::string("HMAC-SHA-256 (OpenSSL): ") + what + " failed");
}

void digest(EVP_MD_CTX* state, const EVP_MD_CTX* start, const void* data, std::size_t size,
            unsigned char* out) {
  unsigned int length = 0;
  if (EVP_MD_CTX_copy_ex(state, start) != 1 || EVP_DigestUpdate(state, data, size) != 1 ||
      EVP_DigestFinal_ex(state, out, &length) != 1 || length != k_sha256_size) {
    openssl_failed("SHA-256");
  }
}

} // namespace

CallerHasher::CallerHasher(std::string_view salt) {
  auto impl = std::make_shared<Impl>();
  impl->sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  impl->inner = EVP_MD_CTX_new();
  impl->outer = EVP_MD_CTX_new();
  if (impl->sha256 == nullptr || impl->inner == nullptr || impl->outer == nullptr ||
      EVP_DigestInit_ex(impl->inner, impl->sha256, nullptr) != 1 ||
      EVP_DigestInit_ex(impl->outer, impl->sha256, nullptr) != 1) {
    openssl_failed("SHA-256 set-up");
  }
  // A key longer than a block is replaced by its digest (RFC 2104).
  std::array<unsigned char, k_sha256_block> key{};
  if (salt.size() > k_sha256_block) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> state(EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free);
    unsigned int length = 0;
    if (state == nullptr || EVP_DigestInit_ex(state.get(), impl->sha256, nullptr) != 1 ||
        EVP_DigestUpdate(state.get(), salt.data(), salt.size()) != 1 ||
        EVP_DigestFinal_ex(state.get(), key.data(), &length) != 1) {
      openssl_failed("SHA-256 of the salt");
    }
  } else {
    std::memcpy(key.data(), salt.data(), salt.size());
  }
  std::array<unsigned char, k_sha256_block> inner_pad{};
  std::array<unsigned char, k_sha256_block> outer_pad{};
  for (std::size_t i = 0; i < k_sha256_block; ++i) {
    inner_pad[i] = static_cast<unsigned char>(key[i] ^ 0x36);
    outer_pad[i] = static_cast<unsigned char>(key[i] ^ 0x5c);
  }
  if (EVP_DigestUpdate(impl->inner, inner_pad.data(), inner_pad.size()) != 1 ||
      EVP_DigestUpdate(impl->outer, outer_pad.data(), outer_pad.size()) != 1) {
    openssl_failed("SHA-256 of the pads");
  }
  m_impl = std::move(impl);
}

std::uint64_t CallerHasher::operator()(std::string_view normalized_key) const {
  // One scratch state per thread keeps the hasher const and thread-safe.
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> state(EVP_MD_CTX_new(),
                                                                             &EVP_MD_CTX_free);
  if (state == nullptr) {
    openssl_failed("EVP_MD_CTX_new");
  }
  std::array<unsigned char, k_sha256_size> inner{};
  std::array<unsigned char, k_sha256_size> mac{};
  digest(state.get(), m_impl->inner, normalized_key.data(), normalized_key.size(), inner.data());
  digest(state.get(), m_impl->outer, inner.data(), inner.size(), mac.data());
  std::uint64_t hash = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    hash = (hash << 8) | mac[i];
  }
  return hash;
}

std::uint64_t hash_caller_key(std::string_view normalized_key, std::string_view salt) {
  return CallerHasher(salt)(normalized_key);
}

std::string format_caller_hash(std::uint64_t hash) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string text(16, '0');
  for (std::size_t i = 0; i < 16; ++i) {
    text[15 - i] = k_hex[(hash >> (4 * i)) & 0xf];
  }
  return text;
}

std::string default_salt_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && xdg[0] == '/') {
    return std::string(xdg) + "/callsight/salt";
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') {
    return std::string(home) + "/.config/callsight/salt";
  }
  return {};
}

namespace {

std::string errno_text(int error) {
  return std::strerror(error);
}

// mkdir -p with mode 0700 for the folders it creates.
bool make_parents(const std::string& path, std::string& error) {
  for (std::size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    const std::string folder = path.substr(0, slash);
    if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
      error = folder + ": cannot create folder: " + errno_text(errno);
      return false;
    }
  }
  return true;
}

// New random salt written beside `path`, then linked into place: link() fails
// when another run got there first, and then that run's salt is used.
bool create_salt(const std::string& path, std::string& error) {
  if (!make_parents(path, error)) {
    return false;
  }
  std::array<unsigned char, k_salt_bytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    error = path + ": no random bytes for a new salt (OpenSSL RAND_bytes failed)";
    return false;
  }
  std::string temp = path + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    error = path + ": cannot create the salt file: " + errno_text(errno);
    return false;
  }
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
            ::fsync(fd) == 0;
  const int write_errno = errno;
  ok = ::close(fd) == 0 && ok;
  if (ok && ::link(temp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    error = path + ": cannot create the salt file: " + errno_text(errno);
    ::unlink(temp.c_str());
    return false;
  }
  ::unlink(temp.c_str());
  if (!ok) {
    error = path + ": cannot write the salt file: " + errno_text(write_errno);
  }
  return ok;
}

} // namespace

std::optional<Salt> load_salt(const std::string& path, bool create, std::string& error) {
  Salt salt;
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno != ENOENT || !create) {
      error = path + ": cannot read the salt file: " + errno_text(errno);
      return std::nullopt;
    }
    if (!create_salt(path, error)) {
      return std::nullopt;
    }
    salt.created = true;
    if (::stat(path.c_str(), &info) != 0) {
      error = path + ": cannot read the salt file: " + errno_text(errno);
      return std::nullopt;
    }
  }
  if (!S_ISREG(info.st_mode)) {
    error = path + ": the salt file is not a regular file";
    return std::nullopt;
  }
  if (info.st_size > (1 << 20)) {
    error = path + ": the salt file is over 1 MiB; it should hold about 32 random bytes";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) {
    error = path + ": cannot read the salt file";
    return std::nullopt;
  }
  salt.bytes = bytes.str();
  if (salt.bytes.size() < k_min_salt_bytes) {
    error = path + ": the salt file holds " + std::to_string(salt.bytes.size()) +
            " bytes, at least " + std::to_string(k_min_salt_bytes) +
            " are needed (make one with: head -c 32 /dev/urandom > " + path + ")";
    return std::nullopt;
  }
  salt.readable_by_others = (info.st_mode & 077) != 0;
  return salt;
}

} // namespace callsight
