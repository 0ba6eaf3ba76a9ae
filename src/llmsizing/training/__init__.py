"""Training sizing: memory per device, the cluster a run needs, FLOPs, time and cost.

One module per concept, in the order data flows:

* :mod:`~llmsizing.training.setup`: :class:`TrainingSetup` (batch, precision,
  parallel degrees, ZeRO stage, recomputation, tokens, MFU) and the precision
  recipes (:data:`PRECISION_RECIPES`).
* :mod:`~llmsizing.training.layout`: the rules a layout must keep
  (:func:`check_training_layout`, :func:`check_data_parallel`), the valid
  instance counts (:func:`instance_step`), how a pipeline cuts the layers and
  holds micro-batches, and the layouts a search tries (:func:`candidate_layouts`).
* :mod:`~llmsizing.training.memory`: the model-state and activation formulas
  and :class:`StageMemory`, which runs them for every pipeline stage of one or
  many layouts at once, as numpy floats in bytes.
* :mod:`~llmsizing.training.flops`: training FLOPs, cluster peak, time, implied MFU.
* :mod:`~llmsizing.training.plan`: :func:`fit_training`,
  :func:`min_training_cluster`, :func:`estimate_training`,
  :func:`train_report`, :func:`check_training_claim`.

Examples
--------
>>> import llmsizing as ls
>>> from llmsizing.training import TrainingSetup, min_training_cluster
>>> r = min_training_cluster("llama-3.1-70b", "p5e.48xlarge", TrainingSetup())
>>> r.fits, r.instances, r.setup.layout_label()
(True, 2, 'TP8 PP1 DP2 ZeRO-1')
"""

from llmsizing.training.flops import (
    cluster_peak_flops,
    implied_mfu,
    matmul_params_per_token,
    training_flops,
    training_flops_per_token,
    training_time,
)
from llmsizing.training.layout import (
    candidate_layouts,
    check_data_parallel,
    check_training_layout,
    in_flight_microbatches,
    instance_step,
    pipeline_stage_layers,
)
from llmsizing.training.memory import (
    StageMemory,
    StageParameters,
    StageTerms,
    TrainingMemory,
    activation_memory_per_layer,
    gradient_memory_per_device,
    optimizer_memory_per_device,
    stage_parameters,
    training_memory_per_device,
    weight_memory_per_device,
)
from llmsizing.training.plan import (
    ClaimStatus,
    TrainingEstimate,
    TrainingFit,
    check_training_claim,
    estimate_training,
    fit_training,
    min_training_cluster,
    train_report,
    training_cost,
)
from llmsizing.training.setup import (
    ADAM8BIT_BLOCK,
    CHINCHILLA_TOKENS_PER_PARAM,
    PRECISION_RECIPES,
    Precision,
    PrecisionRecipe,
    Recompute,
    TrainingSetup,
)

__all__ = [
    "ADAM8BIT_BLOCK",
    "CHINCHILLA_TOKENS_PER_PARAM",
    "PRECISION_RECIPES",
    "ClaimStatus",
    "Precision",
    "PrecisionRecipe",
    "Recompute",
    "StageMemory",
    "StageParameters",
    "StageTerms",
    "TrainingEstimate",
    "TrainingFit",
    "TrainingMemory",
    "TrainingSetup",
    "activation_memory_per_layer",
    "candidate_layouts",
    "check_data_parallel",
    "check_training_claim",
    "check_training_layout",
    "cluster_peak_flops",
    "estimate_training",
    "fit_training",
    "gradient_memory_per_device",
    "implied_mfu",
    "in_flight_microbatches",
    "instance_step",
    "matmul_params_per_token",
    "min_training_cluster",
    "optimizer_memory_per_device",
    "pipeline_stage_layers",
    "stage_parameters",
    "train_report",
    "training_cost",
    "training_flops",
    "training_flops_per_token",
    "training_memory_per_device",
    "training_time",
    "weight_memory_per_device",
]
