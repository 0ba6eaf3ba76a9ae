"""Deprecated alias of :mod:`llmsizing.training`, kept so existing imports work.

Training plans, FLOPs, time and cost now live in the :mod:`llmsizing.training`
package (:mod:`~llmsizing.training.plan`, :mod:`~llmsizing.training.flops`);
import them from there. Every name this module offered is re-exported.

Examples
--------
>>> from llmsizing.training_plan import train_report
>>> import llmsizing.training
>>> train_report is llmsizing.training.train_report
True
"""

from llmsizing.training import (
    CHINCHILLA_TOKENS_PER_PARAM,
    ClaimStatus,
    TrainingEstimate,
    TrainingFit,
    TrainingMemory,
    TrainingSetup,
    check_training_claim,
    check_training_layout,
    cluster_peak_flops,
    estimate_training,
    fit_training,
    implied_mfu,
    matmul_params_per_token,
    min_training_cluster,
    train_report,
    training_cost,
    training_flops,
    training_flops_per_token,
    training_time,
)

__all__ = [
    "CHINCHILLA_TOKENS_PER_PARAM",
    "ClaimStatus",
    "TrainingEstimate",
    "TrainingFit",
    "TrainingMemory",
    "TrainingSetup",
    "check_training_claim",
    "check_training_layout",
    "cluster_peak_flops",
    "estimate_training",
    "fit_training",
    "implied_mfu",
    "matmul_params_per_token",
    "min_training_cluster",
    "train_report",
    "training_cost",
    "training_flops",
    "training_flops_per_token",
    "training_time",
]
