#include "core/sqlite_util.hpp"

namespace pingyi::sql {

Stmt::Stmt(sqlite3* db, std::string_view sql) : m_db(db)
{
    sqlite3_stmt* s = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
    m_stmt.reset(s);
    if (rc != SQLITE_OK) throw SqlError(rc, sqlite3_errmsg(db));
}

Stmt& Stmt::Bind(int idx, std::int64_t v)
{
    if (const int rc = sqlite3_bind_int64(m_stmt.get(), idx, v); rc != SQLITE_OK)
        throw SqlError(rc, sqlite3_errmsg(m_db));
    return *this;
}

Stmt& Stmt::Bind(int idx, std::string_view text)
{
    if (const int rc =
            sqlite3_bind_text(m_stmt.get(), idx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        throw SqlError(rc, sqlite3_errmsg(m_db));
    return *this;
}

Stmt& Stmt::Bind(int idx, ByteView blob)
{
    if (const int rc =
            sqlite3_bind_blob(m_stmt.get(), idx, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        throw SqlError(rc, sqlite3_errmsg(m_db));
    return *this;
}

bool Stmt::Step()
{
    const int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SqlError(rc, sqlite3_errmsg(m_db));
}

void Stmt::Reset()
{
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
}

std::int64_t Stmt::Int(int col) const
{
    return sqlite3_column_int64(m_stmt.get(), col);
}

std::string Stmt::Text(int col) const
{
    const auto* p = sqlite3_column_text(m_stmt.get(), col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(m_stmt.get(), col)))
             : std::string();
}

Bytes Stmt::Blob(int col) const
{
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt.get(), col));
    const int n = sqlite3_column_bytes(m_stmt.get(), col);
    return p ? Bytes(p, p + n) : Bytes();
}

void Exec(sqlite3* db, const char* sql)
{
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw SqlError(rc, msg);
    }
}

Transaction::Transaction(sqlite3* db) : m_db(db)
{
    Exec(db, "BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!m_done) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::Commit()
{
    Exec(m_db, "COMMIT");
    m_done = true;
}

Error DescribeSqlError(int code, const std::string& what)
{
    switch (code & 0xff) {
        case SQLITE_FULL:
            return MakeError("box.disk_full", "the disk is full: nothing was written (" + what + ")");
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_CANTOPEN:
            return MakeError("box.io", "the ballot box file cannot be written or opened (" + what + ")");
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return MakeError("box.damaged", "the ballot box file is damaged or is not a ballot box (" + what + ")");
        case SQLITE_IOERR:
            return MakeError("box.io", "a disk error occurred: nothing was written (" + what + ")");
        default:
            return MakeError("box.sql", "the ballot box database reported an error (" + what + ")");
    }
}

}  // namespace pingyi::sql
