// Form 2 and batch verification (docs/protocol.md §5.6), in both suites: honest boxes pass as
// one batch; a false equation anywhere fails the batch and the one-by-one check names its
// ballot, row and column; false equations that would cancel under fixed weights still fail;
// every malformed point is refused; every byte of a ballot matters.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "crypto/grid.hpp"
#include "crypto/public_batch.hpp"
#include "test_util.hpp"

namespace pingyi {
namespace {

using test::G;

// 4 members, 3 options, at most 2 members on option 0.
const GridShape kShape{4, 3, 0, 2};
constexpr std::size_t kCells = 12;
constexpr std::size_t kPt = kUncompressedPointSize;
constexpr std::size_t kCellProof = 4 * kPt + 4 * kScalarSize;  // 388
constexpr std::size_t kRowProof = 2 * kPt + 2 * kScalarSize;   // 194

std::size_t CellProofAt(std::size_t cell)
{
    return kCells * 2 * kPt + cell * kCellProof;
}
std::size_t RowProofAt(std::size_t row)
{
    return kCells * (2 * kPt + kCellProof) + row * kRowProof;
}
std::size_t QuotaProofAt()
{
    return RowProofAt(kShape.rows);
}

struct Box {
    ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    std::vector<Bytes> grids, contexts;

    explicit Box(std::size_t n)
    {
        for (std::size_t x = 0; x < n; ++x) {
            const std::vector<std::uint32_t> choices = {static_cast<std::uint32_t>(x % 3), 1, 2,
                                                        static_cast<std::uint32_t>((x + 1) % 3)};
            Bytes ctx = AsBytesCopy("ballot context " + std::to_string(x));
            grids.push_back(EncryptGrid(key.public_key(), kShape, choices, ctx, SystemRng()).Encode());
            contexts.push_back(std::move(ctx));
        }
    }
    static Bytes AsBytesCopy(const std::string& s)
    {
        const ByteView v = AsBytes(s);
        return Bytes(v.begin(), v.end());
    }
    std::vector<Status> Verify(BatchReport* report = nullptr) const { return Verify(grids, report); }
    std::vector<Status> Verify(const std::vector<Bytes>& these, BatchReport* report = nullptr) const
    {
        std::vector<ByteView> g(these.begin(), these.end()), c(contexts.begin(), contexts.end());
        return VerifyGrids(key.public_key(), kShape, g, c, SystemRng(), report);
    }
};

// Adds `delta` (mod q) to the 32-byte scalar at `at`.
void AddToScalar(Bytes& bytes, std::size_t at, std::int64_t delta)
{
    const Group& g = G();
    const Scalar s = Scalar::Decode(g, ByteView(bytes).subspan(at, kScalarSize)).value();
    const Scalar d =
        delta >= 0 ? Scalar(g, static_cast<std::uint64_t>(delta)) : -Scalar(g, static_cast<std::uint64_t>(-delta));
    const Bytes out = (s + d).Encode();
    std::copy(out.begin(), out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
}

std::vector<std::size_t> Failing(const std::vector<Status>& verdicts)
{
    std::vector<std::size_t> out;
    for (std::size_t x = 0; x < verdicts.size(); ++x)
        if (!verdicts[x]) out.push_back(x);
    return out;
}

}  // namespace

SUITE_CASE("a box of honest form-2 grids passes as one batch, and a form-2 proof is the form-1 proof plus commitments")
{
    const test::UseSuite use(SuiteT::kId);
    const Box box(9);
    BatchReport report;
    const auto verdicts = box.Verify(&report);
    CHECK(Failing(verdicts).empty());
    // Settled by the batch itself, not by the one-by-one fallback.
    CHECK(report.batched == 9);
    CHECK(report.one_by_one == 0);
    // The same grid read back: the one-by-one check agrees, and dropping the commitments
    // leaves a valid form-1 proof (the same challenges and responses).
    const auto grid = EncryptedGrid::Decode(G(), kShape, box.grids[3]).value();
    CHECK(VerifyGridOneByOne(box.key.public_key(), kShape, grid, box.contexts[3]).ok());
    RangeProof stripped = grid.cell_proofs[5];
    REQUIRE(stripped.commitments.size() == 4 * kPt);
    stripped.commitments.clear();
    CHECK(VerifyRange(box.key.public_key(), grid.cells[5], 1, stripped, PositionContext(box.contexts[3], "cell", 1, 2))
              .ok());
    CHECK(grid.cell_proofs[5].Encode(ProofForm::kWithCommitments).size() == kCellProof);
    CHECK(grid.cell_proofs[5].Encode().size() == 4 * kScalarSize);
    // DecodeCells reads the same cells and nothing else.
    const auto cells = EncryptedGrid::DecodeCells(G(), kShape, box.grids[3]).value();
    CHECK(cells.cells == grid.cells);
    CHECK(cells.cell_proofs.empty());
}

SUITE_CASE("a response changed by one, its commitments kept, fails the batch and only that ballot is named")
{
    const test::UseSuite use(SuiteT::kId);
    struct Where {
        std::size_t at;
        const char* code;
        const char* detail;
    };
    // v_0 of cell (2, 1); v of row 3; v_1 of the quota proof; c_0 and c_1 of cell (0, 0) moved
    // together (their sum, the challenge, unchanged).
    const std::vector<Where> places = {
        {CellProofAt(2 * 3 + 1) + 4 * kPt + 2 * kScalarSize, "proof.cell", "(member 2, option 1)"},
        {RowProofAt(3) + 2 * kPt + kScalarSize, "proof.row", "(member 3)"},
        {QuotaProofAt() + 6 * kPt + 3 * kScalarSize + kScalarSize, "proof.quota", "option 0"},
    };
    const Box box(6);
    for (const Where& w : places) {
        CAPTURE(w.code);
        auto bad = box.grids;
        AddToScalar(bad[4], w.at, 1);
        BatchReport report;
        const auto verdicts = box.Verify(bad, &report);
        REQUIRE(Failing(verdicts) == std::vector<std::size_t>{4});
        // Conditions (1) and (2) hold, so the grid was in the batch, which failed: all six were
        // then checked one by one.
        CHECK(report.one_by_one == 6);
        CHECK(verdicts[4].error().code == w.code);
        CHECK(verdicts[4].error().detail.find(w.detail) != std::string::npos);
    }
    {
        auto bad = box.grids;
        AddToScalar(bad[1], CellProofAt(0) + 4 * kPt, 1);
        AddToScalar(bad[1], CellProofAt(0) + 4 * kPt + kScalarSize, -1);
        const auto verdicts = box.Verify(bad);
        REQUIRE(Failing(verdicts) == std::vector<std::size_t>{1});
        CHECK(verdicts[1].error().code == "proof.cell");
        CHECK(verdicts[1].error().detail.find("(member 0, option 0)") != std::string::npos);
    }
}

SUITE_CASE("false equations that cancel under equal weights still fail the batch")
{
    const test::UseSuite use(SuiteT::kId);
    // v_0 + 1 in one cell gives its two equations the errors G and K; v_0 − 1 in another,
    // −G and −K. With equal weights the sum would be the identity; random weights are not.
    Box box(4);
    AddToScalar(box.grids[0], CellProofAt(1) + 4 * kPt + 2 * kScalarSize, 1);
    AddToScalar(box.grids[2], CellProofAt(7) + 4 * kPt + 2 * kScalarSize, -1);
    const auto verdicts = box.Verify();
    CHECK(Failing(verdicts) == std::vector<std::size_t>{0, 2});
    // Within one grid too.
    Box one(1);
    AddToScalar(one.grids[0], CellProofAt(1) + 4 * kPt + 2 * kScalarSize, 1);
    AddToScalar(one.grids[0], CellProofAt(9) + 4 * kPt + 2 * kScalarSize, -1);
    CHECK(Failing(one.Verify()) == std::vector<std::size_t>{0});
}

SUITE_CASE("form 2 refuses a commitment that is another point, off the curve, compressed or not canonical")
{
    const test::UseSuite use(SuiteT::kId);
    const Box box(3);
    const Group& g = G();
    const auto& curve = batch::For(g);
    const std::size_t a1 = CellProofAt(4) + 2 * kPt;  // a_1 of cell (1, 1)
    auto fails_at = [&](const Bytes& grid, const char* code) {
        auto bad = box.grids;
        bad[1] = grid;
        const auto verdicts = box.Verify(bad);
        REQUIRE(Failing(verdicts) == std::vector<std::size_t>{1});
        CHECK(verdicts[1].error().code == code);
    };
    {  // another valid point: the challenge no longer matches
        Bytes grid = box.grids[1];
        const Point p = Point::DecodeUncompressed(g, ByteView(grid).subspan(a1, kPt)).value() + g.Generator();
        const Bytes other = p.EncodeUncompressed();
        std::copy(other.begin(), other.end(), grid.begin() + static_cast<std::ptrdiff_t>(a1));
        fails_at(grid, "proof.cell");
    }
    {  // y changed: off the curve
        Bytes grid = box.grids[1];
        grid[a1 + kPt - 1] ^= 0x01;
        CHECK_FALSE(batch::Decode(curve, ByteView(grid).subspan(a1, kPt)).ok());
        CHECK_FALSE(Point::DecodeUncompressed(g, ByteView(grid).subspan(a1, kPt)).ok());
        fails_at(grid, "proof.cell");
    }
    {  // the prefix of the compressed form in a 65-byte slot
        Bytes grid = box.grids[1];
        grid[a1] = 0x02;
        fails_at(grid, "proof.cell");
    }
    {  // a ciphertext off the curve: the ballot is not even decoded
        Bytes grid = box.grids[1];
        grid[5 * kPt + 40] ^= 0x80;
        fails_at(grid, "encoding.point");
    }
    // A coordinate ≥ p naming a valid point mod p: x + p for a point with a small x.
    Bytes small;
    for (std::uint8_t x = 1; x < 200 && small.empty(); ++x) {
        Bytes c(kPointSize, 0);
        c[0] = 0x02;
        c[kPointSize - 1] = x;
        if (auto p = Point::Decode(g, c)) small = p->EncodeUncompressed();
    }
    REQUIRE(small.size() == kPt);
    CHECK(batch::Decode(curve, small).ok());
    CHECK(Point::DecodeUncompressed(g, small).ok());
    Bytes plus_p = small;
    const Bytes p_bytes = [&] {
        // p = the field prime: for both curves p + (a small x) < 2^256.
        Bytes out(32);
        const std::string hex = SuiteT::kId == SuiteId::P256_SHA256
                                    ? "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"
                                    : "fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff";
        return test::Hex(hex);
    }();
    unsigned carry = 0;
    for (std::size_t i = 32; i-- > 0;) {
        const unsigned sum = unsigned{plus_p[1 + i]} + p_bytes[i] + carry;
        plus_p[1 + i] = static_cast<std::uint8_t>(sum);
        carry = sum >> 8;
    }
    REQUIRE(carry == 0);
    CHECK(batch::Decode(curve, plus_p).error().code == "encoding.point");
    CHECK(Point::DecodeUncompressed(g, plus_p).error().code == "encoding.point");
    Bytes grid = box.grids[1];
    std::copy(plus_p.begin(), plus_p.end(), grid.begin() + static_cast<std::ptrdiff_t>(a1));
    fails_at(grid, "proof.cell");
}

SUITE_CASE("every byte of a form-2 ballot matters")
{
    const test::UseSuite use(SuiteT::kId);
    const Box box(1);
    const Bytes& honest = box.grids[0];
    std::size_t checked = 0;
    // Every byte of the first cell proof's challenges and responses; every 11th of the rest
    // (a point with any byte changed is off the curve, or another point).
    const std::size_t scalars = CellProofAt(0) + 4 * kPt;
    for (std::size_t at = 0; at < honest.size(); ++at) {
        const bool dense = at >= scalars && at < scalars + 4 * kScalarSize;
        if (!dense && at % 11 != 0) continue;
        CAPTURE(at);
        auto bad = box.grids;
        bad[0][at] ^= 0x01;
        CHECK_FALSE(box.Verify(bad)[0].ok());
        ++checked;
    }
    CHECK(checked > 700);
}

SUITE_CASE("form-1 grids pass through VerifyGrids one by one, and still fail when forged")
{
    const test::UseSuite use(SuiteT::kId);
    GridShape shape1 = kShape;
    shape1.form = ProofForm::kChallengeResponse;
    const auto key = ElectionKeyPair::Generate(G(), SystemRng());
    const Bytes ctx = Box::AsBytesCopy("form 1");
    std::vector<Bytes> grids;
    for (std::uint32_t x = 0; x < 3; ++x)
        grids.push_back(
            EncryptGrid(key.public_key(), shape1, std::vector<std::uint32_t>{x, 0, 1, 2}, ctx, SystemRng()).Encode());
    REQUIRE(grids[0].size() == EncodedGridSize(shape1));
    grids[2][kCells * 66 + 40] ^= 0x01;  // a challenge of cell 0's proof
    const std::vector<ByteView> views(grids.begin(), grids.end());
    const std::vector<ByteView> ctxs(3, ByteView(ctx));
    const auto verdicts = VerifyGrids(key.public_key(), shape1, views, ctxs, SystemRng());
    CHECK(Failing(verdicts) == std::vector<std::size_t>{2});
    CHECK(verdicts[2].error().code == "proof.cell");
}

}  // namespace pingyi
