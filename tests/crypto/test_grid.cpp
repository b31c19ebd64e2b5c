// The encrypted ballot grid (docs/protocol.md §6): honest grids verify on one or more
// threads, and each way to cheat is rejected with the error code and position that name it.
#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/grid.hpp"
#include "crypto/single_decrypt.hpp"
#include "test_util.hpp"

namespace pingyi {
namespace {

using test::G;

Scalar Rand()
{
    return Scalar::Random(G(), SystemRng());
}

// 7 members, 5 options; at most 2 members may get option 0. Form 2 (a version 2 package), and
// the same in form 1.
const GridShape kShape{/*rows=*/7, /*cols=*/5, /*quota_col=*/0, /*quota_max=*/2};
const GridShape kShape1{7, 5, 0, 2, ProofForm::kChallengeResponse};
const std::vector<std::uint32_t> kChoices = {0, 1, 2, 3, 4, 0, 1};

const Bytes& Ctx()
{
    static const Bytes ctx = [] {
        const ByteView v = AsBytes("election-fingerprint-1");
        return Bytes(v.begin(), v.end());
    }();
    return ctx;
}

struct Fixture {
    ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k() const { return key.public_key(); }
    EncryptedGrid Honest(std::span<const std::uint32_t> choices = kChoices, const GridShape& shape = kShape) const
    {
        return EncryptGrid(k(), shape, choices, Ctx(), SystemRng());
    }
};

// A grid built cell by cell, as a dishonest kiosk could: cells hold `plain` (row-major, any
// values); each cell proof is ProveRange with the true nonce, claiming min(m, 1); each row
// proof is ProveConstant with the true row nonce, claiming 1; the quota proof is ProveRange
// with the true column nonce, claiming min(count, quota_max). Each proof is honest exactly
// when its claim is true.
EncryptedGrid BuildGrid(const Point& k, const GridShape& shape, const std::vector<std::uint32_t>& plain)
{
    REQUIRE(plain.size() == std::size_t{shape.rows} * shape.cols);
    EncryptedGrid grid;
    Scalar quota_nonce(G());
    std::uint32_t quota_count = 0;
    for (std::uint32_t i = 0; i < shape.rows; ++i) {
        Scalar row_nonce(G());
        for (std::uint32_t j = 0; j < shape.cols; ++j) {
            const std::uint32_t m = plain[std::size_t{i} * shape.cols + j];
            const Scalar r = Rand();
            const Ciphertext ct = Encrypt(k, m, r);
            grid.cell_proofs.push_back(ProveRange(k, ct, std::min<std::uint32_t>(m, 1), r, 1,
                                                  PositionContext(Ctx(), "cell", i, j), SystemRng()));
            grid.cells.push_back(ct);
            row_nonce += r;
            if (shape.quota_col && j == *shape.quota_col) {
                quota_nonce += r;
                quota_count += m;
            }
        }
        const Ciphertext row_sum = Sum(std::span(grid.cells).subspan(std::size_t{i} * shape.cols, shape.cols));
        grid.row_proofs.push_back(
            ProveConstant(k, row_sum, 1, row_nonce, PositionContext(Ctx(), "row", i, 0), SystemRng()));
    }
    if (shape.quota_col) {
        std::vector<Ciphertext> column;
        for (std::uint32_t i = 0; i < shape.rows; ++i)
            column.push_back(grid.cells[std::size_t{i} * shape.cols + *shape.quota_col]);
        grid.quota_proof =
            ProveRange(k, Sum(column), std::min(quota_count, shape.quota_max), quota_nonce, shape.quota_max,
                       PositionContext(Ctx(), "quota", 0, *shape.quota_col), SystemRng());
    }
    return grid;
}

// The 0/1 matrix of a list of choices.
std::vector<std::uint32_t> Plain(const GridShape& shape, const std::vector<std::uint32_t>& choices)
{
    std::vector<std::uint32_t> plain(std::size_t{shape.rows} * shape.cols, 0);
    for (std::uint32_t i = 0; i < shape.rows; ++i)
        plain[std::size_t{i} * shape.cols + choices[i]] = 1;
    return plain;
}

void CheckFails(const Status& s, std::string_view code, std::string_view where)
{
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == code);
    CHECK_MESSAGE(s.error().detail.find(where) != std::string::npos, s.error().detail);
}

}  // namespace

