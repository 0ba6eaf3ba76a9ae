"""Accuracy of ``llmsizing.estimate_performance`` against published measurements.

Reads ``tests/data/perf/calibration.csv`` and ``validation.csv`` (sources in
``tests/data/perf/README.md``), runs every row on its own layout (TP, EP and
attention DP from the row; a stated ``dp`` of a dense model counts replicas),
batch, lengths, formats, engine and serving mode, and prints the median
|log(estimate / measured)| per metric (TTFT, TPOT, output throughput) and
hardware family, as a markdown table, for three splits:

* ``fit``: the calibration rows ``scripts/fit_efficiency.py`` fitted on;
* ``held-back``: the random 20% of calibration rows it kept out of the fit;
* ``validation``: ``validation.csv``, never used for fitting;
* ``held-out``: ``heldout.csv``, measurements from other sources collected
  after the model was built and used only to measure it (``HELDOUT.md``);
* ``held-out 2`` to ``held-out 12``: ``heldout2.csv`` to ``heldout12.csv``, more
  such sets from yet other sources, collected later (``HELDOUT.md``).

Run from a clone::

    python benchmarks/perf_accuracy.py            # the table
    python benchmarks/perf_accuracy.py --rows     # and every row's errors
    python benchmarks/perf_accuracy.py --timing   # and the time per estimate

Mapping rules (the same in the fit script, which imports this module):

* models: the Hugging Face id's preset (base/instruct and vendor-quantised
  checkpoints share an architecture), else the checkpoint's own ``config.json`` where
  ``tests/data/engine_logs/configs/`` stores it; Llama-2, CodeLlama and Qwen2.5-7B from
  their published ``config.json`` values below, GPT-J-6B and Falcon-180B from
  the checkpoint configs the TensorRT-LLM perf overview builds;
* hardware: H100 → p5.48xlarge, H200 → p5e.48xlarge, B200 → p6-b200.48xlarge,
  GB200 → p6e-gb200.36xlarge, A100-40GB → p4d.24xlarge, other A100 →
  p4de.24xlarge, L40S → g6e.48xlarge;
  Neuron rows name their instance;
* weights: ``fp4`` → ``nvfp4`` (the tables' NVFP4 checkpoints); an empty
  dtype → ``native``, the checkpoint as it ships (``Workload``'s default: DeepSeek's
  FP8, else ``bf16``); gpt-oss, and DeepSeek-R1 in ``fp8`` → ``native``;
  KV: the row's, else ``fp8`` for FP8/FP4 rows served by TensorRT-LLM engines
  (TensorRT-LLM and NIM's TensorRT-LLM profiles; :func:`kv_dtype_for`), else ``bf16``;
* batch: the row's (capped at the sequences memory holds and at the row's
  ``engine_batch``, the most the engine is configured to run; a serving benchmark's
  concurrency beyond that cap is passed as ``concurrency``, so its TTFT includes
  the queueing wait); a ``burst`` row (all its requests submitted at once) passes
  them as ``burst``, on at most that cap of sequences at once; a ``lockstep`` row
  (a closed loop of clients sending requests of fixed lengths) passes
  ``arrivals="lockstep"``; rows without one
  (TensorRT-LLM max-throughput runs) take the sequences the replica's KV memory
  holds at the mean context ``P + O/2``, at most ``ENGINE_MAX_BATCH``;
* buckets: the ``context_buckets`` / ``token_buckets`` a row states (or its stated
  engine configuration fixes) are passed as they are; elsewhere Neuron rows take
  the default context bucketing of ``estimate_performance``;
* compiled batch: on Neuron rows, the ``engine_batch`` the source states (compiled
  ``batch_size``, ``max-num-seqs``, ``MAX_BATCH_SIZE`` per replica) is passed as
  ``compiled_batch``: the static-shape decode graph computes all its slots;
* layout: ``ep``/``dp`` as stated; a row that states neither nor ``tp`` runs one model
  copy over its ``devices``; a ``dp`` without EP counts independent replicas,
  except where ``tp × dp`` exceeds the row's devices (SGLang's ``--tp N --dp D
  --enable-dp-attention``: D attention-DP ranks inside the N GPUs, ``Layout(tp=N/D,
  dp=D)``); a row on a device no catalog instance carries (MI300X, an H100 PCIe) runs on
  ``ls.system(device, count=devices)``;
* throughput scope: ``per-gpu`` divides the deployment's rate by its GPUs,
  ``total`` is the rows' replicas × one replica's rate, ``per-instance`` is one
  replica, ``per-user`` one sequence's rate;
* engine: the row's ``engine``, with its ``engine_version`` where the source
  states one (``vllm==0.6.1``: a V0 release, whose scheduler pauses decodes to
  prefill; :func:`llmsizing.perf.prefill_pauses_decode`);
* rows without input/output lengths (MLPerf) are skipped.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

import llmsizing as ls  # noqa: E402
from llmsizing import perf  # noqa: E402
from llmsizing.errors import LlmsizingError  # noqa: E402
from llmsizing.fit import ranks_per_device  # noqa: E402
from llmsizing.hf_config import parse  # noqa: E402
from llmsizing.layout import Layout  # noqa: E402

DATA = ROOT / "tests" / "data" / "perf"
METRICS = ("ttft", "tpot", "throughput")
HOLDOUT_FRACTION = 0.2
HOLDOUT_SEED = 20261201

# max_position_embeddings (4096 for Llama-2) is raised to 2**17: measured rows run longer
# sequences (the engines do not enforce it) and the compute does not depend on it
_LLAMA2 = {
    "model_type": "llama",
    "vocab_size": 32000,
    "tie_word_embeddings": False,
    "max_position_embeddings": 1 << 17,
}
# published config.json values (meta-llama/Llama-2-{7b,13b,70b}-hf, codellama/CodeLlama-13b-hf,
# mistralai/Mistral-7B-Instruct-v0.2, Qwen/Qwen2.5-7B-Instruct)
HF_CONFIGS: dict[str, dict[str, Any]] = {
    "llama-2-7b": _LLAMA2
    | {
        "hidden_size": 4096,
        "intermediate_size": 11008,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
    },
    "llama-2-13b": _LLAMA2
    | {
        "hidden_size": 5120,
        "intermediate_size": 13824,
        "num_hidden_layers": 40,
        "num_attention_heads": 40,
        "num_key_value_heads": 40,
    },
    "llama-2-70b": _LLAMA2
    | {
        "hidden_size": 8192,
        "intermediate_size": 28672,
        "num_hidden_layers": 80,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
    },
    "codellama-13b": _LLAMA2
    | {
        "vocab_size": 32016,
        "hidden_size": 5120,
        "intermediate_size": 13824,
        "num_hidden_layers": 40,
        "num_attention_heads": 40,
        "num_key_value_heads": 40,
    },
    # mistralai/Mistral-7B-Instruct-v0.2: full attention (sliding_window null), 32k context
    "mistral-7b-v0.2": {
        "model_type": "mistral",
        "vocab_size": 32000,
        "hidden_size": 4096,
        "intermediate_size": 14336,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "max_position_embeddings": 32768,
        "sliding_window": None,
        "tie_word_embeddings": False,
    },
    "qwen2.5-7b": {
        "model_type": "qwen2",
        "vocab_size": 152064,
        "hidden_size": 3584,
        "intermediate_size": 18944,
        "num_hidden_layers": 28,
        "num_attention_heads": 28,
        "num_key_value_heads": 4,
        "max_position_embeddings": 32768,
        "tie_word_embeddings": False,
    },
    # EleutherAI/gpt-j-6b config.json (tests/data/legacy_configs/); the TensorRT-LLM
    # perf-overview checkpoint config agrees (vocab 50400, hidden 4096, rotary_dim 64)
    "gpt-j-6b": {
        "model_type": "gptj",
        "vocab_size": 50400,
        "n_embd": 4096,
        "n_head": 16,
        "n_layer": 28,
        "n_inner": None,
        "rotary_dim": 64,
        "n_positions": 1 << 17,
        "tie_word_embeddings": False,
    },
    # tiiuae/falcon-180B as the TensorRT-LLM perf-overview builds it: 80 layers, 232 heads,
    # 8 KV heads, hidden 14848, vocabulary 65024 (Falcon's new decoder architecture), its
    # own LM head ("share_embedding_table": false)
    "falcon-180b": {
        "model_type": "falcon",
        "vocab_size": 65024,
        "hidden_size": 14848,
        "num_hidden_layers": 80,
        "num_attention_heads": 232,
        "num_kv_heads": 8,
        "new_decoder_architecture": True,
        "parallel_attn": True,
        "bias": False,
        "alibi": False,
        "tie_word_embeddings": False,
        "max_position_embeddings": 1 << 17,
    },
}

# Hugging Face id substring (lower case) -> preset or HF_CONFIGS key, first match wins
MODEL_MAP = (
    ("llama-2-7b", "llama-2-7b"),
    ("llama-2-13b", "llama-2-13b"),
    ("llama_13b", "llama-2-13b"),
    ("llama-2-70b", "llama-2-70b"),
    ("codellama-13b", "codellama-13b"),
    ("qwen2.5-7b", "qwen2.5-7b"),
    ("qwen2-7b", "configs/Qwen--Qwen2-7B-Instruct.json"),
    ("llama-3.1-405b", "llama-3.1-405b"),
    ("llama-3.3-70b", "llama-3.1-70b"),
    ("llama-3.1-70b", "llama-3.1-70b"),
    ("meta-llama-3-70b", "llama-3.1-70b"),
    ("distill-llama-70b", "llama-3.1-70b"),
    ("llama-3.1-8b", "llama-3.1-8b"),
    ("meta-llama-3-8b", "llama-3.1-8b"),
    ("mixtral-8x7b", "mixtral-8x7b"),
    ("mixtral-8x22b", "mixtral-8x22b"),
    ("mistral-7b-instruct-v0.2", "mistral-7b-v0.2"),
    ("mistral-7b", "mistral-7b-v0.1"),
    ("llama-4-scout", "llama-4-scout"),
    ("llama-4-maverick", "llama-4-maverick"),
    ("qwen3-30b-a3b", "qwen3-30b-a3b"),
    ("qwen3-235b-a22b", "qwen3-235b-a22b"),
    ("qwen3-32b", "qwen3-32b"),
    ("gpt-oss-120b", "gpt-oss-120b"),
    ("gpt-oss-20b", "gpt-oss-20b"),
    ("deepseek-r1", "deepseek-v3"),
    ("deepseek-v3.2", "deepseek-v3.2"),
    ("qwen3-14b", "configs/Qwen--Qwen3-14B.json"),
    ("gpt-j-6b", "gpt-j-6b"),
    ("falcon-180b", "falcon-180b"),
)
HARDWARE_MAP = (
    ("gb200", "p6e-gb200.36xlarge"),
    ("b200", "p6-b200.48xlarge"),
    ("h200", "p5e.48xlarge"),
    ("h100", "p5.48xlarge"),
    ("a100-40", "p4d.24xlarge"),
    ("a100", "p4de.24xlarge"),
    ("l40s", "g6e.48xlarge"),
)


def _num(v: Any) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def model_for(hf_id: str) -> ls.ModelConfig | None:
    """The llmsizing model of a row's Hugging Face id, or None if it has no mapping."""
    key = hf_id.lower()
    for sub, name in MODEL_MAP:
        if sub in key:
            if name in HF_CONFIGS:
                return _parsed(name)
            if name.startswith("configs/"):  # a config.json stored with the engine logs
                return ls.load_model(str(ROOT / "tests" / "data" / "engine_logs" / name))
            return ls.load_model(name)
    # else the checkpoint's own config.json, where the engine logs store it
    cfg = ROOT / "tests" / "data" / "engine_logs" / "configs" / (hf_id.replace("/", "--") + ".json")
    return ls.load_model(str(cfg)) if cfg.exists() else None


