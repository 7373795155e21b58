"""Range methods of the calibration observer (qopt.calibration_range) against
independent numpy computations on known distributions.

The numpy side never calls into qopt: the histogram is np.histogram over the
observer's final range, percentiles are np.percentile on the raw samples, the
entropy threshold is TensorRT's KL calibration as pytorch-quantization writes
it (np.digitize over a linspace of quantized bins), and the MSE optimum is a
brute-force search of the real quantize/dequantize error of the samples.
"""

import numpy as np
import pytest

import qopt

BINS = 2048


def distributions():
    rng = np.random.default_rng(1234)
    return {
        "normal": rng.standard_normal(60000).astype(np.float32),
        "laplace": rng.laplace(0.0, 1.0, 60000).astype(np.float32),
        "uniform": rng.uniform(-2.0, 5.0, 60000).astype(np.float32),
        "relu": np.maximum(rng.standard_normal(60000), 0).astype(np.float32),
    }


def batches_of(x, n=3):
    # Growing magnitudes force the histogram to re-bin while it observes.
    order = np.argsort(np.abs(x), kind="stable")
    return [np.ascontiguousarray(c) for c in np.array_split(x[order], n)]


def expected_threshold(batches):
    # An all-zero first batch starts from the smallest normal float.
    t = float(np.max(np.abs(batches[0]))) or float(np.finfo(np.float32).tiny)
    top = max(float(np.max(np.abs(b))) for b in batches)
    while t < top:
        t *= 2
    return t


@pytest.mark.parametrize("name", ["normal", "laplace", "uniform", "relu"])
def test_minmax_and_histogram(name):
    x = distributions()[name]
    batches = batches_of(x)
    r = qopt.calibration_range(batches, "minmax")
    assert r["min"] == float(x.min()) and r["max"] == float(x.max())
    assert r["lo"] == min(float(x.min()), 0.0)
    assert r["hi"] == max(float(x.max()), 0.0)
    t = expected_threshold(batches)
    assert r["threshold"] == t
    ref, _ = np.histogram(x.astype(np.float64), BINS, range=(-t, t))
    # Re-binning by doubling is exact; a value within rounding of a bin
    # edge may land on either side.
    assert r["histogram"].sum() == x.size
    assert np.abs(r["histogram"] - ref).sum() <= 4


def test_histogram_values_on_bin_edges():
    # Exact binary fractions on the edges of [-1, 1] / 2048 bins: numpy puts
    # an edge value in the bin to its right (the last edge in the last bin).
    x = (np.arange(-1024, 1025) / 1024.0).astype(np.float32)
    r = qopt.calibration_range([x], "minmax")
    assert r["threshold"] == 1.0
    ref, _ = np.histogram(x, BINS, range=(-1.0, 1.0))
    np.testing.assert_array_equal(r["histogram"], ref)


@pytest.mark.parametrize("name", ["normal", "laplace", "uniform", "relu"])
@pytest.mark.parametrize("p", [99.0, 99.9, 99.99])
def test_percentile(name, p):
    x = distributions()[name]
    batches = batches_of(x)
    r = qopt.calibration_range(batches, f"percentile:{p}")
    width = 2 * expected_threshold(batches) / BINS
    # hi is the right edge of the bin that holds the sample of rank
    # ceil(P%·n) (lo the left edge of the bin of rank (1-P%)·n): it lies
    # within one bin of that sample. np.percentile interpolates between
    # neighbouring ranks, so allow the samples one rank either side.
    xs = np.sort(x.astype(np.float64))
    n = xs.size
    k = int(np.ceil(p / 100 * n)) - 1
    hi_lo, hi_hi = xs[max(k - 1, 0)] - width, xs[min(k + 1, n - 1)] + width
    j = int(np.floor((1 - p / 100) * n))
    lo_lo, lo_hi = xs[max(j - 1, 0)] - width, xs[min(j + 1, n - 1)] + width
    assert max(hi_lo, 0.0) - 1e-9 <= r["hi"] <= max(hi_hi, 0.0) + 1e-9, (r, hi_lo, hi_hi)
    assert min(lo_lo, 0.0) - 1e-9 <= r["lo"] <= min(lo_hi, 0.0) + 1e-9, (r, lo_lo, lo_hi)
    # And close to numpy's interpolated percentile.
    assert abs(r["hi"] - max(float(np.percentile(x, p)), 0.0)) <= 0.05 * max(abs(r["hi"]), 1e-3) + width