TEST_CASE("an honest grid verifies on one thread and on several")
{
    const Fixture f;
    const EncryptedGrid grid = f.Honest();
    CHECK(grid.cells.size() == 35);
    CHECK(grid.cell_proofs.size() == 35);
    CHECK(grid.row_proofs.size() == 7);
    CHECK(grid.quota_proof.has_value());
    for (unsigned threads : {0u, 1u, 2u, 3u, 16u}) {
        CAPTURE(threads);
        const Status s = VerifyGrid(f.k(), kShape, grid, Ctx(), threads);
        CHECK_MESSAGE(s.ok(), (s ? std::string() : s.error().detail));
    }
}

TEST_CASE("grids verify at the edges: quota filled exactly, quota unused, no quota, one cell")
{
    const Fixture f;
    // Exactly quota_max members choose the quota option.
    CHECK(VerifyGrid(f.k(), kShape, f.Honest(std::vector<std::uint32_t>{0, 0, 1, 1, 1, 1, 1}), Ctx()).ok());
    // Nobody chooses it.
    CHECK(VerifyGrid(f.k(), kShape, f.Honest(std::vector<std::uint32_t>{4, 4, 4, 4, 4, 4, 4}), Ctx()).ok());
    // An election without a quota, and the smallest grid.
    const GridShape free_shape{3, 2, std::nullopt, 0};
    const EncryptedGrid free_grid = f.Honest(std::vector<std::uint32_t>{1, 0, 1}, free_shape);
    CHECK_FALSE(free_grid.quota_proof.has_value());
    CHECK(VerifyGrid(f.k(), free_shape, free_grid, Ctx(), 2).ok());
    const GridShape one{1, 1, 0, 1};
    CHECK(VerifyGrid(f.k(), one, f.Honest(std::vector<std::uint32_t>{0}, one), Ctx()).ok());
}

TEST_CASE("the cells of an encrypted grid decrypt to the voter's choices")
{
    const Fixture f;
    const EncryptedGrid grid = f.Honest();
    const DiscreteLogTable table(G(), 10);
    for (std::uint32_t i = 0; i < kShape.rows; ++i) {
        for (std::uint32_t j = 0; j < kShape.cols; ++j) {
            CAPTURE(i);
            CAPTURE(j);
            const auto m = table.Find(DecryptToPoint(f.key, grid.cells[std::size_t{i} * kShape.cols + j]));
            REQUIRE(m.has_value());
            CHECK(*m == (kChoices[i] == j ? 1u : 0u));
        }
    }
}

TEST_CASE("the hand-built grid of an honest ballot verifies, so forgeries built with it test one thing")
{
    const Fixture f;
    CHECK(VerifyGrid(f.k(), kShape, BuildGrid(f.k(), kShape, Plain(kShape, kChoices)), Ctx()).ok());
}

