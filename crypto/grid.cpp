#include "crypto/grid.hpp"

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "crypto/random.hpp"

namespace pingyi {
namespace {

// Positions in failure details are 0-based, as in the files: row i is member i, column j
// option j (docs/formats.md §4.9).
std::string Where(std::uint32_t i, std::uint32_t j)
{
    return " (member " + std::to_string(i) + ", option " + std::to_string(j) + ")";
}

Result<EncryptedGrid> DecodeGrid(const Group& g, const GridShape& shape, ByteView bytes, bool proofs);

}  // namespace

std::size_t EncodedGridSize(const GridShape& shape)
{
    const std::size_t cells = static_cast<std::size_t>(shape.rows) * shape.cols;
    std::size_t size = cells * (2 * PointSize(shape.form) + RangeProofSize(1, shape.form)) +
                       shape.rows * ConstantProofSize(shape.form);
    if (shape.quota_col) size += RangeProofSize(shape.quota_max, shape.form);
    return size;
}

Bytes EncryptedGrid::Encode() const
{
    Bytes out;
    for (const auto& c : cells) {
        if (form == ProofForm::kWithCommitments) {
            AppendBytes(out, c.a.EncodeUncompressed());
            AppendBytes(out, c.b.EncodeUncompressed());
        } else {
            AppendBytes(out, c.Encode());
        }
    }
    for (const auto& p : cell_proofs)
        AppendBytes(out, p.Encode(form));
    for (const auto& p : row_proofs)
        AppendBytes(out, p.Encode(form));
    if (quota_proof) AppendBytes(out, quota_proof->Encode(form));
    return out;
}

Result<EncryptedGrid> EncryptedGrid::DecodeCells(const Group& g, const GridShape& shape, ByteView bytes)
{
    return DecodeGrid(g, shape, bytes, false);
}

Result<EncryptedGrid> EncryptedGrid::Decode(const Group& g, const GridShape& shape, ByteView bytes)
{
    return DecodeGrid(g, shape, bytes, true);
}

namespace {

Result<EncryptedGrid> DecodeGrid(const Group& g, const GridShape& shape, ByteView bytes, bool proofs)
{
    if (bytes.size() != EncodedGridSize(shape))
        return MakeError("encoding.grid", "the encrypted ballot has the wrong length for this election");
    const std::size_t cells = static_cast<std::size_t>(shape.rows) * shape.cols;
    const ProofForm form = shape.form;
    const std::size_t point = PointSize(form);
    EncryptedGrid grid;
    grid.form = form;
    std::size_t off = 0;
    auto take = [&](std::size_t n) {
        ByteView v = bytes.subspan(off, n);
        off += n;
        return v;
    };
    grid.cells.reserve(cells);
    for (std::size_t i = 0; i < cells; ++i) {
        if (form == ProofForm::kWithCommitments) {
            auto a = Point::DecodeUncompressed(g, take(point));
            if (!a) return a.error();
            auto b = Point::DecodeUncompressed(g, take(point));
            if (!b) return b.error();
            grid.cells.push_back(Ciphertext{std::move(a).value(), std::move(b).value()});
        } else {
            auto c = Ciphertext::Decode(g, take(kCiphertextSize));
            if (!c) return c.error();
            grid.cells.push_back(std::move(c).value());
        }
    }
    if (!proofs) return grid;
    // The commitments of form 2 are kept as bytes: they are decoded where they are checked.
    grid.cell_proofs.reserve(cells);
    for (std::size_t i = 0; i < cells; ++i) {
        auto p = RangeProof::Decode(g, take(RangeProofSize(1, form)), 1, form);
        if (!p) return p.error();
        grid.cell_proofs.push_back(std::move(p).value());
    }
    grid.row_proofs.reserve(shape.rows);
    for (std::size_t i = 0; i < shape.rows; ++i) {
        auto p = ChallengeResponse::Decode(g, take(ConstantProofSize(form)), form);
        if (!p) return p.error();
        grid.row_proofs.push_back(std::move(p).value());
    }
    if (shape.quota_col) {
        auto p = RangeProof::Decode(g, take(RangeProofSize(shape.quota_max, form)), shape.quota_max, form);
        if (!p) return p.error();
        grid.quota_proof = std::move(p).value();
    }
    return grid;
}

}  // namespace

EncryptedGrid EncryptGrid(const Point& k, const GridShape& shape, std::span<const std::uint32_t> choices,
                          ByteView context, Rng& rng, std::vector<Scalar>* nonces)
{
    const Group& g = k.group();
    if (shape.rows == 0 || shape.cols == 0) throw std::invalid_argument("EncryptGrid: empty grid");
    if (choices.size() != shape.rows) throw std::invalid_argument("EncryptGrid: one choice per row");
    if (shape.quota_col && *shape.quota_col >= shape.cols)
        throw std::invalid_argument("EncryptGrid: the quota column is out of range");
    std::uint32_t quota_count = 0;
    for (std::uint32_t ch : choices) {
        if (ch >= shape.cols) throw std::invalid_argument("EncryptGrid: a choice is out of range");
        if (shape.quota_col && ch == *shape.quota_col) ++quota_count;
    }
    if (shape.quota_col && quota_count > shape.quota_max)
        throw std::invalid_argument("EncryptGrid: the quota is exceeded");

    const auto k_table = KeyTable(k);  // K's table, for the whole ballot
    EncryptedGrid grid;
    grid.form = shape.form;
    grid.cells.reserve(choices.size() * shape.cols);
    grid.cell_proofs.reserve(choices.size() * shape.cols);
    if (nonces) nonces->clear();
    Scalar quota_nonce(g);
    for (std::uint32_t i = 0; i < shape.rows; ++i) {
        Scalar row_nonce(g);
        for (std::uint32_t j = 0; j < shape.cols; ++j) {
            const std::uint32_t m = choices[i] == j ? 1 : 0;
            const Scalar r = Scalar::Random(g, rng);
            Ciphertext ct = Encrypt(*k_table, m, r);
            grid.cell_proofs.push_back(ProveRange(*k_table, ct, m, r, 1, PositionContext(context, "cell", i, j), rng));
            grid.cells.push_back(std::move(ct));
            row_nonce += r;
            if (nonces) nonces->push_back(r);
            if (shape.quota_col && j == *shape.quota_col) quota_nonce += r;
        }
        const Ciphertext row_sum = Sum(std::span(grid.cells).subspan(std::size_t{i} * shape.cols, shape.cols));
        grid.row_proofs.push_back(
            ProveConstant(*k_table, row_sum, 1, row_nonce, PositionContext(context, "row", i, 0), rng));
    }
    if (shape.quota_col) {
        std::vector<Ciphertext> column;
        for (std::uint32_t i = 0; i < shape.rows; ++i)
            column.push_back(grid.cells[std::size_t{i} * shape.cols + *shape.quota_col]);
        grid.quota_proof = ProveRange(*k_table, Sum(column), quota_count, quota_nonce, shape.quota_max,
                                      PositionContext(context, "quota", 0, *shape.quota_col), rng);
    }
    return grid;
}

Status VerifyGrid(const Point& k, const GridShape& shape, const EncryptedGrid& grid, ByteView context, unsigned threads)
{
    const std::size_t cells = static_cast<std::size_t>(shape.rows) * shape.cols;
    const bool fits = grid.cells.size() == cells && grid.cell_proofs.size() == cells &&
                      grid.row_proofs.size() == shape.rows &&
                      grid.quota_proof.has_value() == shape.quota_col.has_value();
    if (shape.form == ProofForm::kWithCommitments && grid.form == shape.form && fits) {
        // A batch of one; if it fails, the check one proof at a time names the failure.
        std::optional<Bytes> encoded;
        try {
            encoded = grid.Encode();
        } catch (const std::logic_error&) {
            // proofs without their commitments: not a form-2 grid, checked below
        }
        if (encoded) {
            const ByteView one[1] = {*encoded};
            const ByteView ctx[1] = {context};
            if (SettleByBatch(k, shape, one, ctx, SystemRng()).front()) return Status::Ok();
        }
    }
    return VerifyGridOneByOne(k, shape, grid, context, threads);
}

Status VerifyGridOneByOne(const Point& k, const GridShape& shape, const EncryptedGrid& grid, ByteView context,
                          unsigned threads)
{
    const std::size_t cells = static_cast<std::size_t>(shape.rows) * shape.cols;
    if (shape.rows == 0 || shape.cols == 0)
        return MakeError("ballot.shape", "an election needs at least one member and one option");
    if (shape.quota_col && *shape.quota_col >= shape.cols)
        return MakeError("ballot.shape", "the quota option is not a column of the ballot");
    if (grid.cells.size() != cells || grid.cell_proofs.size() != cells || grid.row_proofs.size() != shape.rows ||
        grid.quota_proof.has_value() != shape.quota_col.has_value())
        return MakeError("ballot.shape", "the encrypted ballot does not have this election's shape");

    std::mutex mu;
    std::optional<Error> first_error;
    std::atomic<std::uint32_t> next_row{0};
    auto verify_some_rows = [&] {
        for (std::uint32_t i = next_row++; i < shape.rows; i = next_row++) {
            {
                std::lock_guard lock(mu);
                if (first_error) return;
            }
            for (std::uint32_t j = 0; j < shape.cols; ++j) {
                const std::size_t idx = std::size_t{i} * shape.cols + j;
                Status s =
                    VerifyRange(k, grid.cells[idx], 1, grid.cell_proofs[idx], PositionContext(context, "cell", i, j));
                if (!s) {
                    std::lock_guard lock(mu);
                    if (!first_error)
                        first_error = MakeError("proof.cell", "cell proof: " + s.error().detail + Where(i, j));
                    return;
                }
            }
            const Ciphertext row_sum = Sum(std::span(grid.cells).subspan(std::size_t{i} * shape.cols, shape.cols));
            Status s = VerifyConstant(k, row_sum, 1, grid.row_proofs[i], PositionContext(context, "row", i, 0));
            if (!s) {
                std::lock_guard lock(mu);
                if (!first_error)
                    first_error = MakeError("proof.row",
                                            "row proof: " + s.error().detail + " (member " + std::to_string(i) + ")");
                return;
            }
        }
    };
    auto verify_rows = [&] {
        // Nothing thrown may leave a worker thread (std::terminate): it fails the ballot.
        try {
            verify_some_rows();
        } catch (const std::exception& e) {
            std::lock_guard lock(mu);
            if (!first_error)
                first_error = MakeError("proof.cell", std::string("the ballot cannot be checked: ") + e.what());
        }
    };
    if (threads <= 1) {
        verify_rows();
    } else {
        std::vector<std::jthread> pool;
        for (unsigned t = 0; t < threads; ++t)
            pool.emplace_back(verify_rows);
    }
    if (first_error) return *first_error;

    if (shape.quota_col) {
        std::vector<Ciphertext> column;
        for (std::uint32_t i = 0; i < shape.rows; ++i)
            column.push_back(grid.cells[std::size_t{i} * shape.cols + *shape.quota_col]);
        Status s = VerifyRange(k, Sum(column), shape.quota_max, *grid.quota_proof,
                               PositionContext(context, "quota", 0, *shape.quota_col));
        if (!s)
            return MakeError("proof.quota",
                             "quota proof of option " + std::to_string(*shape.quota_col) + ": " + s.error().detail);
    }
    return Status::Ok();
}

}  // namespace pingyi
