#include "core/kiosk_session.hpp"

#include <algorithm>
#include <exception>
#include <limits>

#include "core/error_codes.hpp"

namespace pingyi {
namespace {

constexpr std::uint32_t kUnset = std::numeric_limits<std::uint32_t>::max();

Error SessionError(const std::string& code, std::string detail)
{
    return MakeError("session." + code, std::move(detail));
}

// Overwrites through a volatile pointer so the stores are not optimised away, then clears.
// (OPENSSL_cleanse would do, but core/ does not include OpenSSL headers.)
template <typename T>
void WipeVector(std::vector<T>& v)
{
    volatile T* p = v.data();
    for (std::size_t i = 0; i < v.size(); ++i)
        p[i] = T{};
    v.clear();
}

void WipeString(std::string& s)
{
    volatile char* p = s.data();
    for (std::size_t i = 0; i < s.size(); ++i)
        p[i] = '\0';
    s.clear();
}

std::chrono::seconds CeilSeconds(Clock::TimePoint::duration d)
{
    if (d <= Clock::TimePoint::duration::zero()) return std::chrono::seconds{0};
    return std::chrono::ceil<std::chrono::seconds>(d);
}

std::string_view CodeView(const SecretBytes& code)
{
    return {reinterpret_cast<const char*>(code.data()), code.size()};
}

}  // namespace

std::string_view SessionStateName(SessionState s)
{
    switch (s) {
        case SessionState::WaitingForCode:
            return "waiting-for-code";
        case SessionState::Voting:
            return "voting";
        case SessionState::Review:
            return "review";
        case SessionState::Committed:
            return "committed";
        case SessionState::Checked:
            return "checked";
        case SessionState::Receipt:
            return "receipt";
    }
    return "unknown";
}

EncryptedGrid BallotEncryptor::Encrypt(const Point& public_key, const GridShape& shape,
                                       std::span<const std::uint32_t> choices, ByteView context, Rng& rng,
                                       std::vector<Scalar>& nonces) const
{
    return EncryptGrid(public_key, shape, choices, context, rng, &nonces);
}

KioskSession::KioskSession(BallotBox& box, const Clock& clock, Rng& rng, SessionSettings settings,
                           const BallotEncryptor* encryptor)
    : m_box(box),
      m_clock(clock),
      m_rng(rng),
      m_settings(settings),
      m_encryptor(encryptor),
      m_review_settle(clock, settings.screen_settle)
{
    m_settings.inactivity_timeout =
        ScaledInactivityTimeout(settings.inactivity_timeout, box.package().definition.roster.size());
}

std::chrono::seconds ScaledInactivityTimeout(std::chrono::seconds base, std::size_t members)
{
    if (members <= kIdleBaseMembers) return base;
    const std::size_t extra = std::min<std::size_t>(members - kIdleBaseMembers, 1000);
    const auto scaled = base + kIdlePerMember * static_cast<std::int64_t>(extra);
    return std::max(base, std::min(scaled, kIdleMax));
}

KioskSession::~KioskSession()
{
    WipeBallot();
    WipeString(m_tracking_code);
}

const ElectionDefinition& KioskSession::definition() const
{
    return m_box.package().definition;
}

std::uint32_t KioskSession::member_count() const
{
    return static_cast<std::uint32_t>(definition().roster.size());
}

bool KioskSession::InBallot() const
{
    return m_state == SessionState::Voting || m_state == SessionState::Review || m_state == SessionState::Committed ||
           m_state == SessionState::Checked;
}

// --- the welcome screen ---

Status KioskSession::EnterCode(std::string_view typed)
{
    Advance();
    if (m_state != SessionState::WaitingForCode)
        return SessionError("state", "a code can only be entered on the welcome screen");
    if (auto wait = code_wait_seconds_left())
        return MakeError(std::string(err::kSessionRateLimited),
                         "too many wrong codes: wait " + std::to_string(wait->count()) + " s");

    // A scanned slip: "<code>/<the whole election fingerprint>" (SlipQrPayload).
    if (const auto slash = typed.find(kSlipQrSeparator); slash != std::string_view::npos) {
        std::string fp(typed.substr(slash + 1));
        for (char& ch : fp)
            if (ch >= 'a' && ch <= 'f') ch = static_cast<char>(ch - 'a' + 'A');
        typed = typed.substr(0, slash);
        if (fp != ToUpperHex(m_box.package().fingerprint)) {
            (void)m_box.LogEvent(BoxEvent::CodeRejected, {{"reason", "format"}});
            return SessionError("code_election", "this slip belongs to another election (its fingerprint differs)");
        }
    }
    auto normalized = NormalizeCode(typed);
    if (!normalized) {
        (void)m_box.LogEvent(BoxEvent::CodeRejected, {{"reason", "format"}});
        return SessionError("code_format", "this is not a voting code (16 letters and digits)");
    }
    const CodeStatus status = m_box.CheckCode(*normalized);
    switch (status.kind) {
        case CodeStatus::Kind::Valid:
            break;
        case CodeStatus::Kind::Closed:
            WipeString(*normalized);
            return SessionError("closed", "the poll is closed");
        case CodeStatus::Kind::Error:
            WipeString(*normalized);
            return MakeError("box.io", "the ballot box cannot be read: nothing was decided about this code");
        case CodeStatus::Kind::Unknown:
            return RejectCode(*normalized, "unknown", "code_unknown", "this code is not a code of this election");
        case CodeStatus::Kind::Used:
            return RejectCode(*normalized, "used", "code_used", "this code has already been used");
        case CodeStatus::Kind::OtherKiosk:
            return RejectCode(*normalized, "other_kiosk", "code_other_kiosk", "this code belongs to another kiosk");
    }

    m_code = SecretBytes(AsBytes(*normalized));
    WipeString(*normalized);
    m_category = status.category;
    m_choices.assign(member_count(), kUnset);
    m_state = SessionState::Voting;
    MarkActivity();
    return Status::Ok();
}

Status KioskSession::RejectCode(std::string& normalized, std::string_view reason, const std::string& code,
                                std::string detail)
{
    WipeString(normalized);
    RecordCodeFailure();
    (void)m_box.LogEvent(BoxEvent::CodeRejected, {{"reason", reason}});
    return SessionError(code, std::move(detail));
}

void KioskSession::RecordCodeFailure()
{
    const auto now = m_clock.Now();
    while (!m_code_failures.empty() && now - m_code_failures.front() >= m_settings.code_failure_window)
        m_code_failures.pop_front();
    m_code_failures.push_back(now);
    const auto failures = static_cast<std::uint32_t>(m_code_failures.size());
    if (failures < m_settings.free_code_failures) return;
    std::chrono::seconds wait = m_settings.first_code_wait;
    for (std::uint32_t i = m_settings.free_code_failures; i < failures; ++i) {
        if (wait >= m_settings.max_code_wait) break;
        wait *= 2;
    }
    wait = std::min(wait, m_settings.max_code_wait);
    m_code_wait_until = now + wait;
}

std::optional<std::chrono::seconds> KioskSession::code_wait_seconds_left() const
{
    if (!m_code_wait_until) return std::nullopt;
    const auto now = m_clock.Now();
    if (now >= *m_code_wait_until) return std::nullopt;
    return CeilSeconds(*m_code_wait_until - now);
}

// --- the ballot ---

Status KioskSession::Choose(std::uint32_t member, std::uint32_t option)
{
    if (Status s = Require(SessionState::Voting); !s) return s;
    MarkActivity();
    const ElectionDefinition& def = definition();
    if (member >= m_choices.size() || option >= def.options.size())
        return SessionError("range", "no such member or option");
    if (def.quota && option == def.quota->option && m_choices[member] != option) {
        const auto used = static_cast<std::uint32_t>(std::count(m_choices.begin(), m_choices.end(), def.quota->option));
        if (used >= def.quota->max)
            return MakeError(std::string(err::kSessionQuota), "at most " + std::to_string(def.quota->max) +
                                                                  " members may be rated " +
                                                                  def.options[def.quota->option]);
    }
    m_choices[member] = option;
    return Status::Ok();
}

Status KioskSession::Clear(std::uint32_t member)
{
    if (Status s = Require(SessionState::Voting); !s) return s;
    MarkActivity();
    if (member >= m_choices.size()) return SessionError("range", "no such member");
    m_choices[member] = kUnset;
    return Status::Ok();
}

void KioskSession::Touch()
{
    Advance();
    if (InBallot()) MarkActivity();
}

Status KioskSession::GoToReview()
{
    if (Status s = Require(SessionState::Voting); !s) return s;
    MarkActivity();
    const auto missing = unrated();
    if (!missing.empty()) {
        std::string names;
        for (std::uint32_t m : missing) {
            if (!names.empty()) names += ", ";
            names += definition().roster[m].name;
        }
        return MakeError(std::string(err::kSessionUnrated),
                         std::to_string(missing.size()) + " member(s) not rated yet: " + names);
    }
    m_state = SessionState::Review;
    m_review_settle.Restart();
    return Status::Ok();
}

Status KioskSession::BackToBallot()
{
    // From the commit screen too: the committed grid is dropped, the next Commit encrypts afresh.
    if (Advance() == TickEvent::BallotDiscarded)
        return MakeError(std::string(err::kSessionTimedOut), "the ballot was discarded after inactivity");
    if (m_state != SessionState::Review && m_state != SessionState::Committed)
        return SessionError("state", std::string("not allowed in state ") + std::string(SessionStateName(m_state)));
    MarkActivity();
    DropCommitted();
    if (m_state == SessionState::Committed) WipeString(m_tracking_code);
    m_state = SessionState::Voting;
    return Status::Ok();
}

Status KioskSession::Cancel()
{
    if (Advance() == TickEvent::BallotDiscarded)
        return MakeError(std::string(err::kSessionTimedOut), "the ballot was discarded after inactivity");
    if (!InBallot()) return SessionError("state", "there is no ballot to cancel");
    WipeBallot();
    m_state = SessionState::WaitingForCode;
    (void)m_box.LogEvent(BoxEvent::BallotDiscarded, {{"reason", "cancelled"}});
    return Status::Ok();
}

// --- casting and the receipt ---

Result<std::string> KioskSession::Commit()
{
    if (Status s = Require(SessionState::Review); !s) return s.error();
    if (!m_review_settle.Settled())
        return SessionError("too_soon", "the review appeared less than screen_settle ago; not committed");
    MarkActivity();
    if (Status s = Encrypt(); !s) return s.error();
    m_state = SessionState::Committed;
    m_review_settle.Restart();
    return m_tracking_code;
}

Status KioskSession::Encrypt()
{
    static const BallotEncryptor honest;
    const BallotEncryptor& encryptor = m_encryptor ? *m_encryptor : honest;
    const ElectionPackage& pkg = m_box.package();
    try {
        // Review is reachable only with every member rated and the quota kept, so
        // EncryptGrid's own checks cannot fire; the Rng may still fail.
        m_committed =
            encryptor.Encrypt(pkg.public_key, pkg.Shape(), m_choices, pkg.BallotContext(m_category), m_rng, m_nonces);
    } catch (const std::exception& e) {
        DropCommitted();
        return SessionError("encrypt", std::string("the ballot could not be encrypted: ") + e.what());
    }
    m_tracking_code =
        TrackingCode(BallotHash(pkg.suite(), pkg.fingerprint, m_box.kiosk(), BallotBody(m_category, *m_committed)));
    return Status::Ok();
}

Result<std::string> KioskSession::Cast()
{
    // Straight from Review: commit and cast in one step (no commit screen).
    const bool from_review = m_state == SessionState::Review;
    if (Status s = Require(from_review ? SessionState::Review : SessionState::Committed); !s) return s.error();
    if (!m_review_settle.Settled())
        return SessionError("too_soon", "the screen appeared less than screen_settle ago; not cast");
    MarkActivity();
    if (from_review) {
        if (Status s = Encrypt(); !s) return s.error();
    }
    auto receipt = m_box.Cast(CodeView(m_code), *m_committed);
    if (!receipt) {
        if (from_review) {
            DropCommitted();
            WipeString(m_tracking_code);
        }
        return receipt.error();
    }

    WipeBallot();
    m_tracking_code = receipt->tracking_code;
    m_state = SessionState::Receipt;
    m_receipt_since = m_clock.Now();
    return m_tracking_code;
}

Result<CheckedBallot> KioskSession::Check()
{
    if (Status s = Require(SessionState::Committed); !s) return s.error();
    if (!m_box.check_mode()) return SessionError("check_mode", "checking a ballot needs 核验模式 (check mode) on");
    if (!m_review_settle.Settled())
        return SessionError("too_soon", "the screen appeared less than screen_settle ago; not checked");
    MarkActivity();
    Bytes nonces;
    for (const Scalar& r : m_nonces)
        AppendBytes(nonces, r.Encode());
    const ElectionPackage& pkg = m_box.package();
    auto spoiled = m_box.Spoil(CodeView(m_code), *m_committed, nonces);
    if (!spoiled) return spoiled.error();
    // What the kiosk shows is what the nonces open, not what the voter chose: the teller
    // compares the two.
    auto opened = OpenSpoiledGrid(pkg.public_key, pkg.Shape(), *m_committed, nonces);
    DropCommitted();
    if (!opened) return opened.error();
    m_state = SessionState::Checked;
    m_review_settle.Restart();
    return CheckedBallot{spoiled->tracking_code, std::move(opened).value(), m_category};
}

std::string CheckedBallotQrText(const ElectionPackage& package, std::uint32_t kiosk, const CheckedBallot& checked)
{
    std::string fp;
    for (const char ch : ShortFingerprint(package.fingerprint))
        if (ch != ' ') fp.push_back(ch);
    std::string out = "PINGYI-CHECK/" + fp + "/" + std::to_string(kiosk) + "/" + checked.tracking_code + "/";
    for (const std::uint32_t c : checked.choices)
        out += std::to_string(c + 1);
    return out;
}

Status KioskSession::ReturnFromCheck()
{
    if (Status s = Require(SessionState::Checked); !s) return s;
    MarkActivity();
    WipeString(m_tracking_code);
    m_state = SessionState::Voting;
    return Status::Ok();
}

Status KioskSession::SetCheckMode(bool on)
{
    return m_box.SetCheckMode(on);
}

void KioskSession::DropCommitted()
{
    m_committed.reset();
    m_nonces.clear();  // each Scalar wipes itself when freed
}

Status KioskSession::AcknowledgeReceipt()
{
    Advance();
    if (m_state != SessionState::Receipt) return SessionError("state", "no receipt is shown");
    WipeString(m_tracking_code);
    m_state = SessionState::WaitingForCode;
    return Status::Ok();
}

// --- time ---

TickEvent KioskSession::Tick()
{
    return Advance();
}

TickEvent KioskSession::Advance()
{
    const auto now = m_clock.Now();
    if (InBallot()) {
        const auto idle = now - m_last_activity;
        if (idle >= m_settings.inactivity_timeout) {
            WipeBallot();
            m_state = SessionState::WaitingForCode;
            (void)m_box.LogEvent(BoxEvent::BallotDiscarded, {{"reason", "timeout"}});
            return TickEvent::BallotDiscarded;
        }
        if (!m_warned && idle >= m_settings.inactivity_timeout - m_settings.warning_before) {
            m_warned = true;
            return TickEvent::WarningStarted;
        }
    } else if (m_state == SessionState::Receipt) {
        if (now - m_receipt_since >= m_settings.receipt_display) {
            WipeString(m_tracking_code);
            m_state = SessionState::WaitingForCode;
            return TickEvent::ReceiptEnded;
        }
    }
    return TickEvent::None;
}

Status KioskSession::Require(SessionState wanted)
{
    if (Advance() == TickEvent::BallotDiscarded)
        return MakeError(std::string(err::kSessionTimedOut), "the ballot was discarded after inactivity");
    if (m_state != wanted)
        return SessionError("state", std::string("not allowed in state ") + std::string(SessionStateName(m_state)));
    return Status::Ok();
}

void KioskSession::MarkActivity()
{
    m_last_activity = m_clock.Now();
    m_warned = false;
}

void KioskSession::WipeBallot()
{
    DropCommitted();
    if (m_state == SessionState::Committed || m_state == SessionState::Checked) WipeString(m_tracking_code);
    WipeVector(m_choices);
    m_code.Clear();
    m_category = 0;
    m_warned = false;
}

// --- queries ---

std::optional<std::uint32_t> KioskSession::category() const
{
    if (!InBallot()) return std::nullopt;
    return m_category;
}

std::optional<std::uint32_t> KioskSession::choice(std::uint32_t member) const
{
    if (member >= m_choices.size() || m_choices[member] == kUnset) return std::nullopt;
    return m_choices[member];
}

std::uint32_t KioskSession::rated_count() const
{
    return static_cast<std::uint32_t>(
        std::count_if(m_choices.begin(), m_choices.end(), [](std::uint32_t c) { return c != kUnset; }));
}

std::vector<std::uint32_t> KioskSession::unrated() const
{
    std::vector<std::uint32_t> out;
    if (!InBallot()) return out;
    for (std::uint32_t i = 0; i < m_choices.size(); ++i)
        if (m_choices[i] == kUnset) out.push_back(i);
    return out;
}

std::optional<QuotaUse> KioskSession::quota() const
{
    const auto& q = definition().quota;
    if (!q) return std::nullopt;
    const auto used = static_cast<std::uint32_t>(std::count(m_choices.begin(), m_choices.end(), q->option));
    return QuotaUse{q->option, used, q->max};
}

std::optional<std::chrono::seconds> KioskSession::warning_seconds_left() const
{
    if (!InBallot()) return std::nullopt;
    const auto idle = m_clock.Now() - m_last_activity;
    if (idle < m_settings.inactivity_timeout - m_settings.warning_before) return std::nullopt;
    return CeilSeconds(m_settings.inactivity_timeout - idle);
}

}  // namespace pingyi