TEST_CASE("an encrypted grid survives encode and decode, and its size is EncodedGridSize")
{
    const Fixture f;
    // Form 1: 35 cells·66 + 35 cell proofs·128 + 7 row proofs·64 + quota proof 3·64.
    CHECK(EncodedGridSize(kShape1) == 35 * 66 + 35 * 128 + 7 * 64 + 3 * 64);
    CHECK(EncodedGridSize(GridShape{7, 5, std::nullopt, 0, ProofForm::kChallengeResponse}) ==
          35 * 66 + 35 * 128 + 7 * 64);
    // Form 2: cells 130, cell proofs 4·65 + 128, row proofs 2·65 + 64, quota 3·(2·65 + 64).
    CHECK(EncodedGridSize(kShape) == 35 * 130 + 35 * 388 + 7 * 194 + 3 * 194);
    CHECK(EncodedGridSize(GridShape{7, 5, std::nullopt, 0}) == 35 * 130 + 35 * 388 + 7 * 194);
    for (const GridShape& shape : {kShape1, kShape}) {
        CAPTURE(static_cast<int>(shape.form));
        const EncryptedGrid grid = f.Honest(kChoices, shape);
        CHECK(grid.form == shape.form);
        const Bytes enc = grid.Encode();
        REQUIRE(enc.size() == EncodedGridSize(shape));
        // Cells come first, in row-major order.
        Bytes first =
            shape.form == ProofForm::kChallengeResponse ? grid.cells[0].Encode() : grid.cells[0].a.EncodeUncompressed();
        if (shape.form == ProofForm::kWithCommitments) AppendBytes(first, grid.cells[0].b.EncodeUncompressed());
        CHECK(Bytes(enc.begin(), enc.begin() + static_cast<std::ptrdiff_t>(first.size())) == first);
        auto back = EncryptedGrid::Decode(G(), shape, enc);
        REQUIRE(back.ok());
        CHECK(back->Encode() == enc);
        CHECK(back->cells == grid.cells);
        CHECK(VerifyGrid(f.k(), shape, *back, Ctx()).ok());
        CHECK(VerifyGridOneByOne(f.k(), shape, *back, Ctx()).ok());
        // A grid read in the other form is not a grid.
        const GridShape other = shape.form == ProofForm::kChallengeResponse ? kShape : kShape1;
        CHECK(EncryptedGrid::Decode(G(), other, enc).error().code == "encoding.grid");
    }
}

TEST_CASE("grid decoding rejects a wrong length, a bad point and a bad scalar")
{
    const Fixture f;
    const GridShape kShape = kShape1;  // form 1 here; form 2 in test_grid_batch.cpp
    const Bytes enc = f.Honest(kChoices, kShape).Encode();
    for (std::size_t len : {std::size_t{0}, enc.size() - 1, enc.size() + 1, enc.size() - 192}) {
        CAPTURE(len);
        Bytes b = enc;
        b.resize(len, 0);
        auto g = EncryptedGrid::Decode(G(), kShape, b);
        REQUIRE_FALSE(g.ok());
        CHECK(g.error().code == "encoding.grid");
    }
    // The right bytes for another shape.
    CHECK(EncryptedGrid::Decode(G(), GridShape{7, 5, std::nullopt, 0, kShape.form}, enc).error().code ==
          "encoding.grid");
    CHECK(EncryptedGrid::Decode(G(), GridShape{7, 5, 0, 3, kShape.form}, enc).error().code == "encoding.grid");
    {
        Bytes b = enc;
        b[10 * 66] = 0x04;  // the prefix of cell 10's A
        CHECK(EncryptedGrid::Decode(G(), kShape, b).error().code == "encoding.point");
    }
    {
        Bytes b = enc;
        const std::size_t quota_at = enc.size() - 3 * 64;
        std::fill(b.begin() + static_cast<std::ptrdiff_t>(quota_at),
                  b.begin() + static_cast<std::ptrdiff_t>(quota_at + 32), std::uint8_t{0xff});
        CHECK(EncryptedGrid::Decode(G(), kShape, b).error().code == "encoding.scalar");
    }
}

TEST_CASE("EncryptGrid refuses an exceeded quota, a choice out of range and a wrong number of choices")
{
    const Fixture f;
    auto encrypt = [&](std::vector<std::uint32_t> choices, const GridShape& shape) {
        return EncryptGrid(f.k(), shape, choices, Ctx(), SystemRng());
    };
    CHECK_THROWS_AS(encrypt({0, 0, 0, 1, 1, 1, 1}, kShape), std::invalid_argument);
    CHECK_THROWS_AS(encrypt({0, 1, 2, 3, 5, 0, 1}, kShape), std::invalid_argument);
    CHECK_THROWS_AS(encrypt({0, 1, 2, 3, 4, 0}, kShape), std::invalid_argument);
    CHECK_THROWS_AS(encrypt({0, 1, 2, 3, 4, 0, 1, 2}, kShape), std::invalid_argument);
    CHECK_THROWS_AS(encrypt({}, GridShape{0, 5, std::nullopt, 0}), std::invalid_argument);
    CHECK_THROWS_AS(encrypt({0}, GridShape{1, 0, std::nullopt, 0}), std::invalid_argument);
    CHECK_THROWS_AS(encrypt({0}, GridShape{1, 2, 2, 1}), std::invalid_argument);
}