def test_percentile_default_is_99_99():
    x = distributions()["laplace"]
    a = qopt.calibration_range([x], "percentile")
    b = qopt.calibration_range([x], "percentile:99.99")
    assert (a["lo"], a["hi"]) == (b["lo"], b["hi"])


def trt_entropy_threshold(x, t, bits=8):
    """TensorRT's KL calibration (pytorch-quantization's
    _compute_amax_entropy) on the |x| histogram of the observer's range."""
    hist, _ = np.histogram(x.astype(np.float64), BINS, range=(-t, t))
    half = BINS // 2
    bins = hist[half:] + hist[:half][::-1]
    width = t / half
    nq = 2 ** (bits - 1)
    best, best_i = np.inf, None
    for i in range(nq, half + 1):
        space = np.linspace(0, i, num=nq + 1)
        digitized = np.digitize(range(i), space) - 1
        digitized[bins[:i] == 0] = -1
        counts = np.zeros(nq)
        for idx, d in enumerate(digitized):
            if d != -1:
                counts[d] += bins[idx]
        nonzero = np.bincount(digitized[digitized >= 0], minlength=nq)
        q = np.zeros(i)
        for idx, d in enumerate(digitized):
            if d != -1:
                q[idx] = counts[d] / nonzero[d]
        p = bins[:i].astype(np.float64).copy()
        p[-1] += bins[i:].sum()
        if q.sum() == 0:
            continue
        p /= p.sum()
        q /= q.sum()
        mask = p > 0
        if np.any(q[mask] == 0):
            kl = np.inf
        else:
            kl = float(np.sum(p[mask] * np.log(p[mask] / q[mask])))
        if kl <= best:
            best, best_i = kl, i
    return best_i * width


@pytest.mark.parametrize("name", ["normal", "laplace", "relu"])
def test_entropy_matches_tensorrt(name):
    x = distributions()[name][:20000]
    r = qopt.calibration_range([x], "entropy")
    t = r["threshold"]
    c = trt_entropy_threshold(x, t)
    width = t / (BINS // 2)
    # np.digitize over a float linspace and the integer grouping of the C++
    # code agree up to one bin at group boundaries.
    assert abs(max(-r["lo"], r["hi"]) - c) <= 2 * width + 1e-9, (r, c)
    # Heavy tails clip: the threshold is inside the observed range.
    if name == "laplace":
        assert r["hi"] < 0.8 * r["max"]


def fake_quant_mse(x, lo, hi, bits, symmetric):
    x = x.astype(np.float64)
    if symmetric:
        qmax = 2 ** (bits - 1) - 1
        s = max(-lo, hi) / qmax
        q = np.clip(np.rint(x / s), -qmax - 1, qmax)
        return float(np.mean((q * s - x) ** 2))
    s = (hi - lo) / (2 ** bits - 1)
    qmin = -(2 ** (bits - 1))
    zp = qmin - np.rint(lo / s)
    q = np.clip(np.rint(x / s) + zp, qmin, qmin + 2 ** bits - 1)
    return float(np.mean(((q - zp) * s - x) ** 2))


@pytest.mark.parametrize("name", ["normal", "laplace", "uniform", "relu"])
@pytest.mark.parametrize("bits,symmetric", [(8, False), (8, True), (4, True)])
def test_mse_is_near_the_brute_force_optimum(name, bits, symmetric):
    x = distributions()[name][:20000]
    r = qopt.calibration_range([x], "mse", bits=bits, symmetric=symmetric)
    got = fake_quant_mse(x, r["lo"], r["hi"], bits, symmetric)
    amax = float(np.max(np.abs(x)))
    best = min(
        fake_quant_mse(x, min(0.0, max(float(x.min()), -c)),
                       max(0.0, min(float(x.max()), c)), bits, symmetric)
        for c in np.linspace(amax / 200, amax, 400))
    assert got <= 1.05 * best, (got, best, r)
    # Clipping pays off at 4 bits on heavy tails.
    if bits == 4 and name == "laplace":
        assert r["hi"] < 0.7 * float(x.max())


def test_bad_arguments():
    x = np.zeros(4, np.float32)
    with pytest.raises(qopt.Error, match="unknown calibration method"):
        qopt.calibration_range([x], "kl")
    with pytest.raises(qopt.Error, match="percentile"):
        qopt.calibration_range([x], "percentile:abc")
    with pytest.raises(qopt.Error, match="no finite values"):
        qopt.calibration_range([np.array([np.nan], np.float32)], "minmax")


def test_all_zero_tensor_has_an_empty_range():
    r = qopt.calibration_range([np.zeros(16, np.float32)], "entropy")
    assert (r["lo"], r["hi"]) == (0.0, 0.0)