_PARSED: dict[str, ls.ModelConfig] = {}


def _parsed(name: str) -> ls.ModelConfig:
    if name not in _PARSED:
        _PARSED[name] = parse(HF_CONFIGS[name], name=name)
    return _PARSED[name]


#: Engines that serve TensorRT-LLM engines built from NVIDIA Model Optimizer checkpoints:
#: TensorRT-LLM itself and NIM's ``tensorrt_llm-*`` profiles (NIM for LLMs, "Model
#: Profiles": optimized profiles are pre-compiled TensorRT-LLM engines).
MODELOPT_ENGINES = ("trtllm", "nim")


def kv_dtype_for(engine: str, weight_dtype: str) -> str:
    """KV-cache dtype of a row that states none.

    FP8 for a quantised checkpoint served through TensorRT-LLM: Model Optimizer's
    post-training quantisation quantises the KV cache to FP8 unless told otherwise
    (``examples/llm_ptq/hf_ptq.py``: ``--kv_cache_qformat`` default ``"fp8"``, NVIDIA
    TensorRT-Model-Optimizer at ``42bb0236``; exported as ``kv_cache_quant_algo FP8``),
    and TensorRT-LLM builds the engine's KV cache in that format; else ``bf16``.

    Examples
    --------
    >>> kv_dtype_for("nim", "fp8"), kv_dtype_for("vllm", "fp8"), kv_dtype_for("trtllm", "bf16")
    ('fp8', 'bf16', 'bf16')
    """
    quantised = weight_dtype in ("fp8", "nvfp4", "native")
    return "fp8" if engine in MODELOPT_ENGINES and quantised else "bf16"


