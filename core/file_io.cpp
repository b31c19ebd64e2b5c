#include "core/file_io.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
// windows.h first: the security headers depend on it.
#include <aclapi.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#endif

namespace fs = std::filesystem;

namespace pingyi {
namespace {

Error WriteError(const fs::path& path, const std::string& why)
{
    return MakeError("file.write", "cannot write " + path.string() + ": " + why);
}

fs::path TempPath(const fs::path& path)
{
    return path.string() + ".tmp";
}

#ifdef _WIN32

std::string LastErrorText(DWORD err)
{
    return std::system_category().message(static_cast<int>(err));
}

// The owner-only security descriptor: a protected DACL allowing full access to the
// process's user, LocalSystem and BUILTIN\Administrators, nobody else. Holds the SIDs and
// the ACL it points into, so it neither copies nor moves.
class OwnerOnlySecurity {
  public:
    OwnerOnlySecurity(const OwnerOnlySecurity&) = delete;
    OwnerOnlySecurity& operator=(const OwnerOnlySecurity&) = delete;

    static Result<std::unique_ptr<OwnerOnlySecurity>> Make()
    {
        auto s = std::unique_ptr<OwnerOnlySecurity>(new OwnerOnlySecurity());
        if (Status st = s->Init(); !st) return st.error();
        return s;
    }

    SECURITY_ATTRIBUTES* attributes() { return &m_attributes; }
    PSECURITY_DESCRIPTOR descriptor() { return &m_descriptor; }
    PACL acl() { return reinterpret_cast<PACL>(m_acl.data()); }

    // True if `sid` is one of the accounts this descriptor allows.
    bool Allows(PSID sid) const
    {
        return EqualSid(sid, user()) || EqualSid(sid, Sid(m_system)) || EqualSid(sid, Sid(m_admins));
    }

  private:
    OwnerOnlySecurity() = default;

    static PSID Sid(const std::vector<BYTE>& b) { return const_cast<BYTE*>(b.data()); }
    PSID user() const { return reinterpret_cast<const TOKEN_USER*>(m_token_user.data())->User.Sid; }

    Status Init()
    {
        HANDLE token = nullptr;
        if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
            return MakeError("file.security", "cannot read this account's identity: " + LastErrorText(GetLastError()));
        DWORD len = 0;
        GetTokenInformation(token, TokenUser, nullptr, 0, &len);
        m_token_user.resize(len);
        const BOOL got = GetTokenInformation(token, TokenUser, m_token_user.data(), len, &len);
        const DWORD err = GetLastError();
        CloseHandle(token);
        if (!got) return MakeError("file.security", "cannot read this account's identity: " + LastErrorText(err));
        for (auto [type, out] :
             {std::pair{WinLocalSystemSid, &m_system}, std::pair{WinBuiltinAdministratorsSid, &m_admins}}) {
            DWORD size = SECURITY_MAX_SID_SIZE;
            out->resize(size);
            if (!CreateWellKnownSid(type, nullptr, out->data(), &size))
                return MakeError("file.security", "cannot name a system account: " + LastErrorText(GetLastError()));
        }
        const PSID sids[] = {user(), Sid(m_system), Sid(m_admins)};
        DWORD acl_size = sizeof(ACL);
        for (PSID sid : sids)
            acl_size += static_cast<DWORD>(sizeof(ACCESS_ALLOWED_ACE) - sizeof(DWORD)) + GetLengthSid(sid);
        m_acl.resize(acl_size);
        if (!InitializeAcl(acl(), acl_size, ACL_REVISION))
            return MakeError("file.security", "cannot build an access list: " + LastErrorText(GetLastError()));
        for (PSID sid : sids) {
            if (!AddAccessAllowedAce(acl(), ACL_REVISION, FILE_ALL_ACCESS, sid))
                return MakeError("file.security", "cannot build an access list: " + LastErrorText(GetLastError()));
        }
        if (!InitializeSecurityDescriptor(&m_descriptor, SECURITY_DESCRIPTOR_REVISION) ||
            !SetSecurityDescriptorDacl(&m_descriptor, TRUE, acl(), FALSE) ||
            !SetSecurityDescriptorControl(&m_descriptor, SE_DACL_PROTECTED, SE_DACL_PROTECTED))
            return MakeError("file.security", "cannot build a security descriptor: " + LastErrorText(GetLastError()));
        m_attributes.nLength = sizeof(m_attributes);
        m_attributes.lpSecurityDescriptor = &m_descriptor;
        m_attributes.bInheritHandle = FALSE;
        return Status::Ok();
    }

