// The kiosk's part of the workflow (docs/design.md §3): where a poll's box lives, which box
// to resume after a restart, opening a poll under the operator PIN policy, resuming it with
// the PIN, the operator's PIN check and the export to a USB stick. Headless: the kiosk's
// screens only collect the inputs and show the outcome.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "core/ballot_box.hpp"
#include "core/package.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/random.hpp"
#include "crypto/secret.hpp"

namespace pingyi::app {

// The shortest operator PIN a poll may be opened with (digits only).
inline constexpr std::size_t kMinPinDigits = 6;

// "pin.weak" unless `pin` is at least kMinPinDigits ASCII digits and nothing else.
[[nodiscard]] Status CheckOperatorPin(ByteView pin);

// The box's file name in the kiosk's data folder: pingyi-<first 8 hex digits of the
// election id>-kiosk<n>.sqlite (its device key beside it, with ".key" appended).
[[nodiscard]] std::filesystem::path BoxFileName(const ElectionPackage& package, std::uint32_t kiosk);

struct OpenBox {
    std::filesystem::path path;
    ElectionPackage package;
    std::uint32_t kiosk = 0;
};
// The first box (by file name) in `data_dir` that is readable, holds a valid package and
// has no close record: the poll to resume after a restart. nullopt when there is none.
[[nodiscard]] std::optional<OpenBox> FindOpenBox(const std::filesystem::path& data_dir);

struct OpenedPoll {
    BallotBox box;
    std::filesystem::path path;
};
// Opens the poll of kiosk `kiosk` in `data_dir` (created if missing): the PIN policy,
// `pin_again` equal to `pin` ("pin.mismatch"), then BallotBox::Create at BoxFileName.
[[nodiscard]] Result<OpenedPoll> OpenPoll(const std::filesystem::path& data_dir, const ElectionPackage& package,
                                          std::uint32_t kiosk, const SecretBytes& pin, const SecretBytes& pin_again,
                                          Rng& rng, KdfParams kdf = {});

// Reopens the poll of the box at `box_path` after a restart: the PIN unseals the device key
// (BallotBox::Resume; wrong PINs count and lock across restarts).
[[nodiscard]] Result<BallotBox> ResumePoll(const std::filesystem::path& box_path, const SecretBytes& pin);

// The operator's PIN for the menu, checked against the box's sealed device key and logged
// (BallotBox::CheckOperatorPin: "keyfile.passphrase" when wrong, "operator.locked").
[[nodiscard]] Status CheckOperatorLogin(BallotBox& box, const SecretBytes& pin,
                                        std::chrono::steady_clock::time_point now);

struct ExportedBox {
    std::filesystem::path path;
    BallotBox::ExportKind kind = BallotBox::ExportKind::Written;
};
// Exports the box at `box_path` into `folder` (the USB stick) under the box's own file name:
// an export during voting is a backup that the export after closing replaces (BallotBox::Export).
[[nodiscard]] Result<ExportedBox> ExportPoll(BallotBox& box, const std::filesystem::path& box_path,
                                             const std::filesystem::path& folder);

}  // namespace pingyi::app
