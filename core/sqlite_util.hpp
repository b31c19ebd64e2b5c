// Owned SQLite handles: connections and statements move, never copy; transactions roll
// back unless committed.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/result.hpp"

namespace pingyi::sql {

struct StmtFinalize {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

class Stmt {
  public:
    Stmt(sqlite3* db, std::string_view sql);
    Stmt& Bind(int idx, std::int64_t v);
    Stmt& Bind(int idx, std::string_view text);
    Stmt& Bind(int idx, ByteView blob);
    // SQLITE_ROW → true, SQLITE_DONE → false, anything else throws SqlError.
    bool Step();
    void Reset();
    [[nodiscard]] std::int64_t Int(int col) const;
    [[nodiscard]] std::string Text(int col) const;
    [[nodiscard]] Bytes Blob(int col) const;

  private:
    sqlite3* m_db;
    std::unique_ptr<sqlite3_stmt, StmtFinalize> m_stmt;
};

struct SqlError : std::runtime_error {
    SqlError(int code_, const std::string& what) : std::runtime_error(what), code(code_) {}
    int code;
};

void Exec(sqlite3* db, const char* sql);

class Transaction {
  public:
    explicit Transaction(sqlite3* db);  // BEGIN IMMEDIATE
    ~Transaction();                     // ROLLBACK unless committed
    void Commit();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

  private:
    sqlite3* m_db;
    bool m_done = false;
};

// Translates a SQLite failure into words a user can act on (disk full, read-only, damaged).
Error DescribeSqlError(int code, const std::string& what);

}  // namespace pingyi::sql