TEST_CASE("a cell replaced by an encryption of 2 with the old proof fails as proof.cell at that cell")
{
    const Fixture f;
    EncryptedGrid grid = f.Honest();
    grid.cells[std::size_t{2} * kShape.cols + 3] = Encrypt(f.k(), 2, Rand());
    for (unsigned threads : {1u, 2u}) {
        CAPTURE(threads);
        CheckFails(VerifyGrid(f.k(), kShape, grid, Ctx(), threads), "proof.cell", "(member 2, option 3)");
    }
}

TEST_CASE("a cell holding 2 fails as proof.cell even when its proof is made for it with the true nonce")
{
    const Fixture f;
    std::vector<std::uint32_t> plain = Plain(kShape, kChoices);
    // Row 4 chose column 4; make that cell a 2 and the row still has one non-zero cell.
    plain[std::size_t{4} * kShape.cols + 4] = 2;
    CheckFails(VerifyGrid(f.k(), kShape, BuildGrid(f.k(), kShape, plain), Ctx()), "proof.cell", "(member 4, option 4)");
}

TEST_CASE("a row with two 1s fails as proof.row even though every cell proof is valid")
{
    const Fixture f;
    std::vector<std::uint32_t> plain = Plain(kShape, kChoices);
    plain[std::size_t{3} * kShape.cols + 1] = 1;  // row 3 already chose column 3
    const EncryptedGrid grid = BuildGrid(f.k(), kShape, plain);
    for (std::uint32_t j = 0; j < kShape.cols; ++j) {
        const std::size_t idx = std::size_t{3} * kShape.cols + j;
        REQUIRE(
            VerifyRange(f.k(), grid.cells[idx], 1, grid.cell_proofs[idx], PositionContext(Ctx(), "cell", 3, j)).ok());
    }
    for (unsigned threads : {1u, 2u}) {
        CAPTURE(threads);
        CheckFails(VerifyGrid(f.k(), kShape, grid, Ctx(), threads), "proof.row", "(member 3)");
    }
}

TEST_CASE("an empty row fails as proof.row")
{
    const Fixture f;
    std::vector<std::uint32_t> plain = Plain(kShape, kChoices);
    plain[std::size_t{6} * kShape.cols + kChoices[6]] = 0;
    CheckFails(VerifyGrid(f.k(), kShape, BuildGrid(f.k(), kShape, plain), Ctx()), "proof.row", "(member 6)");
}

TEST_CASE("re-encrypting one cell, even with a valid cell proof, breaks its row proof")
{
    // Row 1 still sums to 1, but its row proof was made for the old nonces.
    const Fixture f;
    EncryptedGrid grid = f.Honest();
    const std::size_t idx = std::size_t{1} * kShape.cols + 1;
    const Scalar r = Rand();
    grid.cells[idx] = Encrypt(f.k(), 1, r);
    grid.cell_proofs[idx] =
        ProveRange(f.k(), grid.cells[idx], 1, r, 1, PositionContext(Ctx(), "cell", 1, 1), SystemRng());
    CheckFails(VerifyGrid(f.k(), kShape, grid, Ctx()), "proof.row", "(member 1)");
}

TEST_CASE("a grid exceeding the quota fails as proof.quota, with a made-up or a copied quota proof")
{
    const Fixture f;
    const std::vector<std::uint32_t> all_zero(kShape.rows, 0);
    // Every cell and row proof honest; the quota proof claims 2 for a column summing to 7.
    const EncryptedGrid forged = BuildGrid(f.k(), kShape, Plain(kShape, all_zero));
    for (unsigned threads : {1u, 2u}) {
        CAPTURE(threads);
        CheckFails(VerifyGrid(f.k(), kShape, forged, Ctx(), threads), "proof.quota", "quota proof of option 0");
    }
    // The quota proof of an honest ballot, copied.
    EncryptedGrid copied = forged;
    copied.quota_proof = f.Honest().quota_proof;
    CheckFails(VerifyGrid(f.k(), kShape, copied, Ctx()), "proof.quota", "option 0");
}

