// The kiosk's voting session: the state machine the kiosk GUI drives, one voter at a time
// (docs/design.md §1 step 2; docs/kiosk.md). Headless and clock-injected, so every screen's logic is tested
// without a window.
//
//   WaitingForCode --EnterCode--> Voting <--GoToReview/BackToBallot--> Review
//        ^   ^                      |  ^ ^                               | Commit (encrypt,
//        |   |                      |  | +-------- BackToBallot -------- v  tracking code)
//        |   |                      |  +-- ReturnFromCheck -- Checked <-Check- Committed
//        |   +----------------------+ Cancel, inactivity timeout            | Cast (ok)
//        +--------------- AcknowledgeReceipt, receipt_display ------- Receipt <-+
//
// The tellers' check (Benaloh challenge, docs/protocol.md §6.1): Commit encrypts the ballot
// and shows its tracking code before anyone says whether it will be cast or checked; only
// then may Check (in 核验模式) open it instead: the box keeps it as spoiled with its nonces,
// never counted, and the code stays unused. Cast() straight from Review commits and casts
// in one step (for callers without a commit screen).
//
// Errors are stable codes the GUI translates ("session.*", or the box's own "box.*" codes
// from Cast); details are English, for logs, and never contain the code or a choice.
//
// What the session keeps of a voter, and for how long: the normalized code (SecretBytes)
// and the choices (a std::vector<std::uint32_t> overwritten with zeros through a volatile
// pointer, then cleared) from a valid EnterCode until the ballot is cast, cancelled or timed
// out; the tracking code until the receipt screen ends. Nothing about earlier voters is
// exposed: no counts of ballots cast (operator status is the box's business).
//
// WARNING: not thread-safe. Cast() encrypts and proves the whole grid and commits to disk,
// which can take a while on weak hardware; a GUI that runs it off the UI thread must not
// call anything else on the session until it returns.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ballot_box.hpp"
#include "core/clock.hpp"
#include "crypto/random.hpp"
#include "crypto/secret.hpp"

namespace pingyi {

enum class SessionState {
    WaitingForCode,  // the welcome screen
    Voting,          // the ballot: one row per member
    Review,          // read-only summary before casting
    Committed,       // encrypted; its tracking code shown; 确认投票 or (核验模式) 核验此票
    Checked,         // the checked ballot opened: its choices and tracking code
    Receipt,         // "投票成功" and the tracking code
};
std::string_view SessionStateName(SessionState s);

// What a Tick() did, for the GUI to switch screens or start a countdown.
enum class TickEvent {
    None,
    WarningStarted,   // the ballot has been idle for inactivity_timeout - warning_before
    BallotDiscarded,  // the inactivity timeout discarded the ballot; the code stays unused
    ReceiptEnded,     // receipt_display has passed; back to the welcome screen
};

struct SessionSettings {
    // For a ballot of up to kIdleBaseMembers members; a longer ballot gets more
    // (ScaledInactivityTimeout), which the session applies itself.
    std::chrono::seconds inactivity_timeout{120};
    std::chrono::seconds warning_before{30};
    // The receipt stays until 完成 or this long (time to copy the tracking code down).
    std::chrono::seconds receipt_display{60};
    // What the welcome screen says about the last ballot (本次评价已作废) goes after this long,
    // so that the next voter does not read it.
    std::chrono::seconds welcome_message_display{10};
    // Wrong codes (unknown, used, other kiosk) within code_failure_window before the first
    // wait; each further one in the window doubles the wait, up to max_code_wait. Valid codes
    // change nothing: alternating guesses with one's own code and Cancel gains no tries.
    // Input that cannot be a code at all (wrong length, foreign characters) probes nothing
    // and is not counted.
    std::uint32_t free_code_failures = 3;
    std::chrono::seconds first_code_wait{5};
    std::chrono::seconds max_code_wait{60};
    // A screen that has just appeared ignores its buttons for this long (ScreenSettle): the
    // second half of a double-click (about 150 ms), a double tap or a second Enter meant for
    // the previous screen's button must not press the new one. Longer than the usual
    // double-click time (GTK 400 ms, Windows 500 ms).
    std::chrono::milliseconds screen_settle{700};
    std::chrono::seconds code_failure_window{10 * 60};
};

// The idle limit grows with the ballot (docs/kiosk.md "The voter"): `base` for up to
// kIdleBaseMembers members, kIdlePerMember more for each member beyond, at most kIdleMax
// (never below `base`). 25 members: 120 s + 15 × 6 s = 210 s.
inline constexpr std::size_t kIdleBaseMembers = 10;
inline constexpr std::chrono::seconds kIdlePerMember{6};
inline constexpr std::chrono::seconds kIdleMax{600};
[[nodiscard]] std::chrono::seconds ScaledInactivityTimeout(std::chrono::seconds base, std::size_t members);

// The rule "a new screen ignores input for a moment", headless: Restart() when a screen
// appears, Settled() before acting on one of its buttons. The kiosk applies it to every
// screen change; KioskSession applies it to casting (not before the review has been
// shown for `settle`).
class ScreenSettle {
  public:
    ScreenSettle(const Clock& clock, std::chrono::milliseconds settle) : m_clock(&clock), m_settle(settle) {}
    void Restart() { m_since = m_clock->Now(); }
    [[nodiscard]] bool Settled() const { return !m_since || m_clock->Now() - *m_since >= m_settle; }

