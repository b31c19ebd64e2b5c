#include "admin/gui/background.hpp"

namespace pingyi::admin {

BackgroundTask::BackgroundTask(wxEvtHandler* owner, ProgressHandler on_progress)
    : m_owner(owner), m_on_progress(std::move(on_progress))
{
}

BackgroundTask::~BackgroundTask()
{
    m_cancel = true;
    Join();
}

void BackgroundTask::Join()
{
    if (m_thread.joinable() && m_thread.get_id() != std::this_thread::get_id()) m_thread.join();
}

bool BackgroundTask::Report(int phase, std::size_t done, std::size_t total)
{
    {
        std::lock_guard lock(m_mu);
        const auto now = std::chrono::steady_clock::now();
        const bool last = done >= total;
        if (phase == m_last_phase && !last && now - m_last_post < std::chrono::milliseconds(40)) return !m_cancel;
        m_last_phase = phase;
        m_last_post = now;
    }
    m_owner->CallAfter([this, phase, done, total] {
        if (m_on_progress) m_on_progress(phase, done, total);
    });
    return !m_cancel;
}

}  // namespace pingyi::admin
