#include "app/files.hpp"

#include "core/file_io.hpp"

namespace pingyi::app {

Result<Bytes> ReadFile(const std::filesystem::path& p, FileKind kind)
{
    auto data = ReadWholeFile(p, kind);
    if (!data) {
        const std::string& code = data.error().code;
        const char* zh = code == "file.type"        ? "不是普通文件，无法读取"
                         : code == "file.too_large" ? "文件过大，不是此类文件"
                                                    : "无法读取文件";
        return MakeError(code, data.error().detail + " (" + zh + ")");
    }
    return data;
}

Status WriteFile(const std::filesystem::path& p, ByteView data, bool secret)
{
    return WriteFileAtomic(p, data, secret ? FileAccess::kOwnerOnly : FileAccess::kDefault);
}

std::size_t CountCodePoints(ByteView utf8)
{
    std::size_t n = 0;
    for (const std::uint8_t b : utf8)
        n += (b & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

Status CheckPassphrase(const SecretBytes& passphrase)
{
    if (CountCodePoints(passphrase.view()) < kMinPassphraseChars)
        return MakeError("passphrase.weak", "the passphrase must have at least 8 characters (口令至少8个字符)");
    return Status::Ok();
}

}  // namespace pingyi::app