    std::vector<BYTE> m_token_user;
    std::vector<BYTE> m_system;
    std::vector<BYTE> m_admins;
    std::vector<BYTE> m_acl;
    SECURITY_DESCRIPTOR m_descriptor{};
    SECURITY_ATTRIBUTES m_attributes{};
};

// True if the volume holding `path` stores ACLs at all (NTFS does, FAT does not).
bool VolumeKeepsAcls(const fs::path& path)
{
    wchar_t root[MAX_PATH + 1] = {};
    const fs::path absolute = fs::absolute(path);
    if (!GetVolumePathNameW(absolute.c_str(), root, MAX_PATH)) return true;
    DWORD flags = 0;
    if (!GetVolumeInformationW(root, nullptr, 0, nullptr, nullptr, &flags, nullptr, 0)) return true;
    return (flags & FS_PERSISTENT_ACLS) != 0;
}

// Creates `path` (which must not exist) with `access`; returns the handle or an error.
Result<HANDLE> CreateNew(const fs::path& path, FileAccess access, DWORD rights)
{
    std::unique_ptr<OwnerOnlySecurity> security;
    if (access == FileAccess::kOwnerOnly) {
        auto made = OwnerOnlySecurity::Make();
        if (!made) return made.error();
        security = std::move(made).value();
    }
    const HANDLE h = CreateFileW(path.c_str(), rights, 0, security ? security->attributes() : nullptr, CREATE_NEW,
                                 FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
        const DWORD err = GetLastError();
        if (err == ERROR_FILE_EXISTS || err == ERROR_ALREADY_EXISTS)
            return MakeError("file.exists", "a file already exists at " + path.string());
        return WriteError(path, LastErrorText(err));
    }
    return h;
}

#else

std::string ErrnoText(int err)
{
    return std::generic_category().message(err);
}

Result<int> CreateNew(const fs::path& path, FileAccess access)
{
    const mode_t mode = access == FileAccess::kOwnerOnly ? 0600 : 0666;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        const int err = errno;
        if (err == EEXIST) return MakeError("file.exists", "a file already exists at " + path.string());
        return WriteError(path, ErrnoText(err));
    }
    // The mode above passed through the umask; owner-only stays owner-only, and the
    // explicit fchmod makes sure nothing wider survives an unusual umask.
    if (access == FileAccess::kOwnerOnly && ::fchmod(fd, 0600) != 0) {
        const int err = errno;
        ::close(fd);
        return WriteError(path, ErrnoText(err));
    }
    return fd;
}

// Makes a rename inside `dir` durable: without this a power cut may bring the old name back.
void SyncDirectory(const fs::path& dir)
{
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)::fsync(fd);
        ::close(fd);
    }
}

#endif

}  // namespace

std::uint64_t MaxFileBytes(FileKind kind)
{
    constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
    switch (kind) {
        case FileKind::kPackage:
        case FileKind::kResults:
        case FileKind::kTrustee:
            return 64 * kMiB;  // kMaxJsonBytes
        case FileKind::kBox:
            return std::uint64_t{16} << 30;  // 16 GiB; its rows are capped by its package (§4.7)
        case FileKind::kDecisions:
        case FileKind::kRoster:
        case FileKind::kCatalog:
            return 16 * kMiB;
        case FileKind::kKeyFile:
        case FileKind::kSettings:
        case FileKind::kDeviceList:
            return kMiB;
    }
    return 0;
}

namespace {

Error ReadError(const fs::path& path, const std::string& why)
{
    return MakeError("file.read", "cannot read " + path.string() + ": " + why);
}

Error NotAFile(const fs::path& path, const char* what)
{
    return MakeError("file.type", path.string() + " is " + what + ", not a file");
}

Error TooLarge(const fs::path& path, std::uint64_t size, FileKind kind)
{
    return MakeError("file.too_large", path.string() + " has " + std::to_string(size) +
                                           " bytes; a file of its kind may have at most " +
                                           std::to_string(MaxFileBytes(kind)));
}

// The refusal for a file of this type and size, if any.
std::optional<Error> Refusal(const fs::path& path, fs::file_type type, std::uint64_t size, FileKind kind)
{
    switch (type) {
        case fs::file_type::regular:
            if (size > MaxFileBytes(kind)) return TooLarge(path, size, kind);
            return std::nullopt;
        case fs::file_type::directory:
            return NotAFile(path, "a folder");
        case fs::file_type::fifo:
            return NotAFile(path, "a pipe");
        case fs::file_type::character:
        case fs::file_type::block:
            return NotAFile(path, "a device");
        case fs::file_type::not_found:
            return ReadError(path, "there is no such file");
        default:
            return NotAFile(path, "something other than a regular file");
    }
}

#ifndef _WIN32
fs::file_type TypeOf(mode_t mode)
{
    return S_ISREG(mode)    ? fs::file_type::regular
           : S_ISDIR(mode)  ? fs::file_type::directory
           : S_ISFIFO(mode) ? fs::file_type::fifo
           : S_ISCHR(mode)  ? fs::file_type::character
           : S_ISBLK(mode)  ? fs::file_type::block
                            : fs::file_type::unknown;
}
#endif

}  // namespace

