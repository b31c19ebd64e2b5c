#include "core/package.hpp"

#include <algorithm>
#include <set>

#include "crypto/secret.hpp"

namespace pingyi {
namespace {

constexpr std::string_view kPackageFormat = "pingyi-election-package";

Error Bad(std::string code, std::string detail)
{
    return MakeError("package." + code, std::move(detail));
}

Digest Fingerprint(SuiteId suite, const std::string& canonical_body)
{
    return Transcript("pingyi/v1/election-fingerprint", suite).Add(canonical_body).Hash();
}

}  // namespace

Bytes PackageSigningMessage(const std::string& canonical_body)
{
    Bytes m;
    AppendLengthPrefixed(m, AsBytes("pingyi/v1/package-signature"));
    AppendLengthPrefixed(m, AsBytes(canonical_body));
    return m;
}

std::string Canonical(const nlohmann::json& j)
{
    return j.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::strict);
}

std::string GenerateCode(Rng& rng)
{
    std::string code;
    while (code.size() < kCodeLength) {
        std::uint8_t b[1];
        rng.Fill(b);
        // Rejection sampling: 248 = 8·31 keeps the choice uniform.
        if (b[0] < 248) code.push_back(kCodeAlphabet[b[0] % kCodeAlphabet.size()]);
    }
    return FormatCode(code);
}

