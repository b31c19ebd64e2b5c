// The records of a ballot box (formats.md §4): the hashes and signed messages of ballots, seals
// and events, the seals' bodies, the event names, tracking codes and the opening of a
// checked ballot. Shared by the kiosk's writer, the reader and the verifier.
#include "core/ballot_box.hpp"

#include <algorithm>

#include "core/box_internal.hpp"

namespace pingyi {
namespace {

constexpr std::pair<BoxEvent, std::string_view> kEventNames[] = {
    {BoxEvent::PollOpened, "poll_opened"},           {BoxEvent::PollResumed, "poll_resumed"},
    {BoxEvent::OperatorLogin, "operator_login"},     {BoxEvent::CodeRejected, "code_rejected"},
    {BoxEvent::BallotDiscarded, "ballot_discarded"}, {BoxEvent::PollClosed, "poll_closed"},
    {BoxEvent::BoxExported, "box_exported"},         {BoxEvent::ResumeRefused, "resume_refused"},
    {BoxEvent::BallotSpoiled, "ballot_spoiled"},     {BoxEvent::CheckMode, "check_mode"},
};

// What the device key signs for a chain entry: LP(label) ‖ LP(hash).
Bytes LabeledHash(std::string_view label, const Digest& hash)
{
    Bytes m;
    AppendLengthPrefixed(m, AsBytes(label));
    AppendLengthPrefixed(m, hash);
    return m;
}

}  // namespace

namespace box_detail {

Bytes U32Bytes(std::uint32_t v)
{
    Bytes b;
    AppendU32(b, v);
    return b;
}

// A 32-byte hash column; nullopt if the stored value has another size.
std::optional<Digest> DigestOf(const Bytes& b)
{
    if (b.size() != kHashSize) return std::nullopt;
    Digest d{};
    std::copy(b.begin(), b.end(), d.begin());
    return d;
}

}  // namespace box_detail

using box_detail::U32Bytes;

std::string_view SealKindName(SealKind k)
{
    switch (k) {
        case SealKind::Open:
            return "open";
        case SealKind::State:
            return "state";
        case SealKind::Close:
            return "close";
    }
    return "?";
}

Digest BallotHash(SuiteId suite, const Digest& fingerprint, std::uint32_t kiosk, ByteView body)
{
    return Transcript("pingyi/v1/ballot", suite).Add(fingerprint).AddU32(kiosk).Add(body).Hash();
}

Bytes BallotSigningMessage(const Digest& ballot_hash)
{
    return LabeledHash("pingyi/v1/ballot-signature", ballot_hash);
}

Digest BallotSetHash(SuiteId suite, const Digest& fingerprint, std::uint32_t kiosk, std::vector<Digest> hashes)
{
    std::sort(hashes.begin(), hashes.end());
    Transcript t("pingyi/v1/ballot-set", suite);
    t.Add(fingerprint).AddU32(kiosk).AddU32(static_cast<std::uint32_t>(hashes.size()));
    for (const auto& h : hashes)
        t.Add(h);
    return t.Hash();
}

std::string CloseRecordFingerprint(const Digest& close_seal_hash)
{
    const std::string hex = ToHex(ByteView(close_seal_hash).first(8));
    std::string out;
    for (std::size_t i = 0; i < hex.size(); ++i) {
        if (i > 0 && i % 4 == 0) out.push_back('-');
        out.push_back(hex[i]);
    }
    return out;
}

Digest SealHash(SuiteId suite, const Digest& fingerprint, std::uint32_t kiosk, SealKind kind, ByteView body)
{
    return Transcript("pingyi/v1/seal", suite).Add(fingerprint).AddU32(kiosk).Add(SealKindName(kind)).Add(body).Hash();
}

Bytes SealSigningMessage(const Digest& seal_hash)
{
    return LabeledHash("pingyi/v1/seal-signature", seal_hash);
}

std::string OpenSealBody(const Digest& fingerprint, std::uint32_t kiosk, ByteView device_public_key,
                         std::string_view software)
{
    return Canonical(nlohmann::json{{"election", ToHex(fingerprint)},
                                    {"kiosk", kiosk},
                                    {"device_public_key", ToHex(device_public_key)},
                                    {"software", std::string(software)}});
}

std::string StateSealBody(std::uint64_t ballots, const Digest& set)
{
    return Canonical(nlohmann::json{{"ballots", ballots}, {"set", ToHex(set)}});
}

std::string CloseSealBody(std::uint64_t ballots, const Digest& set, std::uint64_t events, const Digest& events_head)
{
    return Canonical(nlohmann::json{
        {"ballots", ballots}, {"set", ToHex(set)}, {"events", events}, {"events_head", ToHex(events_head)}});
}

Bytes BallotBody(std::uint32_t category, const EncryptedGrid& grid)
{
    Bytes b = U32Bytes(category);
    AppendBytes(b, grid.Encode());
    return b;
}

std::string TrackingCode(const Digest& record_hash)
{
    // 40 bits of the ballot hash in the code alphabet: 8 characters.
    std::uint64_t v = 0;
    for (int i = 0; i < 5; ++i)
        v = (v << 8) | record_hash[static_cast<std::size_t>(i)];
    std::string out;
    for (int i = 0; i < 8; ++i) {
        out.push_back(kCodeAlphabet[v % kCodeAlphabet.size()]);
        v /= kCodeAlphabet.size();
    }
    return out.substr(0, 4) + "-" + out.substr(4);
}

namespace {

// The body of an event of this kind; nullopt for another kind or a body that is no JSON object.
std::optional<nlohmann::json> EventBodyOf(const EventRecord& e, BoxEvent kind)
{
    auto j = ParseJson(e.body);
    if (!j || !j->is_object() || !j->contains("event") || !j->at("event").is_string() ||
        j->at("event").get<std::string>() != BoxEventName(kind))
        return std::nullopt;
    return std::move(*j);
}

}  // namespace

std::optional<SpoiledRecord> SpoiledBallotOf(const EventRecord& e)
{
    const auto j = EventBodyOf(e, BoxEvent::BallotSpoiled);
    if (!j || !j->contains("ballot") || !j->contains("nonces") || !j->at("ballot").is_string() ||
        !j->at("nonces").is_string())
        return std::nullopt;
    auto ballot = FromHex(j->at("ballot").get<std::string>());
    auto nonces = FromHex(j->at("nonces").get<std::string>());
    if (!ballot || !nonces) return std::nullopt;
    return SpoiledRecord{std::move(*ballot), std::move(*nonces)};
}

std::optional<bool> CheckModeOf(const EventRecord& e)
{
    const auto j = EventBodyOf(e, BoxEvent::CheckMode);
    if (!j || !j->contains("on") || !j->at("on").is_boolean()) return std::nullopt;
    return j->at("on").get<bool>();
}

Result<std::vector<std::uint32_t>> OpenSpoiledGrid(const Point& public_key, const GridShape& shape,
                                                   const EncryptedGrid& grid, ByteView nonces)
{
    const std::size_t cells = std::size_t{shape.rows} * shape.cols;
    if (grid.cells.size() != cells || nonces.size() != cells * kScalarSize)
        return MakeError("spoiled.nonces", "the revealed nonces are not one per cell of the ballot");
    const Group& g = public_key.group();
    std::vector<std::uint32_t> choices(shape.rows, 0);
    for (std::uint32_t i = 0; i < shape.rows; ++i) {
        std::uint32_t ones = 0;
        for (std::uint32_t j = 0; j < shape.cols; ++j) {
            const std::size_t idx = std::size_t{i} * shape.cols + j;
            const std::string where = " (member " + std::to_string(i) + ", option " + std::to_string(j) + ")";
            auto r = Scalar::Decode(g, nonces.subspan(idx * kScalarSize, kScalarSize));
            if (!r || r->IsZero()) return MakeError("spoiled.nonces", "a revealed nonce is not a scalar" + where);
            const Ciphertext& ct = grid.cells[idx];
            // A = r·G pins the nonce; then B - r·K is m·G, and m must be 0 or 1.
            if (!(MulBase(*r) == ct.a))
                return MakeError("spoiled.nonces", "a revealed nonce does not reproduce its ciphertext" + where);
            if (Encrypt(public_key, 1, *r) == ct) {
                choices[i] = j;
                ++ones;
            } else if (!(Encrypt(public_key, 0, *r) == ct)) {
                return MakeError("spoiled.nonces",
                                 "a revealed nonce does not reproduce its ciphertext as 0 or 1" + where);
            }
        }
        if (ones != 1)
            return MakeError("spoiled.nonces", "member " + std::to_string(i) + " has " + std::to_string(ones) +
                                                   " options chosen, not one");
    }
    return choices;
}

std::string_view BoxEventName(BoxEvent e)
{
    for (const auto& [event, name] : kEventNames)
        if (event == e) return name;
    return "?";
}

std::optional<BoxEvent> BoxEventFromName(std::string_view name)
{
    for (const auto& [event, n] : kEventNames)
        if (n == name) return event;
    return std::nullopt;
}

Digest EventHash(SuiteId suite, const Digest& prev, std::uint64_t seq, ByteView body)
{
    return Transcript("pingyi/v1/event", suite).Add(prev).AddU32(static_cast<std::uint32_t>(seq)).Add(body).Hash();
}

Bytes EventSigningMessage(const Digest& hash)
{
    return LabeledHash("pingyi/v1/event-signature", hash);
}

}  // namespace pingyi
