// An encrypted grid of 0/1 choices: the cryptographic body of a ballot (docs/protocol.md §6).
// Row i (a member) has one cell per column j (an option); exactly one cell per row is 1.
// Proved: every cell is 0 or 1; every row sums to 1; optionally, the sum of one column
// (the quota option) lies in [0, quota_max].
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "crypto/proofs.hpp"

namespace pingyi {

struct GridShape {
    std::uint32_t rows = 0;
    std::uint32_t cols = 0;
    std::optional<std::uint32_t> quota_col;  // the column whose sum is bounded
    std::uint32_t quota_max = 0;
    ProofForm form = ProofForm::kWithCommitments;  // the package's version (docs/protocol.md §5.6)
};

struct EncryptedGrid {
    std::vector<Ciphertext> cells;                 // rows·cols, row-major
    std::vector<RangeProof> cell_proofs;           // range [0,1], context PositionContext(ctx, "cell", i, j)
    std::vector<ChallengeResponse> row_proofs;     // constant 1, context PositionContext(ctx, "row", i, 0)
    std::optional<RangeProof> quota_proof;         // context PositionContext(ctx, "quota", 0, quota_col)
    ProofForm form = ProofForm::kWithCommitments;  // how Encode writes it (the shape's)

    [[nodiscard]] Bytes Encode() const;
    static Result<EncryptedGrid> Decode(const Group& g, const GridShape& shape, ByteView bytes);
    // The ciphertexts only (what a tally adds), the proofs left empty: the length is checked,
    // the cells decoded, the proofs' bytes not read.
    static Result<EncryptedGrid> DecodeCells(const Group& g, const GridShape& shape, ByteView bytes);
};

// Sizes of the encoding: cells, then cell proofs, then row proofs, then the quota proof.
std::size_t EncodedGridSize(const GridShape& shape);

// choices[i] is the column chosen in row i. Throws std::invalid_argument if a choice is out
// of range or the quota column's count exceeds quota_max: validate before encrypting.
// `nonces`, if given, receives every cell's nonce r_ij in cell order (row-major): a ballot
// that is checked instead of cast reveals them (docs/protocol.md §6.1); they are wiped when
// the Scalars are freed.
EncryptedGrid EncryptGrid(const Point& k, const GridShape& shape, std::span<const std::uint32_t> choices,
                          ByteView context, Rng& rng, std::vector<Scalar>* nonces = nullptr);

// Checks every proof. The error's detail names the row and column that failed.
// threads > 1 splits the rows over that many threads. A grid of form 2 is first checked as a
// batch of one (docs/protocol.md §5.6), and one proof at a time only if that fails.
Status VerifyGrid(const Point& k, const GridShape& shape, const EncryptedGrid& grid, ByteView context,
                  unsigned threads = 1);

// The exact check, one proof and one equation at a time, in either form.
Status VerifyGridOneByOne(const Point& k, const GridShape& shape, const EncryptedGrid& grid, ByteView context,
                          unsigned threads = 1);

// Batch verification of many encoded grids of form 2 (docs/protocol.md §5.6): every point
// decoded, every challenge checked per proof, and all the commitment equations of all the
// grids in one multi-scalar multiplication with weights drawn from `rng` (which must be a
// CSPRNG the ballots' makers cannot predict). Returns one status per grid: if the batch
// fails, every grid is checked one by one, so that an error always names its ballot, row
// and column, and never rests on the batch. `grids[i]` is the grid's encoding (the ballot
// body without its category), `contexts[i]` its ballot context. A grid of form 1 is checked
// one by one.
// The batch alone: which grids it settles as valid (conditions 1–3 hold). A grid it does not
// settle may still be valid (the batch failed because of another grid): check it alone.
std::vector<bool> SettleByBatch(const Point& k, const GridShape& shape, std::span<const ByteView> grids,
                                std::span<const ByteView> contexts, Rng& rng);

// How VerifyGrids reached its verdicts (for tests and the benchmark): grids settled by the
// batch, and grids checked one proof at a time.
struct BatchReport {
    std::size_t batched = 0;
    std::size_t one_by_one = 0;
};
std::vector<Status> VerifyGrids(const Point& k, const GridShape& shape, std::span<const ByteView> grids,
                                std::span<const ByteView> contexts, Rng& rng, BatchReport* report = nullptr);

}  // namespace pingyi
