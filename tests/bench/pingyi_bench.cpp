// pingyi_bench: the benchmark program of docs/performance.md. `pingyi_bench [--suite NAME]
// [members options]` measures the cryptography (in suite P256-SHA256, or SM2-SM3 with
// --suite SM2-SM3: group, proofs, signatures, key-file derivation) and casting, in that suite; `pingyi_bench tally
// [ballots members]` measures verify + tally of a whole box; `pingyi_bench trustees [ballots members options]` the
// trustees' ceremony (n = 3, 5, 9) and one trustee's partial decryption; `pingyi_bench batch [terms]` batch
// verification's arithmetic (crypto/public_batch.hpp). Prints, on this machine, the cost of the group
// operations as OpenSSL does them and of encrypting, proving and verifying cells and whole ballots, next to the cost
// predicted from the scalar multiplications each needs.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <filesystem>

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include "core/ballot_box.hpp"
#include "core/tally.hpp"

#include "crypto/fixed_base.hpp"
#include "crypto/grid.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/proofs.hpp"
#include "crypto/public_batch.hpp"
#include "crypto/secret.hpp"
#include "crypto/sign.hpp"
#include "crypto/threshold.hpp"

namespace {

using namespace pingyi;
using Clock = std::chrono::steady_clock;

// This thread's CPU time in µs: unlike wall time it does not grow when other processes
// share the cores, so figures taken on a busy machine stay comparable.
double ThreadCpuMicros()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// Warm, then runs fn until at least min_ms of CPU time have passed; µs of CPU per call.
double Measure(const std::function<void()>& fn, double min_ms = 300)
{
    fn();
    int n = 0;
    const double t0 = ThreadCpuMicros();
    double elapsed = 0;
    do {
        fn();
        ++n;
        elapsed = ThreadCpuMicros() - t0;
    } while (elapsed < min_ms * 1000);
    return elapsed / n;
}

// Wall time per call (for multi-threaded work), µs.
double MeasureWall(const std::function<void()>& fn, double min_ms = 300)
{
    fn();
    int n = 0;
    const auto t0 = Clock::now();
    double elapsed = 0;
    do {
        fn();
        ++n;
        elapsed = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
    } while (elapsed < min_ms * 1000);
    return elapsed / n;
}

}  // namespace

// Fast key sealing for the benchmark's own files (scrypt 2^14, or the least PBKDF2 count).
constexpr KdfParams kBenchKdf{14, 8, 1, kMinPbkdf2Iterations};

// Form-2 ballots of `members` × 4 options checked in batches of `per_batch` (VerifyGrids), for
// a profiler: µs of CPU per ballot and per cell, one thread.
int BenchGrids(std::uint32_t members, std::size_t per_batch, SuiteId suite)
{
    Rng& rng = SystemRng();
    const Group& g = Group::Get(suite);
    const auto key = ElectionKeyPair::Generate(g, rng);
    const GridShape shape{members, 4, 0, members / 3};
    std::vector<std::uint32_t> choices(members);
    for (std::uint32_t i = 0; i < members; ++i)
        choices[i] = i < members / 3 ? 0 : 1 + i % 3;
    const Bytes ctx(40, 7);
    std::vector<Bytes> grids;
    for (std::size_t x = 0; x < per_batch; ++x)
        grids.push_back(EncryptGrid(key.public_key(), shape, choices, ctx, rng).Encode());
    const std::vector<ByteView> views(grids.begin(), grids.end());
    const std::vector<ByteView> ctxs(grids.size(), ByteView(ctx));
    BatchReport report;
    const double us = Measure([&] { (void)VerifyGrids(key.public_key(), shape, views, ctxs, rng, &report); }, 5000) /
                      static_cast<double>(per_batch);
    std::printf("suite %s: %u × 4 form-2 ballots in batches of %zu: %.1f µs a ballot, %.1f µs a cell%s\n",
                std::string(SuiteName(suite)).c_str(), members, per_batch, us, us / (members * 4.0),
                report.one_by_one ? " (A BATCH FAILED)" : "");
    return report.one_by_one ? 1 : 0;
}

