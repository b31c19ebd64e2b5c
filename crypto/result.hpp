// Results of parsing and verification: success, or an error that says what failed.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace pingyi {

// `code` is a stable identifier (e.g. "proof.cell"), the key GUIs translate;
// `detail` is an English explanation for logs and the console.
struct Error {
    std::string code;
    std::string detail;
};

class [[nodiscard]] Status {
  public:
    Status() = default;
    Status(Error e) : m_error(std::move(e)), m_failed(true) {}  // NOLINT(google-explicit-constructor)
    static Status Ok() { return {}; }

    [[nodiscard]] bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error& error() const { return m_error; }

  private:
    Error m_error;
    bool m_failed = false;
};

template <typename T>
class [[nodiscard]] Result {
  public:
    Result(T value) : m_v(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Error e) : m_v(std::move(e)) {}      // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error& error() const { return std::get<1>(m_v); }
    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T* operator->() { return &std::get<0>(m_v); }
    const T* operator->() const { return &std::get<0>(m_v); }
    T& operator*() & { return std::get<0>(m_v); }
    const T& operator*() const& { return std::get<0>(m_v); }
    [[nodiscard]] Status status() const { return ok() ? Status{} : Status{error()}; }

  private:
    std::variant<T, Error> m_v;
};

inline Error MakeError(std::string code, std::string detail)
{
    return Error{std::move(code), std::move(detail)};
}

}  // namespace pingyi
