"""Training claims: a model, or a bare parameter count, trains on N (or N–M) instances.

The verdict is :func:`llmsizing.training_plan.check_training_claim`'s: over the
range lo–hi it holds if the fewest instances that hold the training state is
at most lo, depends if it lies inside the range, and fails above it.
"""

from __future__ import annotations

from typing import Any

from llmsizing.errors import ClaimError, LlmsizingError
from llmsizing.training import TrainingSetup
from llmsizing.training_plan import check_training_claim

from .context import Context
from .parsing import parse_params
from .registry import checker
from .schema import TrainingClaim, span
from .verdict import MARK, Verdict

__all__ = ["check_training"]


@checker("training")
def check_training(c: TrainingClaim, ctx: Context) -> Verdict:
    """Size the training state on the instance count (or range) the claim names."""
    inst = ctx.instance(c, c.instance)
    target: Any
    if c.model is not None:
        target = ctx.model(c, c.model)
    else:
        target = parse_params(c.params, c.where("params"))
    try:
        setup = TrainingSetup(**(c.setup or {}))
    except LlmsizingError as e:
        raise ClaimError(f"{c.where('setup')}: setup: {e}") from None
    status, numbers, expl = ctx.timed(
        check_training_claim, target, inst, span(c.instances), setup, ctx.catalog
    )
    return Verdict(
        claim=c,
        status=status,
        numbers=numbers,
        assumptions={"setup": setup.model_dump()},
        explanation=f"{MARK[status]} {expl}",
    )
