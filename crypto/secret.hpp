// The one owner of secret bytes: not copyable, wiped with OPENSSL_cleanse when freed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
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

}  // namespace pingyi
