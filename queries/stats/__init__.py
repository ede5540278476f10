"""Statistics public-health analysts in England expect, as pure vectorised functions.

Confidence intervals (Wilson, Byar / exact Poisson), significance verdicts, comparator-group
aggregation, the Fingertips trend test, XmR charts with Making Data Count rules and funnel
limits. No I/O: arrays and frames in, arrays and frames out.
"""

from queries.stats.comparators import (
    aggregate_peers,
    aggregate_peers_by_period,
    best_rank,
    rank_among,
)
from queries.stats.funnel import FUNNEL_LEVELS, funnel_flag, funnel_limits
from queries.stats.intervals import (
    CI_METHODS,
    CONFIDENCE_LEVELS,
    EXACT_POISSON_BELOW,
    byar_interval,
    interval,
    point_estimate,
    poisson_count_interval,
    wilson_interval,
    z_value,
)
from queries.stats.significance import POLARITIES, VERDICTS, compare, direction, verdict
from queries.stats.spc import (
    ASSURANCE_ICONS,
    RULES,
    VARIATION_ICON_KEYS,
    VARIATION_ICONS,
    assurance_icon,
    variation_icon,
    variation_icon_key,
    xmr,
)
from queries.stats.trend import (
    TREND_DIRECTIONS,
    TrendResult,
    consistent_run,
    proportion_trend,
    recent_trend,
    recent_trend_by_area,
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
    "aggregate_peers",
    "aggregate_peers_by_period",
    "assurance_icon",
    "best_rank",
    "byar_interval",
    "compare",
    "consistent_run",
    "direction",
    "funnel_flag",
    "funnel_limits",
    "interval",
    "point_estimate",
    "poisson_count_interval",
    "proportion_trend",
    "rank_among",
    "recent_trend",
    "recent_trend_by_area",
    "variation_icon",
    "variation_icon_key",
    "verdict",
    "wilson_interval",
    "xmr",
    "z_value",
]
