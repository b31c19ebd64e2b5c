#include "crypto/secret.hpp"

#include <openssl/crypto.h>

#include <cstring>
#include <new>
#include <utility>

namespace pingyi {

SecretBytes::SecretBytes(std::size_t size) : m_size(size)
{
    if (size == 0) return;
    // The OpenSSL secure heap when it is initialised; the ordinary heap otherwise.
    m_data = static_cast<std::uint8_t*>(OPENSSL_secure_zalloc(size));
    if (m_data == nullptr) throw std::bad_alloc();
}

SecretBytes::SecretBytes(ByteView data) : SecretBytes(data.size())
{
    if (!data.empty()) std::memcpy(m_data, data.data(), data.size());
}

SecretBytes::~SecretBytes()
{
    Clear();
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0))
{
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept
{
    if (this != &other) {
        Clear();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

void SecretBytes::Clear()
{
    if (m_data != nullptr) {
        OPENSSL_cleanse(m_data, m_size);
        OPENSSL_secure_free(m_data);
    }
    m_data = nullptr;
    m_size = 0;
}

void Wipe(Bytes& b)
{
    if (!b.empty()) OPENSSL_cleanse(b.data(), b.size());
    b.clear();
}

}  // namespace pingyi