  private:
    const Clock* m_clock;
    std::chrono::milliseconds m_settle;
    std::optional<Clock::TimePoint> m_since;
};

// How much of the quota (at most `max` members may get `option`) this ballot uses.
struct QuotaUse {
    std::uint32_t option = 0;
    std::uint32_t used = 0;
    std::uint32_t max = 0;
};

// How the session turns the choices into an encrypted grid: EncryptGrid, keeping every
// cell's nonce for a check. The kiosk uses this one. A test derives a faulty one (that
// alters a choice first, as altered kiosk software would) to show that a checked ballot
// catches it (tests/core/test_spoiled.cpp).
class BallotEncryptor {
  public:
    virtual ~BallotEncryptor() = default;
    [[nodiscard]] virtual EncryptedGrid Encrypt(const Point& public_key, const GridShape& shape,
                                                std::span<const std::uint32_t> choices, ByteView context, Rng& rng,
                                                std::vector<Scalar>& nonces) const;
};

// A checked ballot, as opened from its own nonces (OpenSpoiledGrid): what the kiosk shows.
struct CheckedBallot {
    std::string tracking_code;           // the one shown at Commit
    std::vector<std::uint32_t> choices;  // per member, recomputed from the nonces
    std::uint32_t category = 0;
};

// What the checked-ballot screen's QR code holds, for a teller to compare on another device
// (docs/formats.md §4.13): "PINGYI-CHECK/<24 hex of the short fingerprint>/<kiosk>/<tracking
// code>/<option number, 1-based, per member>", e.g. "PINGYI-CHECK/f80f…/1/ABCD-EFGH/122314".
[[nodiscard]] std::string CheckedBallotQrText(const ElectionPackage& package, std::uint32_t kiosk,
                                              const CheckedBallot& checked);

class KioskSession {
  public:
    // The box, clock and rng must outlive the session. The session needs only public data:
    // the package inside the box (public key, definition) and the box itself. `encryptor`
    // (null: the honest BallotEncryptor) must outlive the session too.
    KioskSession(BallotBox& box, const Clock& clock, Rng& rng, SessionSettings settings = {},
                 const BallotEncryptor* encryptor = nullptr);
    ~KioskSession();
    KioskSession(const KioskSession&) = delete;
    KioskSession& operator=(const KioskSession&) = delete;

    // --- the welcome screen ---
    // Accepts any case and separators (NormalizeCode). Errors: "session.state",
    // "session.rate_limited" (see code_wait_seconds_left), "session.code_format",
    // "session.code_unknown", "session.code_used", "session.code_other_kiosk",
    // "session.code_election" (a scanned slip, "<code>/<fingerprint>", of another election),
    // "session.closed". On success: Voting, the code's category remembered, nothing chosen.
    Status EnterCode(std::string_view typed);
    // While wrong codes are being refused: whole seconds left (rounded up), else nullopt.
    [[nodiscard]] std::optional<std::chrono::seconds> code_wait_seconds_left() const;

    // --- the ballot (Voting only) ---
    // Sets or changes one member's option. Errors: "session.state", "session.timed_out",
    // "session.range" (no such member or option), "session.quota" (see quota()).
    Status Choose(std::uint32_t member, std::uint32_t option);
    Status Clear(std::uint32_t member);
    // Any other voter activity (scrolling, key presses): restarts the inactivity timer.
    void Touch();
    // Errors: "session.unrated" (the detail names them; see unrated()), "session.state",
    // "session.timed_out".
    Status GoToReview();
    // Review -> Voting, choices kept.
    Status BackToBallot();
    // Voting/Review -> WaitingForCode: the ballot is wiped, the code stays unused.
    Status Cancel();

