// The error codes a face reacts to (besides showing the sentence of core/messages.hpp), as
// named constants: a face compares `error.code == err::kSessionQuota`, never a string
// literal, so that a misspelt code does not compile. The producers use the same constants.
// Every code is listed in docs/formats.md ("Error codes").
#pragma once

#include <string_view>

namespace pingyi::err {

// Casting session (core/kiosk_session.hpp).
inline constexpr std::string_view kSessionRateLimited = "session.rate_limited";
inline constexpr std::string_view kSessionQuota = "session.quota";
inline constexpr std::string_view kSessionUnrated = "session.unrated";
inline constexpr std::string_view kSessionTimedOut = "session.timed_out";
// Opening a poll (app/poll.hpp, core/ballot_box.hpp).
inline constexpr std::string_view kPinWeak = "pin.weak";
inline constexpr std::string_view kPinMismatch = "pin.mismatch";
// Key files (crypto/keyfile.hpp produces this code; crypto/ cannot include core/).
inline constexpr std::string_view kKeyfilePassphrase = "keyfile.passphrase";
// The tally (core/tally.hpp, app/tally_flow.hpp).
inline constexpr std::string_view kTallyVerify = "tally.verify";
inline constexpr std::string_view kTallyCancelled = "tally.cancelled";
inline constexpr std::string_view kTallyByTrustees = "tally.by_trustees";
inline constexpr std::string_view kTallyOpenBox = "tally.open_box";
inline constexpr std::string_view kVerifyCancelled = "verify.cancelled";

}  // namespace pingyi::err