TEST_CASE("a grid exceeding the quota by one fails as proof.quota")
{
    const Fixture f;
    const EncryptedGrid forged = BuildGrid(f.k(), kShape, Plain(kShape, {0, 0, 0, 1, 2, 3, 4}));
    CheckFails(VerifyGrid(f.k(), kShape, forged, Ctx()), "proof.quota", "option 0");
}

TEST_CASE("swapping two rows of a grid, with or without their proofs, fails")
{
    const Fixture f;
    const EncryptedGrid grid = f.Honest();
    const auto row0 = grid.cells.begin();
    const auto row1 = grid.cells.begin() + kShape.cols;
    {
        EncryptedGrid swapped = grid;
        std::swap_ranges(swapped.cells.begin(), swapped.cells.begin() + kShape.cols,
                         swapped.cells.begin() + kShape.cols);
        REQUIRE(std::equal(row0, row1, swapped.cells.begin() + kShape.cols));
        CheckFails(VerifyGrid(f.k(), kShape, swapped, Ctx()), "proof.cell", "(member 0, option 0)");
        // Cell proofs travel with their cells: still bound to the position.
        std::swap_ranges(swapped.cell_proofs.begin(), swapped.cell_proofs.begin() + kShape.cols,
                         swapped.cell_proofs.begin() + kShape.cols);
        CheckFails(VerifyGrid(f.k(), kShape, swapped, Ctx()), "proof.cell", "(member 0, option 0)");
        // Row proofs too.
        std::swap(swapped.row_proofs[0], swapped.row_proofs[1]);
        CheckFails(VerifyGrid(f.k(), kShape, swapped, Ctx()), "proof.cell", "(member 0, option 0)");
    }
    {
        EncryptedGrid swapped = grid;
        std::swap(swapped.row_proofs[2], swapped.row_proofs[5]);
        CheckFails(VerifyGrid(f.k(), kShape, swapped, Ctx()), "proof.row", "(member 2)");
    }
}

TEST_CASE("swapping two cells between rows, or within a row, fails as proof.cell")
{
    const Fixture f;
    const EncryptedGrid grid = f.Honest();
    auto at = [](std::uint32_t i, std::uint32_t j) { return std::size_t{i} * kShape.cols + j; };
    {
        // Column 2 of rows 4 and 5, cells and proofs.
        EncryptedGrid swapped = grid;
        std::swap(swapped.cells[at(4, 2)], swapped.cells[at(5, 2)]);
        std::swap(swapped.cell_proofs[at(4, 2)], swapped.cell_proofs[at(5, 2)]);
        CheckFails(VerifyGrid(f.k(), kShape, swapped, Ctx()), "proof.cell", "(member 4, option 2)");
    }
    {
        // Row 1 chose column 1; move its 1 to column 2 together with the proof.
        EncryptedGrid swapped = grid;
        std::swap(swapped.cells[at(1, 1)], swapped.cells[at(1, 2)]);
        std::swap(swapped.cell_proofs[at(1, 1)], swapped.cell_proofs[at(1, 2)]);
        CheckFails(VerifyGrid(f.k(), kShape, swapped, Ctx()), "proof.cell", "(member 1, option 1)");
    }
}

TEST_CASE("proofs taken from another ballot fail")
{
    const Fixture f;
    const EncryptedGrid a = f.Honest();
    const EncryptedGrid b = f.Honest();  // the same choices, other nonces
    {
        EncryptedGrid mixed = a;
        mixed.cell_proofs = b.cell_proofs;
        CheckFails(VerifyGrid(f.k(), kShape, mixed, Ctx()), "proof.cell", "(member 0, option 0)");
    }
    {
        EncryptedGrid mixed = a;
        mixed.row_proofs = b.row_proofs;
        CheckFails(VerifyGrid(f.k(), kShape, mixed, Ctx()), "proof.row", "(member 0)");
    }
    {
        EncryptedGrid mixed = a;
        mixed.quota_proof = b.quota_proof;
        CheckFails(VerifyGrid(f.k(), kShape, mixed, Ctx()), "proof.quota", "quota proof of option 0");
    }
    {
        // One cell with its own proof from the other ballot: the row sum no longer matches.
        EncryptedGrid mixed = a;
        mixed.cells[3] = b.cells[3];
        mixed.cell_proofs[3] = b.cell_proofs[3];
        CheckFails(VerifyGrid(f.k(), kShape, mixed, Ctx()), "proof.row", "(member 0)");
    }
}

