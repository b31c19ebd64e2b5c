#include "crypto/secret.hpp"

#include "crypto/init.hpp"

#include <openssl/crypto.h>

#include <cstring>
#include <new>
#include <utility>

namespace pingyi {

SecretBytes::SecretBytes(std::size_t size) : m_size(size)
{
    if (size == 0) return;
    InitOpenSsl();  // the secure heap exists before the first secret (idempotent)
    // The OpenSSL secure heap when it is initialised; the ordinary heap otherwise.
    m_data = static_cast<std::uint8_t*>(OPENSSL_secure_zalloc(size));
    if (m_data == nullptr) ThrowOutOfMemory(true);
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

SecureHeapStatus SecureHeap()
{
    SecureHeapStatus status;
    // CRYPTO_secure_used() reads the heap's state and crashes if it was never set up.
    if (CRYPTO_secure_malloc_initialized() != 1) return status;
    status.available = true;
    status.locked = SecureHeapLocked();
    status.size = kSecureHeapSize;
    status.used = CRYPTO_secure_used();
    return status;
}

SecureHeapFull::SecureHeapFull()
    : std::runtime_error(
          "crypto.secure_heap: the protected memory for keys is full; close the program and start it again "
          "(保护密钥的安全内存已满, 请关闭程序后重新启动)")
{
}

void ThrowIfSecureHeapFull()
{
    if (CRYPTO_secure_malloc_initialized() != 1) return;
    // A probe the size of a scalar operation's largest temporary (a double-width product with
    // OpenSSL's spare words): if even that does not fit, the heap is full.
    void* probe = OPENSSL_secure_malloc(8 * kSecureHeapMinBlock);
    if (probe == nullptr) throw SecureHeapFull();
    OPENSSL_secure_free(probe);
}

void ThrowOutOfMemory(bool secure)
{
    // With the heap set up, a secure allocation never falls back to the ordinary heap: its
    // failure is the secure heap's.
    if (secure && CRYPTO_secure_malloc_initialized() == 1) throw SecureHeapFull();
    throw std::bad_alloc();
}

}  // namespace pingyi
