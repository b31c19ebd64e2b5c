// Batch verification of form-2 grids (docs/protocol.md §5.6): conditions (1) and (2) per
// proof, exactly; condition (3), every commitment equation of every grid, in one
// multi-scalar multiplication with random 128-bit weights (crypto/public_batch.hpp).
#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "crypto/grid.hpp"
#include "crypto/hash.hpp"
#include "crypto/public_batch.hpp"

namespace pingyi {
namespace {

using batch::Fq;
using batch::Pt;

// The weights come from the caller's CSPRNG in blocks: one call per 4 KiB (256 weights)
// instead of one per weight (each call of RAND_priv_bytes takes a lock and checks for a fork).
class BlockRng final : public Rng {
  public:
    explicit BlockRng(Rng& upstream) : m_upstream(upstream) {}
    void Fill(std::span<std::uint8_t> out) override
    {
        for (std::uint8_t& b : out) {
            if (m_used == m_block.size()) {
                m_upstream.Fill(m_block);
                m_used = 0;
            }
            b = m_block[m_used++];
        }
    }

  private:
    Rng& m_upstream;
    std::array<std::uint8_t, 4096> m_block{};
    std::size_t m_used = 4096;
};

// Everything of one batch: the sum being built and the coefficients of G and K.
class Batch {
  public:
    Batch(const Point& k, const GridShape& shape, Rng& rng)
        : m_k(k),
          m_g(k.group()),
          m_curve(batch::For(m_g)),
          m_shape(shape),
          m_rng(rng),
          m_msm(m_curve),
          m_zero(batch::FqFromU64(m_curve, 0)),
          m_g_coef(m_zero),
          m_k_coef(m_zero),
          m_one(Scalar(m_g, 1).Encode()),
          m_quota_bound(Scalar(m_g, shape.quota_max).Encode())
    {
    }

    // Adds the equations of one encoded grid. False if the grid fails condition (1) or (2)
    // (or has the wrong length): nothing of it is then in the sum.
    bool Add(ByteView bytes, ByteView context);

    // Condition (3) for every grid added.
    [[nodiscard]] bool Holds()
    {
        if (m_k.IsIdentity()) return false;
        m_msm.AddBase(m_g_coef);
        m_msm.Add(batch::FromPoint(m_curve, m_k), m_k_coef);
        return m_msm.IsIdentity();
    }

  private:
    // One decoded proof: its stored commitments (bytes and points) and scalars.
    struct Branch {
        ByteView a_bytes, b_bytes;
        Pt a, b;
        Fq c, v;
    };

    bool ReadBranches(ByteView proof, std::size_t branches, std::vector<Branch>& out) const;
    // Σ c_j = H_q(tag; T₀, statement, bound, a_0, b_0, …): condition (2).
    bool ChallengeMatches(std::string_view tag, ByteView context, ByteView a, ByteView b, ByteView bound,
                          const std::vector<Branch>& branches) const;
    // The weighted equations of one proof on the statement Σ_{x ∈ cells} (A_x, B_x):
    // a_j = v_j·G − c_j·A, b_j = v_j·K − c_j·(B − j·G) with j = shift + branch index.
    void AddEquations(const std::vector<Branch>& branches, std::uint64_t shift, std::span<const std::size_t> cells);

