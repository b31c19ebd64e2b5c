// The one owner of secret bytes: not copyable, wiped with OPENSSL_cleanse when freed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>

#include "crypto/bytes.hpp"

namespace pingyi {

// WARNING: never log, print or copy the contents out into a non-secret container.
// view() is valid only while this object lives and is not moved from.
class SecretBytes {
  public:
    SecretBytes() = default;
    explicit SecretBytes(std::size_t size);
    SecretBytes(ByteView data);  // NOLINT(google-explicit-constructor)
    static SecretBytes FromString(std::string_view s) { return SecretBytes(AsBytes(s)); }
    ~SecretBytes();

    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }
    [[nodiscard]] std::uint8_t* data() { return m_data; }
    [[nodiscard]] const std::uint8_t* data() const { return m_data; }
    [[nodiscard]] ByteView view() const { return {m_data, m_size}; }
    [[nodiscard]] std::span<std::uint8_t> span() { return {m_data, m_size}; }
    // The contents as text (a passphrase's or PIN's UTF-8), for checks such as its length;
    // valid as view() is. Never copy it into a std::string.
    [[nodiscard]] std::string_view text() const { return {reinterpret_cast<const char*>(m_data), m_size}; }

    // Constant-time comparison.
    [[nodiscard]] bool Equals(ByteView other) const { return EqualConstTime(view(), other); }
    // Wipes and releases the contents now.
    void Clear();

  private:
    std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
};

// Wipes a non-secret container that briefly held secret material.
void Wipe(Bytes& b);

// ---- The secure heap ----
// OpenSSL's secure heap: one mapping, locked in memory where the system allows (mlock), left
// out of core dumps, with guard pages. InitOpenSsl() (crypto/init.hpp) sets it up with
// kSecureHeapSize bytes before anything else runs; SecretBytes and secret scalars live in it.
// Debian's OpenSSL and the Windows prefix's both have it (mlock / VirtualLock); an OpenSSL
// without one makes both fall back to the ordinary heap, still wiped when freed.
inline constexpr std::size_t kSecureHeapSize = std::size_t{1} << 20;  // 1 MiB
inline constexpr std::size_t kSecureHeapMinBlock = 32;                // one scalar's limbs

struct SecureHeapStatus {
    bool available = false;  // the secure heap is set up
    bool locked = false;     // and its pages are locked in memory
    std::size_t size = 0;
    std::size_t used = 0;  // bytes allocated now
};
SecureHeapStatus SecureHeap();

// Thrown when a secret cannot be allocated because the secure heap is full; what() is the
// error code "crypto.secure_heap" followed by a sentence in English and Chinese.
class SecureHeapFull : public std::runtime_error {
  public:
    SecureHeapFull();
};
// Throws SecureHeapFull if the secure heap is set up and has no room left for a scalar.
void ThrowIfSecureHeapFull();
// A failed allocation: SecureHeapFull for a secure one that the full heap explains,
// std::bad_alloc otherwise.
[[noreturn]] void ThrowOutOfMemory(bool secure);

}  // namespace pingyi
