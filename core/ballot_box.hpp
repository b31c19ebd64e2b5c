// The ballot box: one SQLite file per kiosk (docs/formats.md §4).
//
// Casting is one durable transaction: the code is marked used in place, the signed ballot
// record is appended to the hash chain — or nothing happens. WAL with synchronous=FULL,
// secure_delete on, a checkpoint after every cast (so no write-ahead log keeps the order of
// code and ballot), VACUUM at close. No timestamps anywhere.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "core/package.hpp"
#include "crypto/grid.hpp"

struct sqlite3;

namespace pingyi {

inline constexpr int kBoxSchemaVersion = 1;

enum class RecordKind { Open, Ballot, Close };
std::string_view RecordKindName(RecordKind k);

struct BoxRecord {
    std::uint64_t seq = 0;
    RecordKind kind = RecordKind::Open;
    Bytes body;
    Digest hash{};
    Bytes signature;
};

// h_i = H("pingyi/v1/record"; h_{i-1}, be32(seq), kind, body), h_{-1} = the election fingerprint.
Digest RecordHash(const Digest& prev, std::uint64_t seq, RecordKind kind, ByteView body);
// What the kiosk signs: LP("pingyi/v1/record-signature") ‖ LP(h_i).
Bytes RecordSigningMessage(const Digest& hash);
// A ballot record body: be32(category) ‖ encoded grid.
Bytes BallotBody(std::uint32_t category, const EncryptedGrid& grid);
// A short code the voter can look up in the published list: "ABCD-EFGH" from h_i.
std::string TrackingCode(const Digest& record_hash);

struct CodeStatus {
    enum class Kind { Valid, Unknown, Used, OtherKiosk, Closed } kind = Kind::Unknown;
    std::uint32_t category = 0;
};

struct CastReceipt {
    std::uint64_t seq = 0;
    Digest hash{};
    std::string tracking_code;
};

struct CategoryCount {
    std::uint32_t issued = 0;  // codes of this kiosk
    std::uint32_t used = 0;
};

struct SqliteClose {
    void operator()(sqlite3* db) const;
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteClose>;

class BallotBox {
  public:
    // Makes a new box for kiosk `kiosk` (1-based) from a verified package: the device key
    // (sealed with the operator PIN into `<box>.key`), this kiosk's codes, the signed open record.
    static Result<BallotBox> Create(const std::filesystem::path& path, const ElectionPackage& package,
                                    std::uint32_t kiosk, std::string_view operator_pin, Rng& rng, KdfParams kdf = {});
    // Reopens a box to go on voting after a restart (the PIN unseals the device key).
    static Result<BallotBox> Resume(const std::filesystem::path& path, std::string_view operator_pin);

    BallotBox(BallotBox&&) noexcept = default;
    BallotBox& operator=(BallotBox&&) noexcept = default;
    ~BallotBox() = default;

    [[nodiscard]] CodeStatus CheckCode(std::string_view normalized_code) const;
    // The casting transaction. Verifies the grid's proofs first (a kiosk never stores a
    // ballot it could not defend), then marks the code and appends the record, durably.
    Result<CastReceipt> Cast(std::string_view normalized_code, const EncryptedGrid& grid);
    // Signed close record (count, head), then VACUUM. After this, Cast refuses.
    Status Close();
    // A consistent copy of the closed box (VACUUM INTO) for the admin's USB stick.
    Status Export(const std::filesystem::path& to) const;

    [[nodiscard]] bool closed() const { return m_closed; }
    [[nodiscard]] std::uint64_t ballots() const { return m_ballots; }
    [[nodiscard]] std::vector<CategoryCount> Counts() const;
    [[nodiscard]] const ElectionPackage& package() const { return m_package; }
    [[nodiscard]] std::uint32_t kiosk() const { return m_kiosk; }
    [[nodiscard]] const Bytes& device_public_key() const { return m_device.public_key(); }

  private:
    BallotBox(SqlitePtr db, ElectionPackage pkg, SigningKey device, std::uint32_t kiosk);
    Status Append(RecordKind kind, ByteView body, CastReceipt* receipt);
    Status LoadChainHead();

    SqlitePtr m_db;
    ElectionPackage m_package;
    SigningKey m_device;
    std::uint32_t m_kiosk = 1;
    std::uint64_t m_next_seq = 0;
    std::uint64_t m_ballots = 0;
    Digest m_head{};
    bool m_closed = false;
};

// Everything in a box file, read-only, for verification and the tally. Checks nothing
// beyond the schema: verify.cpp does the checking.
struct BoxContents {
    Bytes package_file;
    std::uint32_t kiosk = 0;
    Bytes device_public_key;
    std::vector<BoxRecord> records;
    std::vector<std::pair<Digest, std::pair<std::uint32_t, bool>>> codes;  // hash -> (category, used)
};
Result<BoxContents> ReadBox(const std::filesystem::path& path);

}  // namespace pingyi