    const Point& m_k;
    const Group& m_g;
    const batch::Curve& m_curve;
    const GridShape& m_shape;
    BlockRng m_rng;
    batch::Msm m_msm;
    const Fq m_zero;
    Fq m_g_coef, m_k_coef;
    const Bytes m_one, m_quota_bound;
    // Per grid: the coefficients of its cells' A and B.
    std::vector<Fq> m_coef;
};

bool Batch::ReadBranches(ByteView proof, std::size_t branches, std::vector<Branch>& out) const
{
    out.clear();
    out.resize(branches);
    const std::size_t scalars = 2 * branches * kUncompressedPointSize;
    for (std::size_t j = 0; j < branches; ++j) {
        Branch& br = out[j];
        br.a_bytes = proof.subspan(2 * j * kUncompressedPointSize, kUncompressedPointSize);
        br.b_bytes = proof.subspan((2 * j + 1) * kUncompressedPointSize, kUncompressedPointSize);
        auto a = batch::Decode(m_curve, br.a_bytes);
        auto b = batch::Decode(m_curve, br.b_bytes);
        auto c = batch::FqDecode(m_curve, proof.subspan(scalars + j * kScalarSize, kScalarSize));
        auto v = batch::FqDecode(m_curve, proof.subspan(scalars + (branches + j) * kScalarSize, kScalarSize));
        if (!a || !b || !c || !v) return false;
        br.a = *a;
        br.b = *b;
        br.c = *c;
        br.v = *v;
    }
    return true;
}

bool Batch::ChallengeMatches(std::string_view tag, ByteView context, ByteView a, ByteView b, ByteView bound,
                             const std::vector<Branch>& branches) const
{
    Transcript t = Start(tag, m_k, context);
    t.Add(a).Add(b).Add(bound);
    Fq sum = m_zero;
    for (const Branch& br : branches) {
        t.Add(CompressedForm(br.a_bytes)).Add(CompressedForm(br.b_bytes));
        sum = batch::FqAdd(m_curve, sum, br.c);
    }
    const Bytes challenge = t.ToScalar(m_g).Encode();
    const auto mine = batch::FqEncode(m_curve, sum);
    return std::equal(challenge.begin(), challenge.end(), mine.begin(), mine.end());
}

void Batch::AddEquations(const std::vector<Branch>& branches, std::uint64_t shift, std::span<const std::size_t> cells)
{
    for (std::size_t j = 0; j < branches.size(); ++j) {
        const Branch& br = branches[j];
        const Fq rho = batch::FqRandomWeight(m_curve, m_rng);
        const Fq sigma = batch::FqRandomWeight(m_curve, m_rng);
        // ρ·(v·G − c·A − a)
        m_g_coef = batch::FqAdd(m_curve, m_g_coef, batch::FqMul(m_curve, rho, br.v));
        const Fq rho_c = batch::FqMul(m_curve, rho, br.c);
        m_msm.Add(br.a, batch::FqNeg(m_curve, rho));
        // σ·(v·K − c·B + (c·j)·G − b)
        m_k_coef = batch::FqAdd(m_curve, m_k_coef, batch::FqMul(m_curve, sigma, br.v));
        const Fq sigma_c = batch::FqMul(m_curve, sigma, br.c);
        const std::uint64_t branch = shift + j;
        if (branch != 0)
            m_g_coef =
                batch::FqAdd(m_curve, m_g_coef, batch::FqMul(m_curve, sigma_c, batch::FqFromU64(m_curve, branch)));
        m_msm.Add(br.b, batch::FqNeg(m_curve, sigma));
        for (std::size_t x : cells) {
            m_coef[2 * x] = batch::FqSub(m_curve, m_coef[2 * x], rho_c);
            m_coef[2 * x + 1] = batch::FqSub(m_curve, m_coef[2 * x + 1], sigma_c);
        }
    }
}

bool Batch::Add(ByteView bytes, ByteView context)
{
    const GridShape& sh = m_shape;
    if (bytes.size() != EncodedGridSize(sh)) return false;
    const std::size_t cells = std::size_t{sh.rows} * sh.cols;
    constexpr std::size_t kP = kUncompressedPointSize;

    // (1) the ciphertexts.
    std::vector<Pt> points(2 * cells);
    for (std::size_t x = 0; x < 2 * cells; ++x) {
        auto p = batch::Decode(m_curve, bytes.subspan(x * kP, kP));
        if (!p) return false;
        points[x] = *p;
    }
    auto cell_bytes = [&](std::size_t x, int which) { return bytes.subspan((2 * x + which) * kP, kP); };

    // The statements of the row and quota proofs: sums of cells, one inversion for all.
    std::vector<std::vector<std::uint32_t>> sets;
    sets.reserve(2 * sh.rows + 2);
    for (std::uint32_t i = 0; i < sh.rows; ++i)
        for (int which = 0; which < 2; ++which) {
            std::vector<std::uint32_t> set;
            for (std::uint32_t j = 0; j < sh.cols; ++j)
                set.push_back(static_cast<std::uint32_t>(2 * (std::size_t{i} * sh.cols + j) + which));
            sets.push_back(std::move(set));
        }
    if (sh.quota_col)
        for (int which = 0; which < 2; ++which) {
            std::vector<std::uint32_t> set;
            for (std::uint32_t i = 0; i < sh.rows; ++i)
                set.push_back(static_cast<std::uint32_t>(2 * (std::size_t{i} * sh.cols + *sh.quota_col) + which));
            sets.push_back(std::move(set));
        }
    const auto sums = batch::SumEach(m_curve, points, sets);
    for (const auto& s : sums)
        if (!s) return false;  // a statement that is the identity fails its proof

    // Conditions (1) and (2) for every proof first: a grid that fails adds nothing.
    struct Proof {
        std::vector<Branch> branches;
        std::uint64_t shift;
        std::vector<std::size_t> cells;
    };
    std::vector<Proof> proofs;
    proofs.reserve(cells + sh.rows + 1);
    std::vector<Branch> branches;
    std::size_t off = 2 * cells * kP;
    const std::size_t cell_proof = RangeProofSize(1, ProofForm::kWithCommitments);
    for (std::uint32_t i = 0; i < sh.rows; ++i)
        for (std::uint32_t j = 0; j < sh.cols; ++j) {
            const std::size_t x = std::size_t{i} * sh.cols + j;
            if (!ReadBranches(bytes.subspan(off + x * cell_proof, cell_proof), 2, branches)) return false;
            if (!ChallengeMatches(kRangeProofTag, PositionContext(context, "cell", i, j),
                                  CompressedForm(cell_bytes(x, 0)), CompressedForm(cell_bytes(x, 1)), m_one, branches))
                return false;
            proofs.push_back({branches, 0, {x}});
        }
    off += cells * cell_proof;

    const std::size_t row_proof = ConstantProofSize(ProofForm::kWithCommitments);
    for (std::uint32_t i = 0; i < sh.rows; ++i) {
        if (!ReadBranches(bytes.subspan(off + i * row_proof, row_proof), 1, branches)) return false;
        const auto sum_a = batch::EncodeCompressed(m_curve, *sums[2 * i]);
        const auto sum_b = batch::EncodeCompressed(m_curve, *sums[2 * i + 1]);
        if (!ChallengeMatches(kConstantProofTag, PositionContext(context, "row", i, 0), sum_a, sum_b, m_one, branches))
            return false;
        std::vector<std::size_t> members(sh.cols);
        for (std::uint32_t j = 0; j < sh.cols; ++j)
            members[j] = std::size_t{i} * sh.cols + j;
        proofs.push_back({branches, 1, std::move(members)});  // the constant proof of m = 1: B − 1·G
    }
    off += sh.rows * row_proof;

    if (sh.quota_col) {
        const std::size_t n = std::size_t{sh.quota_max} + 1;
        if (!ReadBranches(bytes.subspan(off, RangeProofSize(sh.quota_max, ProofForm::kWithCommitments)), n, branches))
            return false;
        const auto sum_a = batch::EncodeCompressed(m_curve, *sums[2 * sh.rows]);
        const auto sum_b = batch::EncodeCompressed(m_curve, *sums[2 * sh.rows + 1]);
        if (!ChallengeMatches(kRangeProofTag, PositionContext(context, "quota", 0, *sh.quota_col), sum_a, sum_b,
                              m_quota_bound, branches))
            return false;
        std::vector<std::size_t> column(sh.rows);
        for (std::uint32_t i = 0; i < sh.rows; ++i)
            column[i] = std::size_t{i} * sh.cols + *sh.quota_col;
        proofs.push_back({branches, 0, std::move(column)});
    }

    m_coef.assign(2 * cells, m_zero);
    for (const Proof& proof : proofs)
        AddEquations(proof.branches, proof.shift, proof.cells);
    for (std::size_t x = 0; x < 2 * cells; ++x)
        m_msm.Add(points[x], m_coef[x]);
    return true;
}

}  // namespace

std::vector<bool> SettleByBatch(const Point& k, const GridShape& shape, std::span<const ByteView> grids,
                                std::span<const ByteView> contexts, Rng& rng)
{
    if (grids.size() != contexts.size()) throw std::invalid_argument("VerifyGrids: one context per grid");
    std::vector<bool> settled(grids.size(), false);
    const bool shape_ok = shape.rows > 0 && shape.cols > 0 && (!shape.quota_col || *shape.quota_col < shape.cols);
    if (shape.form != ProofForm::kWithCommitments || !shape_ok) return settled;
    Batch b(k, shape, rng);
    bool any = false;
    for (std::size_t x = 0; x < grids.size(); ++x) {
        settled[x] = b.Add(grids[x], contexts[x]);
        any = any || settled[x];
    }
    // A batch that fails says only that some equation is false: it settles nothing.
    if (any && !b.Holds()) std::fill(settled.begin(), settled.end(), false);
    return settled;
}

std::vector<Status> VerifyGrids(const Point& k, const GridShape& shape, std::span<const ByteView> grids,
                                std::span<const ByteView> contexts, Rng& rng, BatchReport* report)
{
    const std::vector<bool> settled = SettleByBatch(k, shape, grids, contexts, rng);
    std::vector<Status> out(grids.size(), Status::Ok());
    for (std::size_t x = 0; x < grids.size(); ++x) {
        if (report) ++(settled[x] ? report->batched : report->one_by_one);
        if (settled[x]) continue;
        // Every grid the batch did not settle is checked alone: the verdicts are theirs.
        auto grid = EncryptedGrid::Decode(k.group(), shape, grids[x]);
        out[x] = grid ? VerifyGridOneByOne(k, shape, *grid, contexts[x]) : Status(grid.error());
    }
    return out;
}

}  // namespace pingyi