// Verify + tally of `ballots` ballots × `members` members × 4 options in one real box.
int BenchTally(std::uint32_t ballots, std::uint32_t members, SuiteId suite)
{
    Rng& rng = SystemRng();
    ElectionDefinition def;
    def.election_id = "fedcba9876543210fedcba9876543210";
    def.title = "bench";
    def.date = "2026-01-01";
    for (std::uint32_t i = 0; i < members; ++i)
        def.roster.push_back({"M" + std::to_string(i), "", ""});
    def.options = DefaultOptions(false);
    def.quota = Quota{0, members / 3};
    def.categories = {{"A", ballots * 7 / 10, 70}, {"B", ballots - ballots * 7 / 10, 30}};
    auto created = CreateElection(def, "benchmark-pass", rng, kBenchKdf, nullptr, suite);
    std::printf("suite %s\n", std::string(SuiteName(suite)).c_str());
    const auto dir = std::filesystem::temp_directory_path() / "pingyi-bench-tally";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto path = dir / "box.sqlite";
    {
        auto box = BallotBox::Create(path, created->package, 1, "0000", rng, kBenchKdf);
        // Encrypt on both cores, cast in order (each cast verifies and commits durably).
        std::vector<std::optional<EncryptedGrid>> grids(created->codes.size());
        std::atomic<std::size_t> next{0};
        auto work = [&] {
            for (std::size_t i = next++; i < grids.size(); i = next++) {
                std::vector<std::uint32_t> ch(members);
                for (std::uint32_t m = 0; m < members; ++m)
                    ch[m] = m < members / 4 ? 0 : 1 + (m + static_cast<std::uint32_t>(i)) % 3;
                const auto cat = created->codes[i].category;
                grids[i] = EncryptGrid(created->package.public_key, created->package.Shape(), ch,
                                       created->package.BallotContext(cat), rng);
            }
        };
        const auto t0 = Clock::now();
        {
            std::jthread a(work), b(work);
        }
        for (std::size_t i = 0; i < grids.size(); ++i)
            if (!box->Cast(*NormalizeCode(created->codes[i].code), *grids[i])) return 1;
        (void)box->Close();
        std::printf("setup: %u ballots encrypted and cast in %.1f s\n", ballots,
                    std::chrono::duration<double>(Clock::now() - t0).count());
    }
    for (unsigned threads : {1u, 2u}) {
        const auto t0 = Clock::now();
        const std::clock_t c0 = std::clock();
        Audit audit = VerifyElection(created->package.Serialize(), {path}, {}, threads);
        const double verify_cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
        const auto t1 = Clock::now();
        auto key = OpenElectionKey(created->election_key_file, "benchmark-pass");
        auto admin = OpenSigningKey(created->admin_key_file, "benchmark-pass");
        auto results = RunTally(audit, *key, *admin, {}, rng);
        const auto t2 = Clock::now();
        if (!audit.report.ok() || !results) {
            std::printf("verification or tally failed\n");
            return 1;
        }
        VerifyResults(audit, results->Serialize());
        const auto t3 = Clock::now();
        std::printf(
            "%u ballots × %u members × 4 options, %u verify thread(s): verify %.2f s (CPU %.2f s), tally %.2f s "
            "(%zu sums decrypted with proofs), verify results %.2f s, total %.2f s\n",
            ballots, members, threads, std::chrono::duration<double>(t1 - t0).count(), verify_cpu,
            std::chrono::duration<double>(t2 - t1).count(), results->aggregates.size(),
            std::chrono::duration<double>(t3 - t2).count(), std::chrono::duration<double>(t3 - t0).count());
    }
    std::filesystem::remove_all(dir);
    return 0;
}

