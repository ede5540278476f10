"""Spiegelhalter's overdispersion adjustment for funnel plots.

When councils differ by more than chance (most do when the denominator is person-days), 99.8 %
limits from the binomial or Poisson model flag most of them. Spiegelhalter (2005, "Handling
over-dispersion of performance indicators", Qual Saf Health Care 14:347) estimates the excess
from the councils' own z-scores, winsorised at 10 % each end so outliers cannot widen the limits
that judge them, and widens the funnel either by a factor (multiplicative, √φ) or by a
between-area variance (additive random effects, τ², the DerSimonian-Laird estimate; NHS
Digital's SHMI uses the same model, on log ratios and trimming its 10 % rather than
winsorising). z-scores are taken on a variance-stabilising scale: arcsine square root for
proportions, square root of observed / expected for rates (as FunnelPlotR does for proportions
and the Healthcare Commission "CQC" method for ratios).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from queries.stats._arrays import as_float
from queries.stats.intervals import z_value

METHODS = ("none", "multiplicative", "additive")
METHOD_NAMES = {
    "none": "no overdispersion adjustment",
    "multiplicative": "multiplicative overdispersion (Spiegelhalter)",
    "additive": "additive random effects (Spiegelhalter; the model SHMI uses)",
}
WINSORISE_FRACTION = 0.1


@dataclass(frozen=True)
class Dispersion:
    """How far the councils spread beyond chance, and which adjustment applies it."""

    method: str
    phi: float  # dispersion ratio: mean squared winsorised z-score (1 = chance alone)
    tau2: float  # between-area variance on the transformed scale (additive model)
    areas: int  # councils whose z-scores were used

    @property
    def adjusts(self) -> bool:
        """Whether the limits move: only when the data show more spread than chance."""
        if self.method == "multiplicative":
            return self.phi > 1
        if self.method == "additive":
            return self.tau2 > 0
        return False

    def describe(self) -> str:
        """One line for a chart or export: the model and the estimate it used."""
        if self.method == "none":
            return "limits from the binomial/Poisson model alone"
        if not self.adjusts:
            return (
                f"{METHOD_NAMES[self.method]} chosen, but the {self.areas} councils spread no "
                f"more than chance (φ = {self.phi:.2f}), so the limits are unadjusted"
            )
        if self.method == "multiplicative":
            return (
                f"limits widened by the multiplicative factor √φ, φ = {self.phi:.2f} from "
                f"{self.areas} councils, z-scores winsorised at 10 %"
            )
        return (
            f"limits widened by additive random effects, τ = {np.sqrt(self.tau2):.4f} "
            f"(φ = {self.phi:.2f}) from {self.areas} councils, z-scores winsorised at 10 %"
        )


def check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"unknown overdispersion method {method!r}; expected one of {METHODS}")
    return method


def estimate(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike,
    benchmark: float,
    *,
    ci_method: str,
    multiplier: float,
    method: str,
    winsorise: float = WINSORISE_FRACTION,
) -> Dispersion:
    """φ and τ² from the councils with a usable count (Spiegelhalter 2005, appendix)."""
    check_method(method)
    num, den = np.broadcast_arrays(as_float(numerator), as_float(denominator))
    usable = np.isfinite(num) & np.isfinite(den) & (den > 0)
    observed, target, spread = transformed(
        num[usable], den[usable], benchmark, ci_method=ci_method, multiplier=multiplier
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        z_scores = (observed - target) / spread
    finite = np.isfinite(z_scores)
    z_scores, weights = z_scores[finite], 1 / spread[finite] ** 2
    areas = len(z_scores)
    if areas < 2:
        return Dispersion(method, float("nan"), 0.0, areas)
    low, high = np.quantile(z_scores, [winsorise, 1 - winsorise])  # R's type 7, as FunnelPlotR
    phi = float(np.mean(np.clip(z_scores, low, high) ** 2))
    excess = areas * phi - (areas - 1)
    scale = weights.sum() - (weights**2).sum() / weights.sum()
    tau2 = max(0.0, excess / scale) if excess > 0 and scale > 0 else 0.0
    return Dispersion(method, phi, float(tau2), areas)


def transformed(
    numerator: np.ndarray,
    denominator: np.ndarray,
    benchmark: float | np.ndarray,
    *,
    ci_method: str,
    multiplier: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(observed, target, standard error) on the variance-stabilising scale."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if ci_method == "wilson":
            share = np.clip(numerator / denominator, 0, 1)
            target = np.arcsin(np.sqrt(np.asarray(benchmark, float) / multiplier))
            return np.arcsin(np.sqrt(share)), target, 1 / (2 * np.sqrt(denominator))
        if ci_method == "byar":
            expected = np.asarray(benchmark, float) * denominator / multiplier
            observed = np.sqrt(numerator / expected)
            return observed, np.ones_like(observed), 1 / (2 * np.sqrt(expected))
    raise ValueError(f"overdispersion needs ci_method 'wilson' or 'byar'; got {ci_method!r}")


def adjusted_limits(
    benchmark: float | np.ndarray,
    denominator: np.ndarray,
    *,
    ci_method: str,
    multiplier: float,
    level: float,
    dispersion: Dispersion,
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits at each denominator, back on the metric's own scale."""
    empty = np.zeros_like(denominator, dtype=float)
    _, target, spread = transformed(
        empty, denominator, benchmark, ci_method=ci_method, multiplier=multiplier
    )
    if dispersion.method == "multiplicative":
        width = np.sqrt(max(dispersion.phi, 1.0)) * spread
    else:
        width = np.sqrt(spread**2 + dispersion.tau2)
    z = z_value(level)
    return tuple(
        _back_transform(target + side * z * width, benchmark, ci_method, multiplier)
        for side in (-1, 1)
    )


def _back_transform(
    value: np.ndarray, benchmark: float | np.ndarray, ci_method: str, multiplier: float
) -> np.ndarray:
    if ci_method == "wilson":
        return np.sin(np.clip(value, 0, np.pi / 2)) ** 2 * multiplier
    return np.asarray(benchmark, float) * np.clip(value, 0, None) ** 2
