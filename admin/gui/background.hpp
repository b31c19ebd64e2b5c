// Long work off the GUI thread: one worker at a time per screen, progress posted back
// (throttled), cancel by a flag the work polls through its progress callback. The window
// never freezes; the result comes back on the GUI thread.
#pragma once

#include <wx/event.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>

#include "crypto/result.hpp"

namespace pingyi::admin {

class BackgroundTask {
  public:
    // Progress on the GUI thread: phase (the screen's own numbering), done, total.
    using ProgressHandler = std::function<void(int phase, std::size_t done, std::size_t total)>;

    BackgroundTask(wxEvtHandler* owner, ProgressHandler on_progress);
    ~BackgroundTask();  // cancels and waits: the owner outlives its worker
    BackgroundTask(const BackgroundTask&) = delete;
    BackgroundTask& operator=(const BackgroundTask&) = delete;

    // Runs `work` on a new thread, then `done(result)` on the GUI thread. One at a time.
    template <typename R>
    void Start(std::function<R(BackgroundTask&)> work, std::function<void(R&&)> done)
    {
        Join();
        m_cancel = false;
        m_running = true;
        m_thread = std::thread([this, work = std::move(work), done = std::move(done)]() mutable {
            // Nothing thrown may leave the thread (std::terminate): it becomes the result's error.
            std::shared_ptr<R> result;
            try {
                result = std::make_shared<R>(work(*this));
            } catch (const std::exception& e) {
                result = std::make_shared<R>(Failed<R>(e.what()));
            }
            m_owner->CallAfter([this, result, done = std::move(done)]() mutable {
                Join();
                m_running = false;
                done(std::move(*result));
            });
        });
    }

    // From the worker: posts progress (at most every 40 ms, and always the last step);
    // returns false once cancel was asked — the core's ProgressFn contract.
    bool Report(int phase, std::size_t done, std::size_t total);
    void Cancel() { m_cancel = true; }
    [[nodiscard]] bool cancelled() const { return m_cancel; }
    [[nodiscard]] bool running() const { return m_running; }

  private:
    void Join();

    // What a task that threw returns: a Result's error, a failed check line of an Audit, or
    // the error member of an outcome; the screen shows it like any other failure.
    template <typename R>
    static R Failed(const std::string& what)
    {
        const Error error = MakeError("internal.error", "the work stopped on an unexpected error: " + what);
        if constexpr (std::is_constructible_v<R, Error>) {
            return R(error);
        } else {
            R r{};
            if constexpr (requires { r.report.Add("internal", false, error.detail); })
                r.report.Add("internal", false, error.detail);
            if constexpr (requires { r.audit.report.Add("internal", false, error.detail); })
                r.audit.report.Add("internal", false, error.detail);
            if constexpr (requires { r.error = error; }) r.error = error;
            return r;
        }
    }

    wxEvtHandler* m_owner;
    ProgressHandler m_on_progress;
    std::thread m_thread;
    std::atomic<bool> m_cancel{false};
    bool m_running = false;  // GUI thread only
    std::mutex m_mu;
    std::chrono::steady_clock::time_point m_last_post{};
    int m_last_phase = -1;
};

}  // namespace pingyi::admin