// Does encrypt + prove of a cell take as long for a 0 as for a 1? `runs` of each, in random
// order pair by pair, timed with the wall clock (what someone timing the kiosk would see).
// Prints the means, the difference of the means with its 95 % confidence interval (normal
// approximation, Welch's standard error), and the same after dropping the slowest 1 % of each
// (other processes' interruptions).
int BenchTiming(std::size_t runs, SuiteId suite)
{
    const Group& g = Group::Get(suite);
    Rng& rng = SystemRng();
    const auto key = ElectionKeyPair::Generate(g, rng);
    const Point& k = key.public_key();
    const auto k_table = KeyTable(k);  // as EncryptGrid holds it for a ballot
    const Bytes ctx = {'t', 'i', 'm', 'e'};
    std::vector<double> t[2];
    t[0].reserve(runs);
    t[1].reserve(runs);
    auto once = [&](std::uint32_t m) {
        const Scalar r = Scalar::Random(g, rng);
        const auto t0 = Clock::now();
        const Ciphertext c = Encrypt(*k_table, m, r);
        const RangeProof p = ProveRange(*k_table, c, m, r, 1, ctx, rng);
        const auto t1 = Clock::now();
        (void)p;
        t[m].push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    };
    for (int i = 0; i < 200; ++i)  // warm up
        once(static_cast<std::uint32_t>(i & 1));
    t[0].clear();
    t[1].clear();
    std::uint8_t coin[1];
    const auto start = Clock::now();
    for (std::size_t i = 0; i < runs; ++i) {
        rng.Fill(coin);
        const std::uint32_t first = coin[0] & 1;
        once(first);
        once(first ^ 1);
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    auto report = [&](const char* label, std::vector<double> a, std::vector<double> b, double keep) {
        auto stats = [keep](std::vector<double>& x) {
            std::sort(x.begin(), x.end());
            x.resize(static_cast<std::size_t>(static_cast<double>(x.size()) * keep));
            double mean = 0;
            for (double v : x)
                mean += v;
            mean /= static_cast<double>(x.size());
            double var = 0;
            for (double v : x)
                var += (v - mean) * (v - mean);
            var /= static_cast<double>(x.size() - 1);
            return std::pair{mean, var / static_cast<double>(x.size())};
        };
        const auto [m0, se0] = stats(a);
        const auto [m1, se1] = stats(b);
        const double diff = m1 - m0, half = 1.96 * std::sqrt(se0 + se1);
        std::printf(
            "  %-22s m=0 %8.2f µs   m=1 %8.2f µs   difference (1 − 0) %+7.3f µs, 95%% CI [%+7.3f, %+7.3f] "
            "(%+.3f %%)\n",
            label, m0, m1, diff, diff - half, diff + half, 100 * diff / m0);
    };
    std::printf("suite %s: encrypt + prove of one 0/1 cell, %zu runs of each, interleaved in random order (%.0f s)\n",
                std::string(g.Name()).c_str(), runs, seconds);
    report("all runs", t[0], t[1], 1.0);
    report("slowest 1 % dropped", t[0], t[1], 0.99);
    return 0;
}

// The trustees (docs/performance.md "Trustees"): the ceremony's cryptography for n trustees,
// everything each trustee computes and checks, without the scrypt of the key files; then
// one trustee's partial decryption of the aggregates of `ballots` ballots of members ×
// options (sums, D_j with proofs), their verification and the combination of 2 partials.
int BenchTrustees(std::uint32_t ballots, std::uint32_t members, std::uint32_t options)
{
    const Group& g = Group::P256();
    Rng& rng = SystemRng();
    const Bytes ctx = {'b', 'e', 'n', 'c', 'h'};
    std::printf("trustees: key ceremony (CPU of all trustees together, without key-file scrypt)\n");
    for (const std::uint32_t n : {3u, 5u, 9u}) {
        const std::uint32_t k = n / 2 + 1;
        const double t0 = ThreadCpuMicros();
        std::vector<Polynomial> polys;
        std::vector<ElectionKeyPair> transport;
        std::vector<std::vector<Point>> commitments;
        std::vector<std::vector<ChallengeResponse>> proofs;
        for (std::uint32_t i = 1; i <= n; ++i) {  // round 1
            polys.push_back(Polynomial::Random(g, k, rng));
            transport.push_back(ElectionKeyPair::Generate(g, rng));
            commitments.push_back(polys.back().Commitments());
            proofs.push_back(ProveCoefficients(polys.back(), i, ctx, rng));
        }
        std::vector<std::vector<Bytes>> boxes(n, std::vector<Bytes>(n));
        for (std::uint32_t i = 1; i <= n; ++i) {  // round 2: check all of round 1, encrypt shares
            for (std::uint32_t d = 1; d <= n; ++d)
                if (!VerifyCoefficients(commitments[d - 1], d, proofs[d - 1], ctx)) return 1;
            for (std::uint32_t j = 1; j <= n; ++j)
                if (j != i)
                    boxes[i - 1][j - 1] = EncryptShare(transport[i - 1], transport[j - 1].public_key(), i, j,
                                                       polys[i - 1].Evaluate(j), ctx, rng);
        }
        std::vector<Point> pub;
        for (std::uint32_t j = 1; j <= n; ++j) {  // round 3: check all of round 1 again, open and check shares
            for (std::uint32_t d = 1; d <= n; ++d)
                if (!VerifyCoefficients(commitments[d - 1], d, proofs[d - 1], ctx)) return 1;
            Scalar x = polys[j - 1].Evaluate(j);
            for (std::uint32_t i = 1; i <= n; ++i) {
                if (i == j) continue;
                auto sh = DecryptShare(transport[j - 1], transport[i - 1].public_key(), i, j, boxes[i - 1][j - 1], ctx);
                if (!sh || !VerifyShare(commitments[i - 1], j, *sh)) return 1;
                x += *sh;
            }
            const auto share = TrusteeShare::FromScalar(j, std::move(x));
            if (!(share.public_share() == PublicShare(commitments, j))) return 1;
            const auto conf = ProveShareKnowledge(share, ctx, rng);
            pub.push_back(share.public_share());
            (void)conf;
        }
        const double t_ceremony = ThreadCpuMicros() - t0;
        // The package check every loader repeats: all proofs and the public shares.
        const double t_check = Measure([&] {
            for (std::uint32_t d = 1; d <= n; ++d)
                (void)VerifyCoefficients(commitments[d - 1], d, proofs[d - 1], ctx);
            for (std::uint32_t j = 1; j <= n; ++j)
                (void)PublicShare(commitments, j);
        });
        std::printf(
            "  n = %u, k = %u: ceremony %7.1f ms in all (%5.1f ms per trustee); coefficient proofs + public shares "
            "(every package load) %5.1f ms\n",
            n, k, t_ceremony / 1000, t_ceremony / 1000 / n, t_check / 1000);
    }

    // Aggregates: every cell of every ballot is a ciphertext; the values do not change the cost.
    std::vector<Point> pool;
    for (int i = 0; i < 1024; ++i)
        pool.push_back(MulBase(Scalar::Random(g, rng)));
    const std::size_t cells = std::size_t{members} * options;
    const double t_sum0 = ThreadCpuMicros();
    std::vector<Ciphertext> sums;
    for (std::size_t c = 0; c < cells; ++c) {
        Ciphertext acc{pool[c % 1024], pool[(c * 7 + 1) % 1024]};
        for (std::uint32_t b = 1; b < ballots; ++b)
            acc = acc + Ciphertext{pool[(c + b * 13) % 1024], pool[(c * 7 + b * 29 + 1) % 1024]};
        sums.push_back(acc);
    }
    const double t_sum = ThreadCpuMicros() - t_sum0;
    const auto s1 = TrusteeShare::FromScalar(1, Scalar::Random(g, rng));
    const auto s3 = TrusteeShare::FromScalar(3, Scalar::Random(g, rng));
    const double t_part0 = ThreadCpuMicros();
    std::vector<PartialDecryption> p1, p3;
    for (const auto& ct : sums)
        p1.push_back(DecryptPartial(s1, EncryptedSum::Of(std::span(&ct, 1)), 1, ctx, rng).value());
    const double t_part = ThreadCpuMicros() - t_part0;
    for (const auto& ct : sums)
        p3.push_back(DecryptPartial(s3, EncryptedSum::Of(std::span(&ct, 1)), 1, ctx, rng).value());
    const double t_ver0 = ThreadCpuMicros();
    for (std::size_t c = 0; c < cells; ++c)
        if (!VerifyPartial(s1.public_share(), sums[c].a, p1[c], ctx)) return 1;
    const double t_ver = ThreadCpuMicros() - t_ver0;
    const std::vector<std::uint32_t> who = {1, 3};
    const double t_comb0 = ThreadCpuMicros();
    for (std::size_t c = 0; c < cells; ++c) {
        const Point d[2] = {p1[c].d, p3[c].d};
        (void)CombinePartials(sums[c].b, who, d);
    }
    const double t_comb = ThreadCpuMicros() - t_comb0;
    std::printf("\none trustee's partial decryption: %u ballots × %u members × %u options (%zu aggregates, 1 group)\n",
                ballots, members, options, cells);
    std::printf("  sums of the ballots            %8.1f ms\n", t_sum / 1000);
    std::printf("  partials D_j with proofs       %8.1f ms  (%.2f ms per aggregate)\n", t_part / 1000,
                t_part / 1000 / static_cast<double>(cells));
    std::printf("  verify one trustee's partials  %8.1f ms\n", t_ver / 1000);
    std::printf("  combine 2 partials (Lagrange)  %8.1f ms  (before the discrete log)\n", t_comb / 1000);
    return 0;
}

// Batch verification's arithmetic (crypto/public_batch.hpp) in the suite: a multiplication
// mod q, decoding a point, and Msm::IsIdentity per term for `max_terms` terms and fewer, with
// 128-bit weights, full 256-bit scalars, and the mix of a batch (two thirds weights).
int BenchBatch(std::size_t max_terms, SuiteId suite)
{
    const Group& g = Group::Get(suite);
    const batch::Curve& c = batch::For(g);
    Rng& rng = SystemRng();
    std::printf("suite %s: batch verification's arithmetic (CPU time of one thread)\n", std::string(g.Name()).c_str());
    {
        batch::Fq a = batch::FqRandomWeight(c, rng);
        const batch::Fq b = batch::FqFromScalar(c, Scalar::Random(g, rng));
        const double us = Measure([&] {
            for (int i = 0; i < 10000; ++i)
                a = batch::FqMul(c, a, b);
        });
        std::printf("  FqMul                         %8.1f ns\n", us * 1000 / 10000);
    }
    {
        const Point p = MulBase(Scalar::Random(g, rng));
        const auto enc33 = batch::EncodeCompressed(c, batch::FromPoint(c, p));
        const auto enc65 = batch::EncodeUncompressed(c, batch::FromPoint(c, p));
        bool ok = true;
        const double us33 = Measure([&] { ok &= batch::Decode(c, enc33).ok(); });
        const double us65 = Measure([&] { ok &= batch::Decode(c, enc65).ok(); });
        const double us_openssl = Measure([&] { ok &= Point::Decode(g, ByteView(enc33)).ok(); });
        std::printf("  Decode 33 bytes               %8.2f µs   (Point::Decode %.2f µs)\n", us33, us_openssl);
        std::printf("  Decode 65 bytes               %8.2f µs%s\n", us65, ok ? "" : "   FAILED");
    }
    // Distinct points: P_i = P_(i−1) + G.
    std::vector<batch::Pt> points;
    points.reserve(max_terms);
    Point p = MulBase(Scalar::Random(g, rng));
    for (std::size_t i = 0; i < max_terms; ++i) {
        points.push_back(batch::FromPoint(c, p));
        p += g.Generator();
    }
    std::vector<batch::Fq> weights, full;
    for (std::size_t i = 0; i < max_terms; ++i) {
        weights.push_back(batch::FqRandomWeight(c, rng));
        full.push_back(batch::FqFromScalar(c, Scalar::Random(g, rng)));
    }
    for (std::size_t n = 1000; n <= max_terms; n *= 10) {
        for (const int kind : {0, 1, 2}) {
            batch::Msm msm(c);
            for (std::size_t i = 0; i < n; ++i)
                msm.Add(points[i], kind == 0 || (kind == 2 && i % 3 != 0) ? weights[i] : full[i]);
            msm.AddBase(full[0]);
            bool identity = false;
            // The least of three measurements: the machine is shared, and other processes only add.
            double us = 0;
            for (int run = 0; run < 3; ++run) {
                const double t = Measure([&] { identity = msm.IsIdentity(); }, 500);
                us = run == 0 ? t : std::min(us, t);
            }
            std::printf("  Msm %6zu terms, %-13s %8.2f µs a term   (%.1f ms)%s\n", n,
                        kind == 0   ? "128-bit"
                        : kind == 1 ? "256-bit"
                                    : "2/3 128-bit",
                        us / static_cast<double>(n), us / 1000, identity ? "   (identity?)" : "");
        }
    }
    return 0;
}

int main(int argc_in, char** argv_in)
{
    // --suite NAME anywhere; the other arguments keep their positions.
    std::vector<char*> args;
    SuiteId suite = SuiteId::P256_SHA256;
    for (int i = 0; i < argc_in; ++i) {
        if (std::string(argv_in[i]) == "--suite" && i + 1 < argc_in) {
            const auto named = SuiteFromName(argv_in[++i]);
            if (!named) {
                std::fprintf(stderr, "unknown suite %s (P256-SHA256 or SM2-SM3)\n", argv_in[i]);
                return 2;
            }
            suite = *named;
        } else {
            args.push_back(argv_in[i]);
        }
    }
    const int argc = static_cast<int>(args.size());
    char** argv = args.data();
    if (argc > 1 && std::string(argv[1]) == "grids")
        return BenchGrids(argc > 2 ? static_cast<std::uint32_t>(std::atoi(argv[2])) : 30,
                          argc > 3 ? static_cast<std::size_t>(std::atoi(argv[3])) : 16, suite);
    if (argc > 1 && std::string(argv[1]) == "batch")
        return BenchBatch(argc > 2 ? static_cast<std::size_t>(std::atol(argv[2])) : 100000, suite);
    if (argc > 1 && std::string(argv[1]) == "timing")
        return BenchTiming(argc > 2 ? static_cast<std::size_t>(std::atol(argv[2])) : 100000, suite);
    if (argc > 1 && std::string(argv[1]) == "trustees")
        return BenchTrustees(argc > 2 ? static_cast<std::uint32_t>(std::atoi(argv[2])) : 1000,
                             argc > 3 ? static_cast<std::uint32_t>(std::atoi(argv[3])) : 30,
                             argc > 4 ? static_cast<std::uint32_t>(std::atoi(argv[4])) : 4);
    if (argc > 1 && std::string(argv[1]) == "tally")
        return BenchTally(argc > 2 ? static_cast<std::uint32_t>(std::atoi(argv[2])) : 1000,
                          argc > 3 ? static_cast<std::uint32_t>(std::atoi(argv[3])) : 30, suite);
    const std::uint32_t members = argc > 1 ? static_cast<std::uint32_t>(std::atoi(argv[1])) : 100;
    const std::uint32_t options = argc > 2 ? static_cast<std::uint32_t>(std::atoi(argv[2])) : 5;
    const Group& g = Group::Get(suite);
    Rng& rng = SystemRng();
    const auto key = ElectionKeyPair::Generate(g, rng);
    // K as the kiosk and the verifier hold it: read from the package (it keeps its encoding).
    const Point k = Point::Decode(g, key.public_key().Encode()).value();
    const Scalar a = Scalar::Random(g, rng), b = Scalar::Random(g, rng);
    const Point p = MulBase(Scalar::Random(g, rng));
    const Bytes ctx = {'b', 'e', 'n', 'c', 'h'};

    std::printf("pingyi_bench — suite %s, %u hardware threads\n\n", std::string(g.Name()).c_str(),
                std::thread::hardware_concurrency());
    const double fixed = Measure([&] { (void)MulBase(a); });
    const double var = Measure([&] { (void)(p * a); });
    const double dbl = Measure([&] { (void)MulBaseAddPublic(a, p, b); });
    const Point* pts[2] = {&p, &k};
    const Scalar* scs[2] = {&a, &b};
    const double tri = Measure([&] { (void)MultiMulPublic(a, pts, scs); });
    const double t0_table = ThreadCpuMicros();
    const FixedBase k_table(k);
    const double table_build = ThreadCpuMicros() - t0_table;
    const double fixed_k = Measure([&] { (void)k_table.Mul(a); });
    const double tbl = Measure([&] { (void)k_table.MulAddPublic(a, p, b); });
    // Pingyi's comb on this suite's G whatever the suite (SM2 uses it for G and K anyway).
    const FixedBase comb(g.Generator(), FixedBase::Method::kComb);
    const double comb_g = Measure([&] { (void)comb.Mul(a); });
    const double add = Measure([&] { (void)(p + k); });
    Point twice(g);
    const double dbl_pt = Measure([&] { EC_POINT_dbl(g.raw(), twice.mutable_raw(), p.raw(), ThreadBnCtx(false)); });
    const Point p_affine = Point::Decode(g, p.Encode()).value();
    const Point p_proj = p + k;
    const double encode_affine = Measure([&] { (void)p_affine.Encode(); });
    const double encode_proj = Measure([&] { (void)p_proj.Encode(); });
    const Bytes enc = p.Encode();
    const double decode = Measure([&] { (void)Point::Decode(g, enc); });
    std::printf("group operations (µs of CPU each)\n");
    std::printf("  fixed-base  s·G (MulBase)       %8.1f  (%s)\n", fixed,
                FixedBase::Generator(g).uses_comb() ? "Pingyi's comb" : "OpenSSL's table");
    std::printf("  fixed-base  s·K (K's table)     %8.1f  (%s; built in %.1f ms)\n", fixed_k,
                k_table.uses_comb() ? "Pingyi's comb" : "OpenSSL's table", table_build / 1000);
    std::printf("  comb        s·G (forced)        %8.1f\n", comb_g);
    std::printf("  variable    s·P                 %8.1f\n", var);
    std::printf("  double      a·G + b·P (public)  %8.1f\n", dbl);
    std::printf("  multi       a·G + b·P + c·Q     %8.1f\n", tri);
    std::printf("  table       a·K + b·P (K table) %8.1f\n", tbl);
    std::printf("  point add                       %8.2f\n", add);
    std::printf("  point doubling                  %8.2f\n", dbl_pt);
    std::printf("  point encode (affine / Jacobian)%8.2f / %.2f\n", encode_affine, encode_proj);
    std::printf("  point decode (decompress)       %8.2f\n", decode);
    // Where secrets live (crypto/secret.hpp): a 32-byte block from the secure heap and back,
    // against the ordinary heap; and a secret scalar against a public one.
    const double secure_block = Measure([&] { OPENSSL_secure_free(OPENSSL_secure_malloc(32)); });
    const double plain_block = Measure([&] { OPENSSL_free(OPENSSL_malloc(32)); });
    const Bytes a_bytes = a.Encode();
    const double secret_scalar = Measure([&] { (void)Scalar::DecodeSecret(g, a_bytes); });
    const double public_scalar = Measure([&] { (void)Scalar::Decode(g, a_bytes); });
    std::printf("  32-byte block, secure / ordinary heap %6.3f / %.3f  (secure heap %s)\n", secure_block, plain_block,
                SecureHeap().available ? "on" : "not available");
    std::printf("  scalar decode, secret / public  %8.3f / %.3f\n\n", secret_scalar, public_scalar);

    const Scalar r = Scalar::Random(g, rng);
    const Ciphertext ct = Encrypt(k, 1, r);
    const double cell_enc = Measure([&] {
        const Scalar rr = Scalar::Random(g, rng);
        const Ciphertext c = Encrypt(k_table, 1, rr);
        (void)ProveRange(k_table, c, 1, rr, 1, ctx, rng);
    });
    const RangeProof proof = ProveRange(k, ct, 1, r, 1, ctx, rng);
    const double cell_ver = Measure([&] { (void)VerifyRange(k, ct, 1, proof, ctx); });
    // A cell: Enc = 2 with G's table + 1 with K's (r·G, (m+1)·G, r·K); proof = per branch,
    // real or simulated alike, 2 with G's + 1 with K's (w·G, (c·(j−m)+1)·G, w·K), all
    // constant time. Verification: per branch one double a·G + b·A and one double with K's
    // precomputed table, a·K + b·B' (≈ the same cost).
    const double cell_enc_model = 6 * fixed + 3 * fixed_k;
    const double cell_ver_model = 4 * dbl;
    std::printf("one cell (0/1 encryption with its proof)\n");
    std::printf("  encrypt + prove   %8.1f µs   (model %8.1f µs, ratio %.2f)\n", cell_enc, cell_enc_model,
                cell_enc / cell_enc_model);
    std::printf("  verify            %8.1f µs   (model %8.1f µs, ratio %.2f)\n\n", cell_ver, cell_ver_model,
                cell_ver / cell_ver_model);

    const std::uint32_t quota = members / 3;
    const GridShape shape{members, options, /*quota_col=*/0, quota};
    std::vector<std::uint32_t> choices(members);
    for (std::uint32_t i = 0; i < members; ++i)
        choices[i] = i < quota ? 0 : 1 + i % (options - 1);
    EncryptedGrid grid = EncryptGrid(k, shape, choices, ctx, rng);
    const double ballot_enc = Measure([&] { (void)EncryptGrid(k, shape, choices, ctx, rng); }, 2000);
    const double ballot_ver = Measure([&] { (void)VerifyGrid(k, shape, grid, ctx); }, 2000);
    const unsigned threads = std::max(2u, std::thread::hardware_concurrency());
    const double ballot_ver_mt = MeasureWall([&] { (void)VerifyGrid(k, shape, grid, ctx, threads); }, 2000);
    const double cells = static_cast<double>(members) * options;
    // Row proof: 1 with G's table + 1 with K's to prove, 1 double + 1 multi to verify. Quota
    // range proof over quota+1 branches, each 2 with G's table + 1 with K's.
    const double enc_model = cells * cell_enc_model + members * (fixed + fixed_k) + (quota + 1) * (2 * fixed + fixed_k);
    const double ver_model = cells * cell_ver_model + members * 2 * dbl + (quota + 1) * 2 * dbl;
    std::printf("one ballot: %u members × %u options, row proofs, quota ≤ %u on option 1 (%zu bytes)\n", members,
                options, quota, grid.Encode().size());
    std::printf("  encrypt + prove   %8.1f ms   (model %8.1f ms, ratio %.2f)\n", ballot_enc / 1000, enc_model / 1000,
                ballot_enc / enc_model);
    std::printf("  verify, 1 thread  %8.1f ms   (model %8.1f ms, ratio %.2f)\n", ballot_ver / 1000, ver_model / 1000,
                ballot_ver / ver_model);
    std::printf("  verify, %u threads %7.1f ms  (form 2: one batch, one thread)\n", threads, ballot_ver_mt / 1000);
    // Form 1 (challenge–response, one equation at a time) on the same ballot, and form 2 in
    // batches of 16 ballots as `pingyi verify` checks a box (docs/protocol.md §5.6).
    GridShape shape1 = shape;
    shape1.form = ProofForm::kChallengeResponse;
    const EncryptedGrid grid1 = EncryptGrid(k, shape1, choices, ctx, rng);
    const double ballot_ver1 = Measure([&] { (void)VerifyGrid(k, shape1, grid1, ctx); }, 2000);
    constexpr std::size_t kBatch = 16;
    std::vector<Bytes> batch_grids;
    for (std::size_t x = 0; x < kBatch; ++x)
        batch_grids.push_back(EncryptGrid(k, shape, choices, ctx, rng).Encode());
    const std::vector<ByteView> batch_views(batch_grids.begin(), batch_grids.end());
    const std::vector<ByteView> batch_ctx(kBatch, ByteView(ctx));
    BatchReport batch_report;
    const double batch_ver =
        Measure([&] { (void)VerifyGrids(k, shape, batch_views, batch_ctx, rng, &batch_report); }, 4000) / kBatch;
    if (batch_report.one_by_one != 0) std::printf("  (the batch failed: the figure below is not a batch's)\n");
    std::printf("  verify, form 1, one proof at a time, 1 thread %8.1f ms  (%.1f µs a cell)\n", ballot_ver1 / 1000,
                ballot_ver1 / cells);
    std::printf(
        "  verify, form 2, batches of %zu ballots, 1 thread %5.1f ms a ballot  (%.1f µs a cell, all its "
        "proofs included)\n\n",
        kBatch, batch_ver / 1000, batch_ver / cells);

    // The suite's signatures (Ed25519 or SM2 with SM3) and key-file derivation (scrypt or
    // PBKDF2-HMAC-SM3 at the default cost), as a kiosk pays them per record and per opening.
    const SigningKey signer = SigningKey::Generate(rng, suite);
    const Bytes message(200, 0x5a);
    const Bytes signature = signer.Sign(message);
    const double sign_us = Measure([&] { (void)signer.Sign(message); });
    const double verify_us = Measure([&] { (void)VerifySignature(suite, signer.public_key(), message, signature); });
    const auto s0 = Clock::now();
    const double s0_cpu = ThreadCpuMicros();
    const Bytes sealed = SealSigningKey(signer, "benchmark-pass", rng);
    const double seal_cpu = (ThreadCpuMicros() - s0_cpu) / 1e6;
    const double seal_s = std::chrono::duration<double>(Clock::now() - s0).count();
    const auto o0 = Clock::now();
    const double o0_cpu = ThreadCpuMicros();
    if (!OpenSigningKey(sealed, "benchmark-pass")) return 1;
    const double open_cpu = (ThreadCpuMicros() - o0_cpu) / 1e6;
    const double open_s = std::chrono::duration<double>(Clock::now() - o0).count();
    std::printf("signatures and key files (%s)\n",
                suite == SuiteId::SM2_SM3 ? "SM2 with SM3; PBKDF2-HMAC-SM3" : "Ed25519; scrypt");
    std::printf("  sign 200 bytes    %8.1f µs\n", sign_us);
    std::printf("  verify            %8.1f µs\n", verify_us);
    std::printf("  seal a key file   %8.2f s CPU (%.2f s wall), open %.2f s CPU (%.2f s wall), default cost\n\n",
                seal_cpu, seal_s, open_cpu, open_s);
    // Casting into a real ballot box file: encrypt + prove, the box's own verification,
    // and the durable transaction (WAL, synchronous=FULL, checkpoint).
    std::printf("casting into a SQLite ballot box in %s (5 options, quota on option 1)\n",
                std::filesystem::temp_directory_path().string().c_str());
    for (const std::uint32_t n : {30u, 100u}) {
        ElectionDefinition def;
        def.election_id = "0123456789abcdef0123456789abcdef";
        def.title = "bench";
        def.date = "2026-01-01";
        for (std::uint32_t i = 0; i < n; ++i)
            def.roster.push_back({"M" + std::to_string(i), "", ""});
        def.options = DefaultOptions(true);
        def.quota = Quota{0, n / 3};
        def.categories = {{"A", 40, 1}};
        auto created = CreateElection(def, "benchmark-pass", rng, kBenchKdf, nullptr, suite);
        const auto dir = std::filesystem::temp_directory_path() / ("pingyi-bench-" + std::to_string(n));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        auto box = BallotBox::Create(dir / "box.sqlite", created->package, 1, "0000", rng, kBenchKdf);
        std::vector<std::uint32_t> ch(n);
        for (std::uint32_t i = 0; i < n; ++i)
            ch[i] = i < n / 3 ? 0 : 1 + i % 4;
        double enc_ms = 0, cast_ms = 0;
        const int casts = 20;
        for (int c = 0; c < casts; ++c) {
            auto t0 = Clock::now();
            const EncryptedGrid ballot = EncryptGrid(created->package.public_key, created->package.Shape(), ch,
                                                     created->package.BallotContext(0), rng);
            auto t1 = Clock::now();
            auto receipt = box->Cast(*NormalizeCode(created->codes[static_cast<std::size_t>(c)].code), ballot);
            auto t2 = Clock::now();
            if (!receipt) {
                std::printf("cast failed: %s\n", receipt.error().detail.c_str());
                return 1;
            }
            enc_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
            cast_ms += std::chrono::duration<double, std::milli>(t2 - t1).count();
        }
        std::printf(
            "  %3u members: encrypt+prove %6.1f ms, verify+durable commit %6.1f ms, total %6.1f ms per ballot\n", n,
            enc_ms / casts, cast_ms / casts, (enc_ms + cast_ms) / casts);
        if (n == 30) {
            // A refused code costs one signed, durable event (formats.md §4.10).
            const int events = 50;
            const auto e0 = Clock::now();
            for (int e = 0; e < events; ++e)
                if (!box->LogEvent(BoxEvent::CodeRejected, {{"reason", "unknown"}})) return 1;
            const double event_ms = std::chrono::duration<double, std::milli>(Clock::now() - e0).count() / events;
            std::printf("  one event-log entry (sign + durable commit): %.1f ms\n", event_ms);
        }
        std::filesystem::remove_all(dir);
    }
    return 0;
}