Status CheckInputFile(const fs::path& path, FileKind kind)
{
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec && status.type() != fs::file_type::not_found) return ReadError(path, ec.message());
    std::uint64_t size = 0;
    if (status.type() == fs::file_type::regular) {
        size = fs::file_size(path, ec);
        if (ec) return ReadError(path, ec.message());
    }
    if (auto refused = Refusal(path, status.type(), size, kind)) return *refused;
    return Status::Ok();
}

Result<Bytes> ReadWholeFile(const fs::path& path, FileKind kind)
{
#ifdef _WIN32
    // No pipes or devices by path here: the type is checked before the file is opened.
    if (Status s = CheckInputFile(path, kind); !s) return s.error();
    std::ifstream in(path, std::ios::binary);
    if (!in) return ReadError(path, "it cannot be opened");
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return ReadError(path, ec.message());
    if (size > MaxFileBytes(kind)) return TooLarge(path, size, kind);
    Bytes data(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (in.bad()) return ReadError(path, "a disk error");
    data.resize(static_cast<std::size_t>(in.gcount()));
    if (in.peek() != std::char_traits<char>::eof()) return ReadError(path, "it grew while it was read");
    return data;
#else
    // O_NONBLOCK: opening a pipe returns at once instead of waiting for a writer; it does
    // nothing to a regular file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const int err = errno;
        return err == ENOENT ? ReadError(path, "there is no such file") : ReadError(path, ErrnoText(err));
    }
    const std::unique_ptr<int, void (*)(int*)> closer(new int(fd), [](int* f) {
        ::close(*f);
        delete f;
    });
    struct stat st {};
    if (::fstat(fd, &st) != 0) return ReadError(path, ErrnoText(errno));
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (auto refused = Refusal(path, TypeOf(st.st_mode), size, kind)) return *refused;
    // One byte more than the size: a file that grew since fstat is seen, and refused.
    Bytes data(static_cast<std::size_t>(size) + 1);
    std::size_t got = 0;
    while (got < data.size()) {
        const ssize_t n = ::read(fd, data.data() + got, data.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ReadError(path, ErrnoText(errno));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got > size) return ReadError(path, "it grew while it was read");
    data.resize(got);
    return data;
#endif
}

Status WriteFileAtomic(const fs::path& path, ByteView data, FileAccess access)
{
    const fs::path tmp = TempPath(path);
    std::error_code ec;
    fs::remove(tmp, ec);  // a leftover of an earlier crash; created afresh so `access` applies
    // Written here, then flushed, renamed into place and the folder synced by CommitFile.
#ifdef _WIN32
    auto created = CreateNew(tmp, access, GENERIC_WRITE);
    if (!created)
        return created.error().code == "file.exists" ? WriteError(path, "temporary file in the way") : created.error();
    const HANDLE h = *created;
    std::size_t done = 0;
    DWORD err = ERROR_SUCCESS;
    while (done < data.size() && err == ERROR_SUCCESS) {
        const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(data.size() - done, 1u << 30));
        DWORD written = 0;
        if (!::WriteFile(h, data.data() + done, chunk, &written, nullptr) || written == 0)
            err = GetLastError() != ERROR_SUCCESS ? GetLastError() : ERROR_WRITE_FAULT;
        done += written;
    }
    CloseHandle(h);
    if (err != ERROR_SUCCESS) {
        fs::remove(tmp, ec);
        return WriteError(path, LastErrorText(err));
    }
#else
    auto created = CreateNew(tmp, access);
    if (!created)
        return created.error().code == "file.exists" ? WriteError(path, "temporary file in the way") : created.error();
    const int fd = *created;
    std::size_t done = 0;
    int err = 0;
    while (done < data.size() && err == 0) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            err = n < 0 ? errno : EIO;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0 && err == 0) err = errno;
    if (err != 0) {
        fs::remove(tmp, ec);
        return WriteError(path, ErrnoText(err));
    }