TEST_CASE("a grid fails in another election context or under another key")
{
    const Fixture f;
    const EncryptedGrid grid = f.Honest();
    CheckFails(VerifyGrid(f.k(), kShape, grid, AsBytes("election-fingerprint-2")), "proof.cell",
               "(member 0, option 0)");
    CheckFails(VerifyGrid(f.k(), kShape, grid, {}, 2), "proof.cell", "option");
    const ElectionKeyPair other = ElectionKeyPair::Generate(G(), SystemRng());
    CheckFails(VerifyGrid(other.public_key(), kShape, grid, Ctx()), "proof.cell", "(member 0, option 0)");
}

TEST_CASE("a grid checked against another quota fails as proof.quota")
{
    const Fixture f;
    const EncryptedGrid grid = f.Honest();
    CheckFails(VerifyGrid(f.k(), GridShape{7, 5, 0, 3}, grid, Ctx()), "proof.quota", "option 0");
    CheckFails(VerifyGrid(f.k(), GridShape{7, 5, 1, 2}, grid, Ctx()), "proof.quota", "option 1");
}

TEST_CASE("a grid of the wrong shape fails as ballot.shape")
{
    const Fixture f;
    const EncryptedGrid grid = f.Honest();
    for (const GridShape& shape : {GridShape{6, 5, 0, 2}, GridShape{8, 5, 0, 2}, GridShape{7, 4, 0, 2},
                                   GridShape{7, 6, 0, 2}, GridShape{5, 7, 0, 2}, GridShape{7, 5, std::nullopt, 0},
                                   GridShape{0, 5, 0, 2}, GridShape{7, 0, 0, 2}, GridShape{0, 0, std::nullopt, 0}}) {
        CAPTURE(shape.rows);
        CAPTURE(shape.cols);
        const Status s = VerifyGrid(f.k(), shape, grid, Ctx());
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "ballot.shape");
    }
    auto check_shape = [&](const EncryptedGrid& bad) {
        const Status s = VerifyGrid(f.k(), kShape, bad, Ctx());
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "ballot.shape");
    };
    EncryptedGrid no_quota = grid;
    no_quota.quota_proof.reset();
    check_shape(no_quota);
    EncryptedGrid short_cells = grid;
    short_cells.cells.pop_back();
    check_shape(short_cells);
    EncryptedGrid short_proofs = grid;
    short_proofs.cell_proofs.pop_back();
    check_shape(short_proofs);
    EncryptedGrid extra_row_proof = grid;
    extra_row_proof.row_proofs.push_back(grid.row_proofs[0]);
    check_shape(extra_row_proof);
    // A quota proof where the election has no quota.
    const GridShape free_shape{7, 5, std::nullopt, 0};
    EncryptedGrid free_grid = f.Honest(kChoices, free_shape);
    REQUIRE(VerifyGrid(f.k(), free_shape, free_grid, Ctx()).ok());
    free_grid.quota_proof = grid.quota_proof;
    CHECK(VerifyGrid(f.k(), free_shape, free_grid, Ctx()).error().code == "ballot.shape");
}

TEST_CASE("a shape whose quota column lies outside the grid fails as ballot.shape")
{
    const Fixture f;
    const EncryptedGrid grid = f.Honest();
    for (std::uint32_t col : {5u, 6u, 1000u}) {
        CAPTURE(col);
        const Status s = VerifyGrid(f.k(), GridShape{7, 5, col, 2}, grid, Ctx());
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "ballot.shape");
    }
}

}  // namespace pingyi