def instance_for(hardware: str) -> str:
    h = hardware.lower()
    if "xlarge" in h:
        return hardware
    if "pcie" in h:  # a PCIe card no catalog instance carries: the row runs on ls.system
        raise ValueError(f"no instance carries {hardware!r}")
    for sub, name in HARDWARE_MAP:
        if sub in h:
            return name
    raise ValueError(f"no instance for {hardware!r}")


def _instance(c: Case) -> Any:
    """The row's instance, or the system of its devices where no instance carries them."""
    return c.system if c.system is not None else ls.load_catalog().get(c.instance)


@dataclass
class Case:
    """One measured row, mapped to llmsizing inputs."""

    id: str
    family: str
    engine: str
    model: ls.ModelConfig
    instance: str
    workload: ls.Workload
    layout: Layout
    serving: str
    scope: str
    devices: float
    row_replicas: float
    measured: dict[str, float]
    concurrency: int | None = None  # clients per replica beyond what the engine batches
    burst: int | None = None  # requests per replica submitted at once
    lockstep: bool = False  # a closed loop of clients sending identical requests
    compiled_batch: int | None = None  # Neuron: slots the decode graph computes per replica
    context_buckets: tuple[int, ...] | None = None  # stated context-encoding buckets
    token_buckets: tuple[int, ...] | None = None  # stated token-generation buckets
    system: Any = None  # the devices as a system where no catalog instance carries them