#endif
    return CommitFile(tmp, path);
}

Status CommitFile(const fs::path& from, const fs::path& to)
{
    std::error_code ec;
#ifdef _WIN32
    DWORD err = ERROR_SUCCESS;
    const HANDLE h =
        CreateFileW(from.c_str(), GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
        err = GetLastError();
    } else {
        if (!FlushFileBuffers(h)) err = GetLastError();
        CloseHandle(h);
    }
    if (err == ERROR_SUCCESS &&
        !MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        err = GetLastError();
    if (err != ERROR_SUCCESS) {
        fs::remove(from, ec);
        return WriteError(to, LastErrorText(err));
    }
#else
    int err = 0;
    const int fd = ::open(from.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        err = errno;
    } else {
        if (::fsync(fd) != 0) err = errno;
        if (::close(fd) != 0 && err == 0) err = errno;
    }
    if (err == 0 && ::rename(from.c_str(), to.c_str()) != 0) err = errno;
    if (err != 0) {
        fs::remove(from, ec);
        return WriteError(to, ErrnoText(err));
    }
    SyncDirectory(to.parent_path());
#endif
    return Status::Ok();
}

Status CreateOwnerOnlyFile(const fs::path& path)
{
#ifdef _WIN32
    auto created = CreateNew(path, FileAccess::kOwnerOnly, GENERIC_WRITE);
    if (!created) return created.error();
    CloseHandle(*created);
#else
    auto created = CreateNew(path, FileAccess::kOwnerOnly);
    if (!created) return created.error();
    ::close(*created);
#endif
    return Status::Ok();
}

Status RestrictToOwner(const fs::path& path)
{
#ifdef _WIN32
    auto security = OwnerOnlySecurity::Make();
    if (!security) return security.error();
    // SetFileSecurityW, not SetNamedSecurityInfoW: the descriptor is applied as it is (a
    // protected DACL with exactly our entries; nothing to propagate below a file), and Wine —
    // where the Windows tests run — implements only this path.
    if (!SetFileSecurityW(path.c_str(), DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                          (*security)->descriptor())) {
        const DWORD err = GetLastError();
        if (!VolumeKeepsAcls(path)) return Status::Ok();
        return MakeError("file.security", "cannot restrict access to " + path.string() + ": " + LastErrorText(err));
    }
#else
    if (::chmod(path.c_str(), 0600) != 0)
        return MakeError("file.security", "cannot restrict access to " + path.string() + ": " + ErrnoText(errno));
#endif
    return Status::Ok();
}

Result<bool> IsOwnerOnly(const fs::path& path)
{
#ifdef _WIN32
    auto security = OwnerOnlySecurity::Make();
    if (!security) return security.error();
    PACL dacl = nullptr;
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    std::wstring name = path.wstring();
    const DWORD err = GetNamedSecurityInfoW(name.data(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr,
                                            &dacl, nullptr, &descriptor);
    if (err != ERROR_SUCCESS)
        return MakeError("file.read", "cannot read the permissions of " + path.string() + ": " + LastErrorText(err));
    std::unique_ptr<void, decltype(&LocalFree)> hold(descriptor, &LocalFree);
    // Who may open the file now: every allow entry must name one of our three accounts.
    // (Whether the DACL is marked protected is not checked: Wine does not keep that mark.)
    if (dacl == nullptr) return false;  // a NULL DACL lets everyone in
    ACL_SIZE_INFORMATION info{};
    if (!GetAclInformation(dacl, &info, sizeof(info), AclSizeInformation)) return false;
    for (DWORD i = 0; i < info.AceCount; ++i) {
        void* ace = nullptr;
        if (!GetAce(dacl, i, &ace)) return false;
        const auto* header = static_cast<const ACE_HEADER*>(ace);
        if (header->AceType == ACCESS_DENIED_ACE_TYPE) continue;
        if (header->AceType != ACCESS_ALLOWED_ACE_TYPE) return false;
        auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(ace);
        if (!(*security)->Allows(reinterpret_cast<PSID>(&allowed->SidStart))) return false;
    }
    return true;
#else
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return MakeError("file.read", "cannot read the permissions of " + path.string() + ": " + ErrnoText(errno));
    return (st.st_mode & 077) == 0;
#endif
}

}  // namespace pingyi
