"""Training plans: the cluster a run needs, and its FLOPs, time and cost.

Builds on the memory model of :mod:`llmsizing.training.memory` and the FLOPs of
:mod:`llmsizing.training.flops`:

* :func:`fit_training`: one layout on one instance type, at a given instance
  count or the smallest that holds the training state.
* :func:`min_training_cluster`: the layouts a practitioner would try
  (:func:`~llmsizing.training.candidate_layouts`), all searched at once.
* :func:`estimate_training`, :func:`training_cost`: FLOPs, days and USD.
* :func:`train_report` (what the ``train`` command prints) and
  :func:`check_training_claim`.

The searches evaluate every candidate layout and data-parallel degree as
numpy arrays in bytes (:class:`~llmsizing.training.StageMemory`); Quantities
are built only for the results returned.

References
----------
.. [1] J. Hoffmann et al., "Training Compute-Optimal Large Language Models",
   arXiv:2203.15556, 2022 (about 20 training tokens per parameter).

Examples
--------
>>> import llmsizing as ls
>>> from llmsizing.training import TrainingSetup
>>> r = fit_training(ls.load_model("llama-3.1-8b"), "p5e.48xlarge", TrainingSetup())
>>> r.fits, r.instances
(True, 1)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from llmsizing.catalog import Catalog, Instance, load_catalog
from llmsizing.errors import WorkloadError
from llmsizing.model import ModelConfig
from llmsizing.presets import load_model
from llmsizing.training.flops import cluster_peak_flops, training_flops, training_time
from llmsizing.training.layout import (
    candidate_layouts,
    check_data_parallel,
    check_training_layout,
    instance_step,
)
from llmsizing.training.memory import StageMemory, TrainingMemory
from llmsizing.training.setup import CHINCHILLA_TOKENS_PER_PARAM, TrainingSetup
from llmsizing.units import ureg

__all__ = [
    "ClaimStatus",
    "TrainingEstimate",
    "TrainingFit",
    "check_training_claim",
    "estimate_training",
    "fit_training",
    "min_training_cluster",
    "train_report",
    "training_cost",
]

ClaimStatus = Literal["holds", "fails", "depends"]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def as_setup(setup: TrainingSetup | Mapping[str, Any] | None) -> TrainingSetup:
    """``setup`` itself, a :class:`TrainingSetup` from a dict of its fields, or the default.

    Raises
    ------
    WorkloadError
        For anything else (a number where a setup is meant).
    """
    if setup is None:
        return TrainingSetup()
    if isinstance(setup, TrainingSetup):
        return setup
    if isinstance(setup, Mapping):
        return TrainingSetup(**dict(setup))
    raise WorkloadError(
        f"a training setup is a TrainingSetup or a dict of its fields, got {setup!r}"
    )


def _resolve(
    model: ModelConfig | str, instance: Instance | str, catalog: Catalog | None
) -> tuple[ModelConfig, Instance, Catalog]:
    cat = catalog or load_catalog()
    m = load_model(model) if isinstance(model, str) else model
    inst = cat.get(instance) if isinstance(instance, str) else instance
    return m, inst, cat


class TrainingFit(BaseModel):
    """Does a training layout fit an instance type, and on how many instances.

    Attributes
    ----------
    model, instance : str
    setup : TrainingSetup
        The layout evaluated, with ``data_parallel`` filled in.
    instances : int
        Instances evaluated.
    devices : int
        Devices used (``dp · tp · pp · cp``).
    fits : bool
        The most loaded device's memory ≤ usable memory per device.
    memory : TrainingMemory
        Breakdown on the most loaded device.
    usable : pint.Quantity
        Usable memory per device [GiB].
    min_instances : int or None
        Smallest instance count holding the training state at this layout
        (TP, PP, CP, EP, ZeRO stage fixed; DP free); None if no count does.
    binding : str
        The term that dominates the most loaded device's memory.
    explanation : str
    notes : tuple of str

    Examples
    --------
    >>> r = fit_training("llama-3.1-70b", "p5e.48xlarge", TrainingSetup(tensor_parallel=8),
    ...     instances=1)
    >>> r.fits, r.min_instances, r.binding
    (False, 2, 'optimizer states')
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    model: str
    instance: str
    setup: TrainingSetup
    instances: int
    devices: int
    fits: bool
    memory: TrainingMemory
    usable: Any
    min_instances: int | None
    binding: str
    explanation: str
    notes: tuple[str, ...] = ()

    @property
    def headroom(self) -> Any:
        """Usable minus required memory per device [GiB] (negative: does not fit)."""
        return (self.usable - self.memory.total).to("GiB")

    def to_dict(self) -> dict[str, Any]:
        """Plain-value summary (GiB as floats)."""
        mem = {k: round(float(v.to("GiB").magnitude), 3) for k, v in self.memory.terms.items()}
        return {
            "model": self.model,
            "instance": self.instance,
            "layout": self.setup.layout_label(),
            "instances": self.instances,
            "devices": self.devices,
            "fits": self.fits,
            "memory_per_device_GiB": mem,
            "total_per_device_GiB": round(float(self.memory.total.to("GiB").magnitude), 3),
            "usable_per_device_GiB": round(float(self.usable.to("GiB").magnitude), 3),
            "min_instances": self.min_instances,
            "binding": self.binding,
            "explanation": self.explanation,
        }

    def __str__(self) -> str:
        return self.explanation


