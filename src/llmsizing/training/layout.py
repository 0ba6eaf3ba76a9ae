"""Training layouts: which layouts a model and a cluster can run, and how stages are cut.

* :func:`check_training_layout` and :func:`check_data_parallel`: the divisibility
  rules of tensor (TP), pipeline (PP), expert (EP) and context (CP) parallelism,
  each failure a :class:`~llmsizing.errors.WorkloadError` naming the reason.
* :func:`instance_step`: the instance counts a layout can be spread over.
* :func:`pipeline_stage_layers` and :func:`in_flight_microbatches`: how a
  pipeline splits the layers and how many micro-batches each stage holds under
  1F1B [1]_ [2]_.
* :func:`candidate_layouts`: the layouts a practitioner would try on one
  instance type.

References
----------
.. [1] D. Narayanan et al., "Efficient Large-Scale Language Model Training on
   GPU Clusters Using Megatron-LM", SC21, arXiv:2104.04473, 2021 (1F1B schedule:
   the first stage keeps up to ``pp`` micro-batches of activations).
.. [2] NVIDIA Megatron-LM, ``megatron/training/theoretical_memory_usage.py``
   (``compute_activation_memory`` scales the first stage's activations by
   ``min(1, n_mb / pp)``).
.. [3] NVIDIA Megatron-LM, ``megatron/core/transformer/attention.py``
   (``num_query_groups_per_partition = divide(num_query_groups, world_size)``).
.. [4] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783,
   2024 (section 3.3.2: the first and last pipeline stages hold fewer layers).

Examples
--------
>>> pipeline_stage_layers(80, 3).tolist(), in_flight_microbatches(3, 16).tolist()
([26, 27, 27], [3, 2, 1])
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from llmsizing.errors import WorkloadError
from llmsizing.model import ModelConfig
from llmsizing.training.setup import TrainingSetup

__all__ = [
    "candidate_layouts",
    "check_data_parallel",
    "check_training_layout",
    "in_flight_microbatches",
    "instance_step",
    "pipeline_stage_layers",
]


def _divisors_note(n: int) -> str:
    return ", ".join(str(d) for d in range(1, n + 1) if n % d == 0)


def check_training_layout(
    model: ModelConfig,
    setup: TrainingSetup,
    devices: int | None = None,
    devices_per_instance: int | None = None,
) -> None:
    """Raise :class:`WorkloadError` if the parallel layout cannot run the model.

    Checks, each with the reason in the message: TP divides the attention
    heads and the KV heads (Megatron-Core's attention divides both by the
    TP size [3]_); PP is at most the
    number of layers; EP divides the routed experts and is 1 for dense models;
    CP divides the sequence length; TP fits inside one instance (its
    NVLink/NeuronLink domain); with ``devices``: ``tp · pp · cp`` divides the
    devices, the implied DP matches ``setup.data_parallel``, and
    :func:`check_data_parallel` holds for it.

    Parameters
    ----------
    model : ModelConfig
    setup : TrainingSetup
    devices : int, optional
        Devices of the cluster [-]; without it only ``setup.data_parallel``
        (if set) is checked.
    devices_per_instance : int, optional
        Devices of one instance [-], the bound on TP.

    Raises
    ------
    WorkloadError
        The first rule the layout breaks.

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("llama-3.1-8b")
    >>> check_training_layout(m, TrainingSetup(tensor_parallel=3))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    llmsizing.errors.WorkloadError: tensor_parallel 3 does not divide llama-3.1-8b's 32 ...
    """
    tp, pp, ep, cp = (
        setup.tensor_parallel,
        setup.pipeline_parallel,
        setup.expert_parallel,
        setup.context_parallel,
    )
    if model.num_heads % tp:
        raise WorkloadError(
            f"tensor_parallel {tp} does not divide {model.name}'s {model.num_heads} attention "
            f"heads (divisors: {_divisors_note(model.num_heads)})"
        )
    if model.mla is None and model.num_kv_heads % tp:
        raise WorkloadError(
            f"tensor_parallel {tp} does not divide {model.name}'s {model.num_kv_heads} KV heads "
            "(Megatron-Core splits num_query_groups evenly over the TP ranks)"
        )
    if pp > model.num_layers:
        raise WorkloadError(
            f"pipeline_parallel {pp} exceeds {model.name}'s {model.num_layers} layers"
        )
    if ep > 1:
        if not model.is_moe or model.moe is None:
            raise WorkloadError(f"expert_parallel {ep} needs an MoE model; {model.name} is dense")
        if model.moe.n_routed_experts % ep:
            raise WorkloadError(
                f"expert_parallel {ep} does not divide {model.name}'s "
                f"{model.moe.n_routed_experts} routed experts"
            )
    if setup.seq_length % cp:
        raise WorkloadError(
            f"context_parallel {cp} does not divide the sequence length {setup.seq_length}"
        )
    if devices_per_instance is not None and tp > devices_per_instance:
        raise WorkloadError(
            f"tensor_parallel {tp} exceeds the {devices_per_instance} devices of one instance; "
            "TP runs inside one instance's NVLink/NeuronLink domain"
        )
    if devices is None:
        if setup.data_parallel is not None:
            check_data_parallel(setup, setup.data_parallel)
        return
    mp = setup.model_parallel
    if devices % mp:
        raise WorkloadError(
            f"tp·pp·cp = {tp}·{pp}·{cp} = {mp} does not divide the {devices} devices"
        )
    dp = devices // mp
    if setup.data_parallel is not None and setup.data_parallel != dp:
        raise WorkloadError(
            f"data_parallel {setup.data_parallel} with tp·pp·cp = {mp} needs "
            f"{setup.data_parallel * mp} devices, not {devices}"
        )
    check_data_parallel(setup, dp)


def check_data_parallel(setup: TrainingSetup, data_parallel: int) -> None:
    """Raise :class:`WorkloadError` if ``data_parallel`` ranks cannot run ``setup``.

    EP groups are carved out of the data-parallel ranks, so EP divides
    ``dp · cp``; and every DP rank needs at least one micro-batch of the global
    batch: ``dp · micro_batch_size ≤ global_batch_sequences``.

    Parameters
    ----------
    setup : TrainingSetup
    data_parallel : int
        DP degree [-].

    Examples
    --------
    >>> check_data_parallel(TrainingSetup(expert_parallel=8), 4)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    llmsizing.errors.WorkloadError: expert_parallel 8 does not divide dp·cp = 4·1 = 4; EP groups ...
    """
    dp = data_parallel
    ep, cp = setup.expert_parallel, setup.context_parallel
    if (dp * cp) % ep:
        raise WorkloadError(
            f"expert_parallel {ep} does not divide dp·cp = {dp}·{cp} = {dp * cp}; "
            "EP groups are carved out of the data-parallel ranks"
        )
    if dp * setup.micro_batch_size > setup.global_batch_sequences:
        raise WorkloadError(
            f"data_parallel {dp} × micro-batch {setup.micro_batch_size} exceeds the global batch "
            f"of {setup.global_batch_sequences} sequences"
        )


def instance_step(
    devices_per_instance: int,
    model_parallel: npt.ArrayLike,
    expert_parallel: npt.ArrayLike = 1,
    context_parallel: npt.ArrayLike = 1,
) -> npt.NDArray[np.int64]:
    """Smallest step in instance count that keeps a layout valid [instances].

    A layout runs on n instances of g devices when ``mp = tp · pp · cp`` divides
    the n·g devices and EP divides ``dp · cp`` with ``dp = n·g / mp``. The first
    holds for multiples of :math:`n_0`, the second for multiples of the step s:

    .. math::

        n_0 = \\frac{mp}{\\gcd(mp, g)}, \\qquad
        s = n_0 \\, \\frac{ep}{\\gcd(ep, \\, cp \\, n_0 g / mp)}

    Parameters
    ----------
    devices_per_instance : int
        g [-].
    model_parallel, expert_parallel, context_parallel : int or array_like
        mp, ep and cp [-]; broadcast together.

    Returns
    -------
    numpy.ndarray
        s [instances], every valid instance count being a multiple of it.

    Examples
    --------
    >>> instance_step(8, [8, 16, 3], expert_parallel=[1, 1, 1]).tolist()
    [1, 2, 3]
    >>> int(instance_step(8, 8, expert_parallel=16))  # dp must be a multiple of 16
    16
    """
    g = devices_per_instance
    mp = np.asarray(model_parallel, dtype=np.int64)
    ep = np.asarray(expert_parallel, dtype=np.int64)
    cp = np.asarray(context_parallel, dtype=np.int64)
    n0 = mp // np.gcd(mp, g)
    dp0 = n0 * g // mp  # DP degree on n0 instances
    return np.asarray(n0 * (ep // np.gcd(ep, dp0 * cp)), dtype=np.int64)


def pipeline_stage_layers(num_layers: int, pipeline_parallel: int) -> npt.NDArray[np.int64]:
    """Decoder layers on each pipeline stage [-], one entry per stage.

    ``floor(L / pp)`` each; the ``L mod pp`` left over go one each to the
    last stages, which keep the fewest micro-batches in flight (Llama 3 405B
    likewise takes layers off its first stage [4]_).

    Examples
    --------
    >>> pipeline_stage_layers(126, 16).tolist()[:3], int(pipeline_stage_layers(126, 16).sum())
    ([7, 7, 8], 126)
    """
    if not 0 < pipeline_parallel <= num_layers:
        raise WorkloadError(
            f"pipeline_parallel ({pipeline_parallel}) must be between 1 and the number of "
            f"layers ({num_layers})"
        )
    base, extra = divmod(num_layers, pipeline_parallel)
    out = np.full(pipeline_parallel, base, dtype=np.int64)
    if extra:
        out[pipeline_parallel - extra :] += 1
    return out


def in_flight_microbatches(
    pipeline_parallel: npt.ArrayLike, num_microbatches: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """Micro-batches whose activations each stage holds under 1F1B [-].

    .. math:: m_i = \\min(pp - i, n_{mb}), \\quad i = 0 \\dots pp - 1

    The first stage runs ``pp`` forward passes before its first backward pass
    [1]_; Megatron-LM scales by ``min(1, n_mb / pp)`` when fewer micro-batches
    exist [2]_.

    Parameters
    ----------
    pipeline_parallel : int or array_like
        pp [-].
    num_microbatches : int or array_like
        Micro-batches per optimizer step per DP rank, :math:`n_{mb}` [-]
        (at least 1 is assumed); broadcast with ``pipeline_parallel``.

    Returns
    -------
    numpy.ndarray
        :math:`m_i`, with a last axis of one entry per stage (as many as the
        largest pp); entries past a layout's last stage are 0.

    Examples
    --------
    >>> in_flight_microbatches(4, 8).tolist(), in_flight_microbatches(4, 2).tolist()
    ([4, 3, 2, 1], [2, 2, 2, 1])
    >>> in_flight_microbatches([1, 3], 2).tolist()
    [[1, 0, 0], [2, 2, 1]]
    """
    pp = np.asarray(pipeline_parallel, dtype=np.int64)
    nmb = np.maximum(np.asarray(num_microbatches, dtype=np.int64), 1)
    stages = np.arange(int(pp.max()))
    held = np.minimum(pp[..., None] - stages, nmb[..., None])
    return np.asarray(np.maximum(held, 0), dtype=np.int64)


def candidate_layouts(
    model: ModelConfig, devices_per_instance: int, setup: TrainingSetup
) -> list[TrainingSetup]:
    """Layouts to try: TP within an instance, PP in powers of two, ZeRO-1/3, EP for MoE.

    TP takes the divisors of ``devices_per_instance`` that divide the attention
    (and, without MLA, the KV) heads; PP the powers of two up to 64 and the
    number of layers; EP the powers of two up to 256 dividing the routed experts
    (1 for dense models). Everything else (batch, sequence, micro-batch,
    precision, recomputation, CP) is kept from ``setup``, and DP is left free.

    Examples
    --------
    >>> import llmsizing as ls
    >>> cands = candidate_layouts(ls.load_model("llama-3.1-8b"), 8, TrainingSetup())
    >>> len(cands), cands[-1].layout_label()
    (48, 'TP8 PP32 ZeRO-3')
    """
    per = devices_per_instance
    tps = [
        d
        for d in range(1, per + 1)
        if per % d == 0
        and model.num_heads % d == 0
        and (model.mla is not None or model.num_kv_heads % d == 0)
    ]
    pps = [p for p in (1, 2, 4, 8, 16, 32, 64) if p <= model.num_layers]
    eps = [1]
    if model.is_moe and model.moe is not None:
        eps = [e for e in (1, 2, 4, 8, 16, 32, 64, 128, 256) if model.moe.n_routed_experts % e == 0]
    return [
        setup.model_copy(
            update={
                "tensor_parallel": tp,
                "pipeline_parallel": pp,
                "expert_parallel": ep,
                "zero_stage": z,
                "data_parallel": None,
            }
        )
        for z in (1, 3)
        for pp in pps
        for tp in tps
        for ep in eps
    ]
