"""`wildcli simulate`: apply an export the way its target applies it, next to wildcli's own judgement.

`load_applier(result)` reads a rendered export back into the target's semantics
(`wildcli.simulation.appliers`); `simulate(records, applier, matcher)` scores both on the same
records. The CLI renders the export with the same options as `wildcli export`.
"""

from __future__ import annotations

from wildcli.simulation.appliers import Applier, Verdict
from wildcli.simulation.loading import TARGETS, load_applier
from wildcli.simulation.report import Disagreement, SimulationReport, SystemScore, simulate

__all__ = [
    "TARGETS", "Applier", "Disagreement", "SimulationReport", "SystemScore", "Verdict", "load_applier",
    "simulate",
]
