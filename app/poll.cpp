#include "app/poll.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/error_codes.hpp"

namespace pingyi::app {

Status CheckOperatorPin(ByteView pin)
{
    const bool digits = std::all_of(pin.begin(), pin.end(), [](std::uint8_t c) { return c >= '0' && c <= '9'; });
    if (pin.size() < kMinPinDigits || !digits)
        return MakeError(std::string(err::kPinWeak), "the operator PIN must have at least " +
                                                         std::to_string(kMinPinDigits) + " digits, and digits only");
    return Status::Ok();
}

std::filesystem::path BoxFileName(const ElectionPackage& package, std::uint32_t kiosk)
{
    return "pingyi-" + package.definition.election_id.substr(0, 8) + "-kiosk" + std::to_string(kiosk) + ".sqlite";
}

std::optional<OpenBox> FindOpenBox(const std::filesystem::path& data_dir)
{
    std::error_code ec;
    if (data_dir.empty() || !std::filesystem::is_directory(data_dir, ec)) return std::nullopt;
    std::vector<std::filesystem::path> boxes;
    for (const auto& entry : std::filesystem::directory_iterator(data_dir, ec))
        if (entry.is_regular_file(ec) && entry.path().extension() == ".sqlite") boxes.push_back(entry.path());
    std::sort(boxes.begin(), boxes.end());
    for (const auto& path : boxes) {
        auto contents = ReadBox(path);
        if (!contents || !contents->open || contents->close) continue;
        auto package = LoadPackage(contents->package_file);
        if (!package) continue;
        return OpenBox{path, std::move(package).value(), contents->kiosk};
    }
    return std::nullopt;
}

Result<OpenedPoll> OpenPoll(const std::filesystem::path& data_dir, const ElectionPackage& package, std::uint32_t kiosk,
                            const SecretBytes& pin, const SecretBytes& pin_again, Rng& rng, KdfParams kdf)
{
    if (Status s = CheckOperatorPin(pin.view()); !s) return s.error();
    if (!pin.Equals(pin_again.view())) return MakeError(std::string(err::kPinMismatch), "the two PINs differ");
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    const std::filesystem::path path = data_dir / BoxFileName(package, kiosk);
    auto box = BallotBox::Create(path, package, kiosk, pin.text(), rng, kdf);
    if (!box) return box.error();
    return OpenedPoll{std::move(box).value(), path};
}

Result<BallotBox> ResumePoll(const std::filesystem::path& box_path, const SecretBytes& pin)
{
    return BallotBox::Resume(box_path, pin.text());
}

Status CheckOperatorLogin(BallotBox& box, const SecretBytes& pin, std::chrono::steady_clock::time_point now)
{
    return box.CheckOperatorPin(pin.text(), now);
}

Result<ExportedBox> ExportPoll(BallotBox& box, const std::filesystem::path& box_path,
                               const std::filesystem::path& folder)
{
    const std::filesystem::path target = folder / box_path.filename();
    auto kind = box.Export(target);
    if (!kind) return kind.error();
    return ExportedBox{target, *kind};
}

}  // namespace pingyi::app