    // --- review, casting and the receipt ---
    // Review only, and only once the review has been on screen for screen_settle (else
    // "session.too_soon" and nothing changes: a double-click on 下一步 never casts). Encrypts the choices under the
    // election public key with the proofs and casts them into the box. On success: Receipt, the code and choices wiped,
    // and the tracking code returned. On failure the session stays in Review with everything kept, so the voter may try
    // again or the operator step in; the error is the box's own
    // ("box.*"), or "session.encrypt", "session.state", "session.timed_out".
    // From Committed (and once the commit screen has been shown for screen_settle): casts
    // the committed grid, whose tracking code the voter has seen.
    Result<std::string> Cast();
    // Review -> Committed: encrypts and proves the choices (through the encryptor), keeps the
    // grid and its nonces, and returns the tracking code the cast or checked ballot will
    // have. Refused like Cast() while the review is not settled. Whether the ballot will be
    // cast or checked is not known here. BackToBallot from Committed drops the grid.
    Result<std::string> Commit();
    // Committed -> Checked, in 核验模式 only ("session.check_mode" otherwise): the box keeps
    // the ballot as spoiled with its nonces (BallotBox::Spoil), the code stays unused, the
    // grid and nonces are dropped; the choices stay for the teller's next ballot.
    Result<CheckedBallot> Check();
    // Checked -> Voting, with the choices as they were: the next Commit encrypts afresh.
    Status ReturnFromCheck();
    // 核验模式: the operator's toggle, logged as check_mode and kept by the box across a
    // restart (BallotBox::SetCheckMode). Offered to every voter while on.
    Status SetCheckMode(bool on);
    [[nodiscard]] bool check_mode() const { return m_box.check_mode(); }
    // False from GoToReview (or Commit) until screen_settle has passed: Commit/Cast would be refused.
    [[nodiscard]] bool review_settled() const { return m_review_settle.Settled(); }
    // Receipt -> WaitingForCode now (the voter pressed "done").
    Status AcknowledgeReceipt();

    // Called by the GUI timer (about once a second): applies the inactivity timeout and the
    // end of the receipt screen, and says what happened. Every action above applies them
    // first too, so a late timer never lets a timed-out ballot be cast.
    TickEvent Tick();

    // --- queries ---
    [[nodiscard]] SessionState state() const { return m_state; }
    [[nodiscard]] const ElectionDefinition& definition() const;
    // The current voter's category (Voting/Review), for showing on the ballot.
    [[nodiscard]] std::optional<std::uint32_t> category() const;
    [[nodiscard]] std::uint32_t member_count() const;
    [[nodiscard]] std::optional<std::uint32_t> choice(std::uint32_t member) const;
    // "已评 n / N": n = rated_count(), N = member_count().
    [[nodiscard]] std::uint32_t rated_count() const;
    // Indices of the members not yet rated, in roster order.
    [[nodiscard]] std::vector<std::uint32_t> unrated() const;
    // nullopt if the election has no quota.
    [[nodiscard]] std::optional<QuotaUse> quota() const;
    // In Voting/Review once idle >= inactivity_timeout - warning_before: whole seconds
    // until the ballot is discarded (rounded up, 0 once due); else nullopt.
    [[nodiscard]] std::optional<std::chrono::seconds> warning_seconds_left() const;
    // The idle limit of this election's ballot: ScaledInactivityTimeout of the settings'.
    [[nodiscard]] std::chrono::seconds inactivity_timeout() const { return m_settings.inactivity_timeout; }
    // The tracking code of the committed ballot (Committed) or the receipt's; empty otherwise.
    [[nodiscard]] const std::string& tracking_code() const { return m_tracking_code; }

  private:
    [[nodiscard]] bool InBallot() const;
    // Applies the time-based transitions; returns what happened.
    TickEvent Advance();
    // Advance(), then "session.timed_out" if the ballot just timed out, "session.state"
    // if the state is not `wanted`.
    Status Require(SessionState wanted);
    void MarkActivity();
    void WipeBallot();
    void DropCommitted();
    // Encrypts the choices into m_committed (with m_nonces) and sets m_tracking_code.
    Status Encrypt();
    void RecordCodeFailure();
    // A code of the election's shape that cannot vote here: wiped, counted, logged.
    Status RejectCode(std::string& normalized, std::string_view reason, const std::string& code, std::string detail);

    BallotBox& m_box;
    const Clock& m_clock;
    Rng& m_rng;
    SessionSettings m_settings;
    const BallotEncryptor* m_encryptor;
    std::optional<EncryptedGrid> m_committed;  // Committed: the grid whose tracking code is shown
    std::vector<Scalar> m_nonces;              // its nonces (wiped when freed)

    SessionState m_state = SessionState::WaitingForCode;
    SecretBytes m_code;                    // normalized, while Voting/Review
    std::uint32_t m_category = 0;          // meaningful while Voting/Review
    std::vector<std::uint32_t> m_choices;  // one per member, kUnset if unrated; wiped
    Clock::TimePoint m_last_activity{};
    ScreenSettle m_review_settle;
    bool m_warned = false;
    Clock::TimePoint m_receipt_since{};
    std::string m_tracking_code;

    std::deque<Clock::TimePoint> m_code_failures;  // wrong codes within code_failure_window
    std::optional<Clock::TimePoint> m_code_wait_until;
};

}  // namespace pingyi