std::optional<std::string> NormalizeCode(std::string_view typed)
{
    std::string out;
    for (std::size_t i = 0; i < typed.size(); ++i) {
        unsigned char ch = static_cast<unsigned char>(typed[i]);
        // Full-width ASCII (U+FF01..U+FF5E, UTF-8 EF BC 81 .. EF BD 9E) as typed by a Chinese IME.
        if (ch == 0xEF && i + 2 < typed.size()) {
            const unsigned b1 = static_cast<unsigned char>(typed[i + 1]);
            const unsigned b2 = static_cast<unsigned char>(typed[i + 2]);
            const unsigned cp = ((ch & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                ch = static_cast<unsigned char>(cp - 0xFF01 + 0x21);
                i += 2;
            }
        } else if (ch == 0xE3 && i + 2 < typed.size() && static_cast<unsigned char>(typed[i + 1]) == 0x80 &&
                   static_cast<unsigned char>(typed[i + 2]) == 0x80) {
            i += 2;  // U+3000 ideographic space
            continue;
        }
        if (ch == ' ' || ch == '-' || ch == '\t' || ch == '_' || ch == '\r' || ch == '\n') continue;
        if (ch >= 'a' && ch <= 'z') ch = static_cast<unsigned char>(ch - 'a' + 'A');
        if (kCodeAlphabet.find(static_cast<char>(ch)) == std::string_view::npos) return std::nullopt;
        out.push_back(static_cast<char>(ch));
    }
    if (out.size() != kCodeLength) return std::nullopt;
    return out;
}

std::string FormatCode(std::string_view normalized)
{
    std::string out;
    for (std::size_t i = 0; i < normalized.size(); ++i) {
        if (i > 0 && i % 4 == 0) out.push_back('-');
        out.push_back(normalized[i]);
    }
    return out;
}

Digest HashCode(SuiteId suite, ByteView salt, std::string_view normalized)
{
    // What Transcript("pingyi/v1/code").Add(salt).Add(normalized).Hash() hashes, in one buffer
    // reserved up front (no reallocation leaves a copy) and wiped: it holds the code.
    constexpr std::string_view kTag = "pingyi/v1/code";
    Bytes m;
    m.reserve(12 + kTag.size() + salt.size() + normalized.size());
    AppendLengthPrefixed(m, AsBytes(kTag));
    AppendLengthPrefixed(m, salt);
    AppendLengthPrefixed(m, AsBytes(normalized));
    const Digest d = SuiteHash(suite, m);
    Wipe(m);
    return d;
}

std::string ToUpperHex(const Digest& fp)
{
    std::string hex = ToHex(fp);
    for (char& ch : hex)
        if (ch >= 'a' && ch <= 'f') ch = static_cast<char>(ch - 'a' + 'A');
    return hex;
}

std::string ShortFingerprint(const Digest& fp)
{
    const std::string hex = ToHex(ByteView(fp).first(kShortFingerprintBytes));
    std::string out;
    for (std::size_t i = 0; i < hex.size(); ++i) {
        if (i > 0 && i % 4 == 0) out.push_back(' ');
        out.push_back(hex[i]);
    }
    return out;
}

nlohmann::json ElectionPackage::Body() const
{
    nlohmann::json codes_json = nlohmann::json::array();
    for (const auto& c : codes)
        codes_json.push_back({{"hash", ToHex(c.hash)}, {"category", c.category}, {"kiosk", c.kiosk}});
    nlohmann::json body = {{"format", kPackageFormat},
                           {"version", version},
                           {"election", ToJson(definition)},
                           {"suite", std::string(group().Name())},
                           {"public_key", ToHex(public_key.Encode())},
                           {"admin_public_key", ToHex(admin_public_key)},
                           {"code_salt", ToHex(code_salt)},
                           {"codes", codes_json}};
    if (trustees)
        body["trustees"] = trustees->ToJson();
    else
        body["key_proof"] = ToHex(key_proof.Encode());
    return body;
}

Bytes ElectionPackage::Serialize() const
{
    const nlohmann::json file = {{"body", Body()}, {"signature", ToHex(signature)}};
    const std::string text = file.dump(1, ' ', false, nlohmann::json::error_handler_t::strict) + "\n";
    return Bytes(text.begin(), text.end());
}

GridShape ElectionPackage::Shape() const
{
    GridShape shape = definition.Shape();
    shape.form =
        version == kPackageVersionChallengeResponse ? ProofForm::kChallengeResponse : ProofForm::kWithCommitments;
    return shape;
}

Bytes ElectionPackage::BallotContext(std::uint32_t category) const
{
    Bytes out;
    AppendLengthPrefixed(out, fingerprint);
    AppendU32(out, category);
    return out;
}

Result<CreatedElection> CreateElection(const ElectionDefinition& def, std::string_view passphrase, Rng& rng,
                                       KdfParams kdf, const TrusteeSet* trustees, SuiteId suite)
{
    if (Status s = Validate(def); !s) return s.error();
    try {
        (void)Canonical(ToJson(def));  // rejects invalid UTF-8 before any key is made
    } catch (const nlohmann::json::exception&) {
        return MakeError("election.invalid", "the election definition contains text that is not valid UTF-8");
    }
    if (trustees && trustees->suite() != suite)
        return SuiteMismatch("the trustees' key ceremony", trustees->suite(), suite);
    const Group& g = Group::Get(suite);
    if (trustees)
        if (Status s = VerifyTrusteeSet(*trustees, def, trustees->JointKey()); !s) return s.error();
    std::optional<ElectionKeyPair> key;
    if (!trustees) key.emplace(ElectionKeyPair::Generate(g, rng));
    auto admin = SigningKey::Generate(rng, suite);

    CreatedElection out{ElectionPackage{}, {}, {}, {}};
    ElectionPackage& pkg = out.package;
    pkg.definition = def;
    if (trustees) {
        pkg.trustees = *trustees;
        pkg.public_key = trustees->JointKey();
    } else {
        pkg.public_key = key->public_key();
        pkg.key_proof = ProveKeyKnowledge(*key, AsBytes(def.election_id), rng);
    }
    pkg.admin_public_key = admin.public_key();
    pkg.code_salt.resize(16);
    rng.Fill(pkg.code_salt);

    std::set<std::string> unique;
    for (std::uint32_t cat = 0; cat < def.categories.size(); ++cat) {
        for (std::uint32_t n = 0; n < def.categories[cat].codes; ++n) {
            std::string code;
            do
                code = GenerateCode(rng);
            while (!unique.insert(code).second);
            const std::uint32_t kiosk = 1 + n % def.kiosks;
            pkg.codes.push_back({HashCode(suite, pkg.code_salt, *NormalizeCode(code)), cat, kiosk});
            out.codes.push_back({code, cat, kiosk});
        }
    }
    std::sort(pkg.codes.begin(), pkg.codes.end(), [](const auto& a, const auto& b) { return a.hash < b.hash; });

    const std::string body = Canonical(pkg.Body());
    pkg.fingerprint = Fingerprint(suite, body);
    pkg.signature = admin.Sign(PackageSigningMessage(body));
    if (key) out.election_key_file = SealElectionKey(*key, passphrase, rng, kdf);
    out.admin_key_file = SealSigningKey(admin, passphrase, rng, kdf);
    return out;
}

Error SuiteMismatch(std::string_view what, SuiteId found, SuiteId package)
{
    return MakeError("suite.mismatch", std::string(what) + " is of the " + std::string(SuiteName(found)) +
                                           " suite but the election package of " + std::string(SuiteName(package)) +
                                           ": suites never mix");
}

Result<ElectionPackage> LoadPackage(ByteView file)
{
    auto parsed = ParseJson(file);
    if (!parsed) return Bad("format", "this file is not an election package (" + parsed.error().detail + ")");
    const nlohmann::json& j = *parsed;
    try {
        // Exactly body and signature: nothing unsigned rides along in a signed file.
        if (!HasExactly(j, {"body", "signature"}))
            return Bad("format", "this file is not an election package (exactly body and signature)");
        const nlohmann::json& b = j.at("body");
        if (b.at("format").get<std::string>() != kPackageFormat)
            return Bad("format", "this file is not an election package");
        // Version 1 and 2 differ only in the form of the ballots (protocol.md §5.6).
        const int version = IntegerAt<int>(b, "version");
        if (version != kPackageVersionChallengeResponse && version != kPackageVersionWithCommitments)
            return Bad("version", "the election package is of another version (" + b.at("version").dump() + ")");
        // A trustees' package carries `trustees` in place of `key_proof` (formats.md §2.4).
        if (b.contains("trustees") ? !HasExactly(b, {"format", "version", "election", "suite", "public_key", "trustees",
                                                     "admin_public_key", "code_salt", "codes"})
                                   : !HasExactly(b, {"format", "version", "election", "suite", "public_key",
                                                     "key_proof", "admin_public_key", "code_salt", "codes"}))
            return Bad("format", "the election package has unexpected fields");

        ElectionPackage pkg;
        pkg.version = version;
        auto def = ElectionFromJson(b.at("election"));
        if (!def) return def.error();
        pkg.definition = std::move(def).value();
        const auto suite = SuiteFromName(b.at("suite").get<std::string>());
        if (!suite) return Bad("suite", "the election package uses an unknown cryptographic suite");
        const Group& g = Group::Get(*suite);
        auto hex = [&](const char* field) -> std::optional<Bytes> { return FromHex(b.at(field).get<std::string>()); };
        auto pk_bytes = hex("public_key");
        if (!pk_bytes) return Bad("format", "the public key is not hex");
        auto pk = Point::Decode(g, *pk_bytes);
        if (!pk) return Bad("public_key", "the election public key is not a valid point");
        pkg.public_key = std::move(pk).value();
        if (b.contains("trustees")) {
            auto set = TrusteeSetFromJson(b.at("trustees"), *suite);
            if (!set) return set.error();
            pkg.trustees = std::move(set).value();
        } else {
            auto proof_bytes = hex("key_proof");
            if (!proof_bytes) return Bad("format", "the key proof is not hex");
            auto proof = ChallengeResponse::Decode(g, *proof_bytes);
            if (!proof) return Bad("key_proof", "the election key proof is malformed");
            pkg.key_proof = std::move(proof).value();
        }
        auto admin = hex("admin_public_key");
        auto salt = hex("code_salt");
        auto sig = FromHex(j.at("signature").get<std::string>());
        if (!admin || admin->size() != SigningPublicKeySize(*suite) || !salt || salt->size() != 16 || !sig)
            return Bad("format", "the package's keys or salt are malformed");
        pkg.admin_public_key = std::move(*admin);
        pkg.code_salt = std::move(*salt);
        pkg.signature = std::move(*sig);
        for (const auto& c : b.at("codes")) {
            if (!HasExactly(c, {"hash", "category", "kiosk"}))
                return Bad("codes", "a code entry has unexpected fields");
            CodeRecord rec;
            auto h = FromHex(c.at("hash").get<std::string>());
            if (!h || h->size() != kHashSize) return Bad("codes", "a code hash is malformed");
            std::copy(h->begin(), h->end(), rec.hash.begin());
            rec.category = IntegerAt<std::uint32_t>(c, "category");
            rec.kiosk = IntegerAt<std::uint32_t>(c, "kiosk");
            if (rec.category >= pkg.definition.categories.size() || rec.kiosk == 0 || rec.kiosk > pkg.definition.kiosks)
                return Bad("codes", "a code names a category or kiosk that does not exist");
            if (!pkg.codes.empty() && !(pkg.codes.back().hash < rec.hash))
                return Bad("codes", "the code hashes are not sorted and distinct");
            pkg.codes.push_back(rec);
        }
        for (std::uint32_t cat = 0; cat < pkg.definition.categories.size(); ++cat) {
            const auto n =
                std::count_if(pkg.codes.begin(), pkg.codes.end(), [&](const auto& c) { return c.category == cat; });
            if (static_cast<std::uint32_t>(n) != pkg.definition.categories[cat].codes)
                return Bad("codes", "the number of codes of a category does not match its definition");
        }

        const std::string body = Canonical(pkg.Body());
        if (body != Canonical(b)) return Bad("format", "the election package is not in canonical form");
        if (Status s = VerifySignature(*suite, pkg.admin_public_key, PackageSigningMessage(body), pkg.signature); !s)
            return Bad("signature", "the election package's signature is invalid: the package was altered");
        if (pkg.trustees) {
            if (Status s = VerifyTrusteeSet(*pkg.trustees, pkg.definition, pkg.public_key); !s) return s.error();
        } else if (Status s = VerifyKeyKnowledge(pkg.public_key, pkg.key_proof, AsBytes(pkg.definition.election_id));
                   !s)
            return Bad("key_proof", "the proof of the election key is invalid");
        pkg.fingerprint = Fingerprint(*suite, body);
        return pkg;
    } catch (const JsonValueError& e) {
        return Bad("format", "the election package is malformed: " + e.what);
    } catch (const nlohmann::json::exception& e) {
        return Bad("format", "the election package is malformed: " + JsonErrorWords(e));
    }
}

}  // namespace pingyi
