"""Statistics public-health analysts in England expect, as pure vectorised functions.

Confidence intervals (Wilson, Byar / exact Poisson), significance verdicts, the Fingertips
trend test, XmR charts with Making Data Count rules, funnel limits and directly standardised
rates. No I/O: arrays and frames in, arrays and frames out.
"""

from queries.stats.funnel import FUNNEL_LEVELS, funnel_flag, funnel_limits
from queries.stats.intervals import (
    CI_METHODS,
    CONFIDENCE_LEVELS,
    EXACT_POISSON_BELOW,
    byar_interval,
    interval,
    poisson_count_interval,
    wilson_interval,
    z_value,
)
from queries.stats.significance import POLARITIES, VERDICTS, direction, verdict
from queries.stats.spc import (
    ASSURANCE_ICONS,
    RULES,
    VARIATION_ICON_KEYS,
    VARIATION_ICONS,
    assurance_icon,
    variation_icon,
    variation_icon_key,
    xmr,
    xmr_latest,
)
from queries.stats.trend import (
    TREND_DIRECTIONS,
    TrendResult,
    consistent_run,
    proportion_trend,
    recent_trend,
)

__all__ = [
    "ASSURANCE_ICONS",
    "CI_METHODS",
    "CONFIDENCE_LEVELS",
    "EXACT_POISSON_BELOW",
    "FUNNEL_LEVELS",
    "POLARITIES",
    "RULES",
    "TREND_DIRECTIONS",
    "VARIATION_ICONS",
    "VARIATION_ICON_KEYS",
    "VERDICTS",
    "TrendResult",
    "assurance_icon",
    "byar_interval",
    "consistent_run",
    "direction",
    "funnel_flag",
    "funnel_limits",
    "interval",
    "poisson_count_interval",
    "proportion_trend",
    "recent_trend",
    "variation_icon",
    "variation_icon_key",
    "verdict",
    "wilson_interval",
    "xmr",
    "xmr_latest",
    "z_value",
]