def _search(stages: StageMemory, per: int, usable: float) -> tuple[IntArray, IntArray, FloatArray]:
    """Instance counts of every layout of ``stages`` on instances of ``per`` devices.

    Returns, per layout, the smallest instance count whose most loaded device
    holds at most ``usable`` bytes (0 if none does), the largest count the
    global batch allows (0 if none) and the peak memory at that count [bytes].
    Memory is non-increasing in the DP degree, so one bisection over the valid
    counts (multiples of :func:`instance_step`) runs for all layouts at once.
    """
    setups = stages.setups
    mp = np.array([s.model_parallel for s in setups], dtype=np.int64)
    step = instance_step(
        per,
        mp,
        [s.expert_parallel for s in setups],
        [s.context_parallel for s in setups],
    )
    dp_max = np.array([s.global_batch_sequences // s.micro_batch_size for s in setups])
    k_max = (dp_max * mp // per) // step

    def data_parallel(k: IntArray, rows: IntArray) -> IntArray:
        return np.asarray(k * step[rows] * per // mp[rows])

    every = np.arange(len(setups))
    top = stages.peak_bytes(data_parallel(np.maximum(k_max, 1), every))
    fits_top = (k_max >= 1) & (top <= usable)
    lo = np.ones_like(k_max)
    hi = np.where(fits_top, k_max, 1)
    while (rows := np.flatnonzero(lo < hi)).size:
        mid = (lo[rows] + hi[rows]) // 2
        ok = stages.peak_bytes(data_parallel(mid, rows), rows) <= usable
        hi[rows] = np.where(ok, mid, hi[rows])
        lo[rows] = np.where(ok, lo[rows], mid + 1)
    n_min = np.where(fits_top, lo * step, 0)
    n_max = np.where(k_max >= 1, k_max * step, 0)
    return n_min, n_max, top


def _explain(
    m: ModelConfig,
    inst: Instance,
    s: TrainingSetup,
    mem: TrainingMemory,
    usable: Any,
    n: int,
    fits: bool,
    n_min: int | None,
) -> str:
    tot = float(mem.total.to("GiB").magnitude)
    use = float(usable.to("GiB").magnitude)
    head = (
        f"{m.name} ({s.precision}, {s.layout_label()}, recompute {s.recompute}, "
        f"seq {s.seq_length}, micro-batch {s.micro_batch_size}) on {n} × {inst.name}: "
        f"{tot:,.1f} GiB on the most loaded device (stage {mem.stage}) vs {use:,.1f} GiB usable"
    )
    dom = mem.dominant
    dom_gib = float(mem.terms[dom].to("GiB").magnitude)
    if fits:
        more = "" if n_min is None or n_min == n else f"; {n_min} instance(s) would suffice"
        return f"{head}: fits; largest term {dom} ({dom_gib:,.1f} GiB){more}."
    if n_min is not None:
        return (
            f"{head}: does not fit; largest term {dom} ({dom_gib:,.1f} GiB); "
            f"this layout fits from {n_min} instances."
        )
    return (
        f"{head}: does not fit at any instance count this layout allows; "
        f"{dom} ({dom_gib:,.1f} GiB) dominate"
        + (
            " and do not shrink with more data parallelism: raise TP/PP, recompute more "
            "or use a smaller micro-batch."
            if dom == "activations"
            else "; raise TP/PP/EP or the ZeRO stage."
        )
    )


def fit_training(
    model: ModelConfig | str,
    instance: Instance | str,
    setup: TrainingSetup | None = None,
    instances: int | None = None,
    catalog: Catalog | None = None,
) -> TrainingFit:
    """Fit a training layout onto instances of one type.

    ``instances`` fixes the instance count (the DP degree follows as
    ``devices / (tp · pp · cp)``); without it, ``setup.data_parallel`` fixes
    it; without either, the smallest instance count that holds the training
    state at this layout is evaluated. Memory per device is
    :func:`training_memory_per_device`, compared with the instance's usable
    memory per device.

    Raises
    ------
    WorkloadError
        A layout the model or the device count cannot run (see
        :func:`check_training_layout`).

    Examples
    --------
    >>> import llmsizing as ls
    >>> r = fit_training("llama-3.1-70b", "p5e.48xlarge", TrainingSetup(tensor_parallel=8,
    ...     zero_stage=3))
    >>> r.instances, r.setup.data_parallel, r.fits
    (2, 2, True)
    """
    m, inst, _ = _resolve(model, instance, catalog)
    s = as_setup(setup)
    per = inst.accelerator_count
    check_training_layout(m, s.model_copy(update={"data_parallel": None}), None, per)
    usable = inst.accelerator_memory_usable.to("byte")
    stages = StageMemory(m, s)
    notes: list[str] = []
    smallest, largest, _ = _search(stages, per, float(usable.magnitude))
    n_min, n_max = int(smallest[0]) or None, int(largest[0])
    if instances is not None:
        if instances <= 0:
            raise WorkloadError(f"instances must be positive, got {instances}")
        n = instances
        check_training_layout(m, s, n * per, per)
        dp = n * per // s.model_parallel
    elif s.data_parallel is not None:
        dp = s.data_parallel
        check_data_parallel(s, dp)
        devices = dp * s.model_parallel
        n = math.ceil(devices / per)
        if devices % per:
            notes.append(f"{n * per - devices} of the {n * per} devices are left idle")
    elif n_min is not None:
        n = n_min
        dp = n * per // s.model_parallel
    elif n_max > 0:
        n = n_max
        dp = n * per // s.model_parallel
        notes.append(
            f"evaluated at {n} instances, the most the global batch allows "
            f"({s.global_batch_sequences} sequences, micro-batch {s.micro_batch_size})"
        )
    else:
        raise WorkloadError(
            f"the global batch ({s.global_batch_sequences} sequences) cannot fill one data-"
            f"parallel group of whole {inst.name} instances at {s.layout_label()}"
        )
    mem = stages.memory(dp)
    fits = float(mem.total.to("byte").magnitude) <= float(usable.magnitude)
    if not inst.usable_memory_known:
        notes.append(f"{inst.name}: usable memory per device not published; using the label")
    setup_out = s.model_copy(update={"data_parallel": dp})
    return TrainingFit(
        model=m.name,
        instance=inst.name,
        setup=setup_out,
        instances=n,
        devices=dp * s.model_parallel,
        fits=fits,
        memory=mem,
        usable=usable.to("GiB"),
        min_instances=n_min,
        binding=mem.dominant,
        explanation=_explain(m, inst, setup_out, mem, usable, n, fits, n_min),
        notes=tuple(notes),
    )


def min_training_cluster(
    model: ModelConfig | str,
    instance: Instance | str,
    setup: TrainingSetup | None = None,
    catalog: Catalog | None = None,
) -> TrainingFit:
    """The smallest cluster of one instance type that holds the training state.

    Searches the layouts a practitioner would use, keeping the setup's batch,
    sequence length, micro-batch, precision, recomputation and CP: TP over a
    divisor of the instance's devices that divides the heads, PP in powers of
    two across instances, ZeRO-1 or ZeRO-3, EP over powers of two dividing the
    routed experts; DP takes the remaining devices. Ties are broken towards
    ZeRO-1 (less communication), fewer pipeline stages (smaller bubble), then
    smaller TP and EP.

    Returns
    -------
    TrainingFit
        The winning layout at its smallest instance count; ``fits`` is False
        (evaluated at the layout that comes closest) when none fits.

    Examples
    --------
    >>> r = min_training_cluster("llama-3.1-405b", "p5e.48xlarge")
    >>> r.fits, r.instances, r.setup.layout_label()
    (True, 11, 'TP8 PP1 DP11 ZeRO-3')
    """
    m, inst, cat = _resolve(model, instance, catalog)
    s = as_setup(setup)
    per = inst.accelerator_count
    usable = float(inst.accelerator_memory_usable.to("byte").magnitude)
    cands = []
    for cand in candidate_layouts(m, per, s):
        try:
            check_training_layout(m, cand, None, per)
        except WorkloadError:
            continue
        cands.append(cand)
    if not cands:
        raise WorkloadError(f"no layout of {m.name} can be formed on {inst.name} with this batch")
    n_min, n_max, top = _search(StageMemory(m, cands), per, usable)
    fitting = np.flatnonzero(n_min > 0)
    if fitting.size:

        def preference(i: int) -> tuple[int, ...]:  # fewest instances, then ZeRO-1, PP, TP, EP
            c = cands[i]
            return (
                int(n_min[i]),
                c.zero_stage,
                c.pipeline_parallel,
                c.tensor_parallel,
                c.expert_parallel,
            )

        best = min(fitting.tolist(), key=preference)
        return fit_training(m, inst, cands[best], int(n_min[best]), cat)
    reachable = np.flatnonzero(n_max > 0)
    if reachable.size:  # nothing fits: the layout that comes closest
        i = int(reachable[np.argmin(top[reachable] / usable)])
        return fit_training(m, inst, cands[i], int(n_max[i]), cat)
    raise WorkloadError(f"no layout of {m.name} can be formed on {inst.name} with this batch")


# ----------------------------------------------------------------- estimates
class TrainingEstimate(BaseModel):
    """Training FLOPs, time and cost on a cluster.

    Attributes
    ----------
    flops : pint.Quantity
        Training FLOPs [FLOP].
    tokens : int
        Training tokens [tokens].
    tokens_source : str
        "given" or how the default was derived.
    peak : pint.Quantity
        Cluster dense peak in the recipe's compute dtype [TFLOPS].
    mfu : float
    time : pint.Quantity
        Wall-clock [day].
    device_hours : pint.Quantity
        Devices × wall-clock [hour].
    cost : pint.Quantity or None
        [USD]; None when the instance has no public hourly price.
    cost_note : str

    Examples
    --------
    >>> e = estimate_training("llama-3.1-8b", "p5e.48xlarge", 1, TrainingSetup(
    ...     training_tokens=10**12))
    >>> e.cost is None, e.cost_note.startswith("no public price")
    (True, True)
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    model: str
    instance: str
    instances: int
    flops: Any
    tokens: int
    tokens_source: str
    peak: Any
    mfu: float
    time: Any
    device_hours: Any
    cost: Any
    cost_note: str


def training_cost(time: Any, instances: int, usd_per_hour: float | None) -> Any:
    """Cost of running ``instances`` instances for ``time`` [USD], or None.

    .. math:: \\$ = T \\cdot n \\cdot p

    None when the instance has no public hourly price (``usd_per_hour`` None).

    Examples
    --------
    >>> training_cost(ureg.Quantity(10, "day"), 4, 55.04)
    <Quantity(52838.4, 'dollar')>
    >>> training_cost(ureg.Quantity(10, "day"), 4, None) is None
    True
    """
    if usd_per_hour is None:
        return None
    return (time * instances * usd_per_hour * ureg.USD / ureg.hour).to("USD")


def _price_note(cat: Catalog, inst: Instance, price: float | None) -> str:
    if price is not None:
        return f"us-east-1 On-Demand ${price:,.3f}/h per instance"
    others = [
        f"{p.pricing_model} {p.region} ${float(p.usd_per_hour.to('USD/hour').magnitude):,.2f}/h"
        for p in cat.prices_for(inst.name)
        if p.is_public
    ]
    tail = f"; catalogued elsewhere: {', '.join(others)}" if others else ""
    return f"no public price: {inst.name} has no us-east-1 On-Demand price{tail}"


def estimate_training(
    model: ModelConfig | str,
    instance: Instance | str,
    instances: int,
    setup: TrainingSetup | None = None,
    catalog: Catalog | None = None,
) -> TrainingEstimate:
    """FLOPs, wall-clock days and USD of training on ``instances`` instances.

    Tokens are ``setup.training_tokens`` or 20 per active parameter [1]_;
    time is :func:`training_time` at the dense peak of the recipe's compute
    dtype × ``setup.mfu``; cost is :func:`training_cost` at the us-east-1
    On-Demand price, None (with a note) where there is none.

    Examples
    --------
    >>> e = estimate_training("llama-3.1-8b", "p5.48xlarge", 16,
    ...     TrainingSetup(training_tokens=15_000_000_000_000))
    >>> round(float(e.time.magnitude)), round(float(e.cost.magnitude) / 1e6, 2)
    (176, 3.73)
    """
    m, inst, cat = _resolve(model, instance, catalog)
    s = as_setup(setup)
    if instances <= 0:
        raise WorkloadError(f"instances must be positive, got {instances}")
    if s.training_tokens is not None:
        tokens, src = s.training_tokens, "given"
    else:
        tokens = CHINCHILLA_TOKENS_PER_PARAM * m.param_counts().active
        src = "20 tokens per active parameter (Chinchilla, Hoffmann et al. 2022)"
    flops = training_flops(m, tokens, s.seq_length)
    peak = cluster_peak_flops(inst, instances, s.recipe.compute_dtype)
    t = training_time(flops, peak, s.mfu)
    price = cat.hourly_price(inst.name)
    return TrainingEstimate(
        model=m.name,
        instance=inst.name,
        instances=instances,
        flops=flops,
        tokens=int(tokens),
        tokens_source=src,
        peak=peak,
        mfu=s.mfu,
        time=t,
        device_hours=(t * inst.accelerator_count * instances).to("hour"),
        cost=training_cost(t, instances, price),
        cost_note=_price_note(cat, inst, price),
    )


def train_report(
    model: ModelConfig | str,
    instance: Instance | str,
    setup: TrainingSetup | None = None,
    instances: int | None = None,
    catalog: Catalog | None = None,
) -> dict[str, Any]:
    """Everything the ``train`` command prints, as plain JSON-ready values.

    Memory at the requested layout (at ``instances``, or at the smallest
    instance count holding it), the smallest cluster over the layouts
    :func:`min_training_cluster` tries, and FLOPs, days and USD on
    ``estimate_instances`` instances: ``instances`` if given, else the requested
    layout's minimum, else (when the requested layout never fits) the best
    layout's. Time and cost scale as 1/n and 1 with the count at a fixed MFU,
    so ``device_hours`` and ``cost_usd`` do not depend on it.

    Examples
    --------
    >>> r = train_report("llama-3.1-8b", "p5en.48xlarge", TrainingSetup(training_tokens=10**12))
    >>> r["fits"], r["instances"], r["cost_usd"] is not None
    (True, 1, True)
    """
    m, inst, cat = _resolve(model, instance, catalog)
    s = as_setup(setup)
    asked = fit_training(m, inst, s, None, cat)
    best = min_training_cluster(m, inst, s, cat)
    if instances is not None:
        run, n_est, est_layout = (
            fit_training(m, inst, s, instances, cat),
            instances,
            "requested layout",
        )
    elif asked.fits or not best.fits:
        run, n_est, est_layout = asked, asked.instances, "requested layout"
    else:  # the requested layout never fits: time and cost on the best layout's cluster
        run, n_est, est_layout = asked, best.instances, best.setup.layout_label()
    est = estimate_training(m, inst, n_est, s, cat)
    pc = m.param_counts()
    keys = ("weights", "gradients", "optimizer", "zero3_buffer", "activations")
    mem = {
        f"{k}_GiB": round(float(v.to("GiB").magnitude), 2)
        for k, v in zip(keys, run.memory.terms.values(), strict=True)
    }
    return {
        "model": m.name,
        "params_total_B": round(pc.total / 1e9, 2),
        "params_active_B": round(pc.active / 1e9, 2),
        "instance": inst.name,
        "devices_per_instance": inst.accelerator_count,
        "precision": s.precision,
        "state_bytes_per_param": round(s.recipe.bytes_per_param, 3),
        "recompute": s.recompute,
        "seq_length": s.seq_length,
        "global_batch_tokens": s.global_batch_tokens,
        "micro_batch_size": s.micro_batch_size,
        "layout": run.setup.layout_label(),
        "instances": run.instances,
        "devices": run.devices,
        "fits": run.fits,
        **mem,
        "total_per_device_GiB": round(float(run.memory.total.to("GiB").magnitude), 2),
        "usable_per_device_GiB": round(float(run.usable.to("GiB").magnitude), 2),
        "binding": run.binding,
        "min_instances_at_layout": asked.min_instances,
        "best_layout": best.setup.layout_label(),
        "best_layout_fits": best.fits,
        "best_min_instances": best.instances if best.fits else None,
        "training_tokens": est.tokens,
        "tokens_source": est.tokens_source,
        "training_flops": f"{float(est.flops.to('FLOP').magnitude):.3e}",
        "compute_dtype": s.recipe.compute_dtype,
        "mfu": s.mfu,
        "estimate_instances": n_est,
        "estimate_layout": est_layout,
        "cluster_peak_PFLOPS": round(float(est.peak.to("PFLOPS").magnitude), 1),
        "days": round(float(est.time.to("day").magnitude), 1),
        "device_hours": round(float(est.device_hours.to("hour").magnitude)),
        "cost_usd": None if est.cost is None else round(float(est.cost.to("USD").magnitude)),
        "price_note": est.cost_note,
        "explanation": run.explanation,
        "notes": "; ".join(run.notes),
    }


# ------------------------------------------------------------------- claims
def check_training_claim(
    model_or_params: ModelConfig | str | float,
    instance: Instance | str,
    instances_range: int | Sequence[int],
    setup: TrainingSetup | None = None,
    catalog: Catalog | None = None,
) -> tuple[ClaimStatus, dict[str, Any], str]:
    """Check "this model trains on N (or N-M) instances of this type".

    With a model (or preset name) the full memory model is used and
    :func:`min_training_cluster` gives n_min, the fewest instances holding the
    training state (model state and activations). With a bare parameter count
    only the model state counts, ``N × bytes_per_param`` spread perfectly over
    every device (ZeRO-3, no activations): a lower bound, so "fails" is
    certain and "holds" is necessary, not sufficient.

    Status, for the range lo..hi: ``"holds"`` if n_min ≤ lo (every count of
    the range holds it), ``"depends"`` if lo < n_min ≤ hi (only the upper part
    does), ``"fails"`` if n_min > hi or nothing fits.

    Returns
    -------
    (status, numbers, explanation)

    Examples
    --------
    >>> status, nums, _ = check_training_claim(1e12, "u-trn2x64", 1)
    >>> status, nums["min_instances"]
    ('fails', 3)
    """
    cat = catalog or load_catalog()
    inst = cat.get(instance) if isinstance(instance, str) else instance
    s = as_setup(setup)
    if isinstance(instances_range, int):
        lo = hi = instances_range
    else:
        lo, hi = int(min(instances_range)), int(max(instances_range))
    if lo <= 0:
        raise WorkloadError(f"instance counts must be positive, got {instances_range!r}")
    per_inst = inst.total_accelerator_memory_usable.to("byte")
    nums: dict[str, Any] = {
        "instance": inst.name,
        "instances_lo": lo,
        "instances_hi": hi,
        "precision": s.precision,
        "memory_per_instance_GiB": round(float(per_inst.to("GiB").magnitude), 1),
    }
    if isinstance(model_or_params, ModelConfig | str):
        m = load_model(model_or_params) if isinstance(model_or_params, str) else model_or_params
        r = min_training_cluster(m, inst, s, cat)
        n_min: int | None = r.instances if r.fits else None
        nums |= {
            "model": m.name,
            "params": m.param_counts().total,
            "min_instances": n_min,
            "layout": r.setup.layout_label(),
            "per_device_GiB": round(float(r.memory.total.to("GiB").magnitude), 1),
            "binding": r.binding,
        }
        what = f"{m.name} ({s.precision}, seq {s.seq_length}, recompute {s.recompute})"
        basis = f"at {r.setup.layout_label()}" if n_min else r.explanation
    else:
        n_params = float(model_or_params)
        if not (math.isfinite(n_params) and n_params > 0):
            raise WorkloadError(f"parameter count must be positive, got {model_or_params!r}")
        state = n_params * s.recipe.bytes_per_param * ureg.byte
        n_min = math.ceil(float((state / per_inst).to("").magnitude))
        nums |= {
            "params": n_params,
            "state_TB": round(float(state.to("TB").magnitude), 2),
            "min_instances": n_min,
        }
        what = (
            f"{n_params:.3g} parameters ({s.precision}, "
            f"{s.recipe.bytes_per_param:g} bytes/param = {float(state.to('TB').magnitude):,.1f} TB)"
        )
        basis = "model state only, perfectly sharded, activations excluded (a lower bound)"
    rng = f"{lo}" if lo == hi else f"{lo}-{hi}"
    status: ClaimStatus
    if n_min is None or n_min > hi:
        status = "fails"
        need = "no instance count" if n_min is None else f"at least {n_min} instances"
        expl = f"{what} needs {need} of {inst.name}, more than {rng}"
    elif n_min <= lo:
        status = "holds"
        expl = f"{what} fits on {n_min} × {inst.name}, within {rng}"
    else:
        status = "depends"
        expl = f"{what} needs {n_min} × {inst.name}: only the upper part of {rng} holds it"
    return status, nums, f"{expl} ({basis})."