def case_for(row: dict[str, Any], cat: Any) -> Case | str:
    """A :class:`Case` for a CSV row, or the reason it is skipped."""
    m = model_for(str(row["model"]))
    if m is None:
        return f"no llmsizing model for {row['model']}"
    isl, osl = _num(row["input_len"]), _num(row["output_len"])
    if isl is None or osl is None:
        return "no input/output lengths"
    hardware = str(row["hardware"])
    system = None
    try:
        inst = cat.get(instance_for(hardware))
    except ValueError:
        # a device no catalog instance carries (MI300X): a system of the row's devices
        system = inst = ls.system(hardware, count=int(_num(row["devices"]) or 1))
    engine = str(row["engine"])
    # no stated format: the checkpoint as it ships (Workload's default; DeepSeek's FP8)
    wd = row["weight_dtype"] if isinstance(row["weight_dtype"], str) else "native"
    wd = {"fp4": "nvfp4"}.get(wd, wd)
    name = m.name
    if name == "gpt-oss-120b" or name == "gpt-oss-20b" or (name == "deepseek-v3" and wd == "fp8"):
        wd = "native"
    if wd == "native" and m.checkpoint_quantization is None:  # an unquantised checkpoint
        wd = "bf16"
    kv = row["kv_dtype"] if isinstance(row["kv_dtype"], str) else None
    if kv is None:
        kv = kv_dtype_for(engine, wd)
    ep = int(_num(row["ep"]) or 1)
    dp = int(_num(row["dp"]) or 1)
    replicas = 1.0
    stated = _num(row["devices"])
    # no layout stated: one model copy over the row's devices (a NIM profile, a TP server)
    tp = int(
        _num(row["tp"]) or (stated * ranks_per_device(inst) if stated and ep == dp == 1 else 1)
    )
    if dp > 1 and tp > 1 and stated and tp * dp > stated * ranks_per_device(inst):
        # SGLang's --tp N --dp D --enable-dp-attention: D attention groups inside N ranks
        tp //= dp
    elif ep == 1 and dp > 1:  # otherwise a dp without EP counts independent replicas
        replicas, dp = float(dp), 1
    layout = Layout(tp=tp, ep=ep, dp=dp)
    per = ranks_per_device(inst)
    devices = _num(row["devices"]) or max(1.0, layout.ranks / per) * replicas
    p, o = int(isl), int(osl)
    base = ls.Workload(prompt_len=p, output_len=o, batch=1, weight_dtype=wd, kv_dtype=kv)
    r = ls.fit(m, inst, base.model_copy(update={"context_len": p + o // 2}), layout=layout)
    # a row's devices may span several instances (TP16 over two 8-GPU nodes)
    spanned = max(1, math.ceil(layout.ranks / (inst.accelerator_count * per)))
    if not r.fits and (r.instances_needed or math.inf) > spanned:
        return f"does not fit {inst.name} at {layout.label}"
    cap = int(r.max_concurrency)
    b_row = _num(row["batch"])
    if b_row and replicas > 1:
        # the stated concurrency is spread over the replicas; idle ones add nothing
        b_row, replicas = max(1.0, round(b_row / replicas)), min(replicas, b_row)
    eb = _num(row.get("engine_batch"))
    if eb:  # the engine runs at most the batch it is configured for; more clients queue
        cap = min(cap, int(eb))
    batch = min(int(b_row), max(1, cap)) if b_row else max(1, min(cap, perf.ENGINE_MAX_BATCH))
    serving = str(row["serving_mode"]) if isinstance(row["serving_mode"], str) else "continuous"
    burst = int(b_row) if b_row and serving == "burst" else None
    lockstep = serving == "lockstep"
    # a burst with no stated count is a max-throughput run: the engine's batch, as
    # the TensorRT-LLM rows with an empty batch
    if serving in ("burst", "lockstep"):
        serving = "continuous"
    queued = int(b_row) if b_row and serving == "continuous" and b_row > batch else None
    if burst is not None:
        queued = None
    w = ls.Workload(prompt_len=p, output_len=o, batch=batch, weight_dtype=wd, kv_dtype=kv)
    ls.fit(m, inst, w, layout=layout)  # raises for a context beyond the model's maximum
    measured = {}
    for key, col in (
        ("ttft", "ttft_ms"),
        ("tpot", "tpot_ms"),
        ("throughput", "output_tokens_per_s"),
    ):
        v = _num(row[col])
        if v is not None and v > 0:
            measured[key] = v
    if not measured:
        return "no TTFT, TPOT or throughput"
    scope = row["throughput_scope"] if isinstance(row["throughput_scope"], str) else "total"
    compiled = int(eb) if eb and inst.is_neuron else None
    cb, tb = (_buckets(row.get(k)) for k in ("context_buckets", "token_buckets"))
    version = row.get("engine_version")
    return Case(
        id=str(row["id"]),
        family=perf.hardware_family(inst),
        # a stated release picks the engine's scheduler (perf.prefill_pauses_decode)
        engine=f"{engine}=={version}" if isinstance(version, str) and version else engine,
        model=m,
        instance=inst.name,
        system=system,
        workload=w,
        layout=layout,
        serving=serving,
        scope=scope,
        devices=devices,
        row_replicas=replicas,
        measured=measured,
        concurrency=queued,
        burst=burst,
        lockstep=lockstep,
        compiled_batch=compiled,
        context_buckets=cb,
        token_buckets=tb,
    )


def _buckets(v: Any) -> tuple[int, ...] | None:
    """A space-separated bucket list cell as ints (None where empty)."""
    if not isinstance(v, str) or not v.strip():
        return None if not isinstance(v, (int, float)) or math.isnan(v) else (int(v),)
    return tuple(int(x) for x in v.split())


def throughput_in_scope(c: Case, per_replica: float) -> float:
    """A replica's output rate [token/s] in the row's throughput scope."""
    if c.scope == "per-user":
        return per_replica / c.workload.batch
    if c.scope == "per-instance":
        return per_replica
    total = per_replica * c.row_replicas
    return total / c.devices if c.scope == "per-gpu" else total


def predict(c: Case, **kw: Any) -> dict[str, float]:
    """estimate_performance on the row's layout: TTFT [ms], TPOT [ms], throughput [token/s]."""
    if c.concurrency is not None:  # the estimate counts clients over its own replicas
        cat = ls.load_catalog()
        d = perf._deployment(c.model, _instance(c), c.workload, c.layout, cat)
        kw = {"concurrency": c.concurrency * d.replicas, **kw}
    if c.burst is not None:
        cat = ls.load_catalog()
        d = perf._deployment(c.model, _instance(c), c.workload, c.layout, cat)
        kw = {"burst": c.burst * d.replicas, **kw}
    if c.compiled_batch is not None:
        kw = {"compiled_batch": c.compiled_batch, **kw}
    if c.lockstep:
        kw = {"arrivals": "lockstep", **kw}
    kw = {"context_buckets": c.context_buckets, "token_buckets": c.token_buckets, **kw}
    est = ls.estimate_performance(
        c.model, _instance(c), c.workload, layout=c.layout, engine=c.engine, serving=c.serving, **kw
    )  # type: ignore[arg-type]
    return {
        "ttft": float(est.ttft.to("ms").magnitude),
        "tpot": float(est.tpot.to("ms").magnitude),
        "throughput": throughput_in_scope(c, float(est.tokens_per_s_per_replica.magnitude)),
    }


def load_cases(name: str) -> tuple[list[Case], list[tuple[str, str]]]:
    cat = ls.load_catalog()
    df = pd.read_csv(DATA / f"{name}.csv")
    cases, skipped = [], []
    for row in df.to_dict("records"):
        try:
            c = case_for(row, cat)
        except LlmsizingError as e:
            c = f"cannot run: {e}"
        if isinstance(c, str):
            skipped.append((str(row["id"]), c))
        else:
            cases.append(c)
    return cases, skipped


def holdout_ids(ids: list[str]) -> set[str]:
    """The random 20% of calibration row ids kept out of the fit (fixed seed)."""
    rng = random.Random(HOLDOUT_SEED)
    ordered = sorted(ids)
    return set(rng.sample(ordered, round(HOLDOUT_FRACTION * len(ordered))))


def errors(cases: list[Case]) -> pd.DataFrame:
    rows = []
    for c in cases:
        pred = predict(c)
        for k, meas in c.measured.items():
            rows.append(
                {
                    "id": c.id,
                    "family": c.family,
                    "kind": "neuron" if c.family.startswith("neuron") else "gpu",
                    "metric": k,
                    "measured": meas,
                    "estimate": pred[k],
                    "abs_log_err": abs(math.log(pred[k] / meas)),
                }
            )
    return pd.DataFrame(rows)


def table(err: pd.DataFrame) -> pd.DataFrame:
    """Median |log error| [%] per family and metric, with kind and overall rows."""
    out = []
    groups: list[tuple[str, pd.DataFrame]] = [(f, g) for f, g in err.groupby("family", sort=True)]
    groups += [(f"all {k}", g) for k, g in err.groupby("kind", sort=True)]
    groups.append(("all", err))
    for name, g in groups:
        rec: dict[str, Any] = {"family": name, "rows": int(g.id.nunique())}
        for mtr in METRICS:
            s = g[g.metric == mtr].abs_log_err
            rec[mtr] = f"{100 * s.median():.0f}% ({len(s)})" if len(s) else "–"
        rec["all metrics"] = f"{100 * g.abs_log_err.median():.0f}%"
        out.append(rec)
    return pd.DataFrame(out)


def markdown(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(v) for v in r) + " |" for r in df.itertuples(index=False)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", action="store_true", help="print every row's errors")
    ap.add_argument("--timing", action="store_true", help="time estimate_performance")
    a = ap.parse_args(argv)
    cal, cal_skip = load_cases("calibration")
    val, val_skip = load_cases("validation")
    out, out_skip = load_cases("heldout")
    out2, out2_skip = load_cases("heldout2")
    out3, out3_skip = load_cases("heldout3")
    out4, out4_skip = load_cases("heldout4")
    out5, out5_skip = load_cases("heldout5")
    out6, out6_skip = load_cases("heldout6")
    out7, out7_skip = load_cases("heldout7")
    out8, out8_skip = load_cases("heldout8")
    out9, out9_skip = load_cases("heldout9")
    out10, out10_skip = load_cases("heldout10")
    out11, out11_skip = load_cases("heldout11")
    out12, out12_skip = load_cases("heldout12")
    held = holdout_ids([c.id for c in cal])
    splits = {
        "fit": [c for c in cal if c.id not in held],
        "held-back": [c for c in cal if c.id in held],
        "validation": val,
        "held-out": out,
        "held-out 2": out2,
        "held-out 3": out3,
        "held-out 4": out4,
        "held-out 5": out5,
        "held-out 6": out6,
        "held-out 7": out7,
        "held-out 8": out8,
        "held-out 9": out9,
        "held-out 10": out10,
        "held-out 11": out11,
        "held-out 12": out12,
    }
    print("Median |log(estimate / measured)| (rows per metric in brackets)\n")
    for name, cs in splits.items():
        err = errors(cs)
        print(f"**{name}** ({len(cs)} rows)\n")
        print(markdown(table(err)))
        print()
        if a.rows:
            print(err.to_string(index=False))
    held_skips = (
        out_skip,
        out2_skip,
        out3_skip,
        out4_skip,
        out5_skip,
        out6_skip,
        out7_skip,
        out8_skip,
        out9_skip,
        out10_skip,
        out11_skip,
        out12_skip,
    )
    print(
        f"skipped: {len(cal_skip)} calibration, {len(val_skip)} validation and "
        f"{sum(map(len, held_skips))}"
        " held-out rows"
    )
    skips = cal_skip + val_skip + out_skip + out2_skip + out3_skip + out4_skip + out5_skip
    skips += out6_skip + out7_skip + out8_skip + out9_skip + out10_skip + out11_skip + out12_skip
    reasons = pd.Series([r for _, r in skips]).value_counts()
    for reason, n in reasons.items():
        print(f"  {n} × {reason}")
    if a.timing:
        c = val[0]
        predict(c)
        n = 2000
        t0 = time.perf_counter()
        for _ in range(n):
            ls.estimate_performance(c.model, c.instance, c.workload, layout=c.layout)
        print(f"\nestimate_performance: {(time.perf_counter() - t0) / n * 1e3:.3f} ms per call")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
