// Monotonic time behind an interface the tests can replace (timeouts, rate limits).
// Only durations matter: nothing derived from a Clock is ever stored in a ballot box.
#pragma once

#include <chrono>

namespace pingyi {

class Clock {
  public:
    using TimePoint = std::chrono::steady_clock::time_point;

    virtual ~Clock() = default;
    [[nodiscard]] virtual TimePoint Now() const = 0;
};

// std::chrono::steady_clock: never jumps when the wall clock is set. Use this in the kiosk.
class SystemClock final : public Clock {
  public:
    [[nodiscard]] TimePoint Now() const override { return std::chrono::steady_clock::now(); }
};

// WARNING: for tests only. Time stands still until Advance() is called.
class ManualClock final : public Clock {
  public:
    ManualClock() = default;
    explicit ManualClock(TimePoint start) : m_now(start) {}

    [[nodiscard]] TimePoint Now() const override { return m_now; }
    void Advance(std::chrono::steady_clock::duration d) { m_now += d; }

  private:
    TimePoint m_now{};
};

}  // namespace pingyi
