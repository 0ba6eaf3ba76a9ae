"""Command-line interface: ``llmsizing`` (also ``python -m llmsizing``).

Subcommands
-----------
model NAME_OR_CONFIG      parameter and memory table
fit MODEL --instance T    does the workload fit one instance
instances                 the instance catalog
cheapest MODEL            cheapest instance that fits
cost MODEL --instance T   throughput and USD per 1M tokens
check FILE...             check YAML claim files
train MODEL --instance T  training memory, cluster size, days and cost

Exit codes
----------
0  success (``check``: every claim matched its ``expect``; ``fit``: it fits)
1  ``check``: some claim did not match; ``fit``: it does not fit
2  bad input (unknown model or instance, malformed file, invalid option)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from llmsizing.errors import LlmsizingError, UnknownNameError, WorkloadError, suggest

__all__ = ["main", "parse_count"]


def parse_count(text: str) -> int:
    """Parse ``"32k"``, ``"128K"``, ``"15T"``, ``"4096"`` into an integer.

    The one coercion table of :func:`llmsizing.workload.parse_count`: ``k`` is
    1,024 for powers of two (``32k`` = 32,768), 1,000 otherwise.

    Examples
    --------
    >>> parse_count("32k"), parse_count("8K"), parse_count("15T"), parse_count("100")
    (32768, 8192, 15000000000000, 100)
    """
    from llmsizing.workload import parse_count as parse

    try:
        n = parse(text)
    except WorkloadError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return n


def _gib(q: Any) -> float:
    return float(q.to("GiB").magnitude)


def _print(obj: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(obj, indent=2, default=str))
    elif type(obj).__name__ == "DataFrame":
        print(obj.to_string(index=False))
    else:
        print(obj)


# ------------------------------------------------------------------ commands
def _cmd_model(a: argparse.Namespace) -> int:
    from llmsizing.memory import (
        expert_memory,
        kv_cache_bytes_per_token,
        kv_cache_memory,
        weight_memory_by_component,
    )
    from llmsizing.presets import load_model

    m = load_model(a.model)
    if m.max_position_embeddings and a.context > m.max_position_embeddings:
        raise WorkloadError(
            f"context_len {a.context} exceeds {m.name}'s maximum of "
            f"{m.max_position_embeddings} tokens (max_position_embeddings)"
        )
    pc = m.param_counts()
    parts = weight_memory_by_component(m, a.dtype)
    total = sum(parts.values())
    kv_tok = kv_cache_bytes_per_token(m, a.kv_dtype)
    kv = kv_cache_memory(m, a.context, a.batch, a.kv_dtype)
    em = expert_memory(m, a.dtype)
    data = {
        "model": m.name,
        "params": {k: v for k, v in pc.model_dump().items() if k != "model"},
        "weight_dtype": a.dtype,
        "weights_GiB": {k: _gib(v) for k, v in parts.items() if v.magnitude},
        "weights_total_GiB": _gib(total),
        "weights_total_GB": float(total.to("GB").magnitude),
        "resident_experts_GiB": _gib(em.routed),
        "kv_dtype": str(a.kv_dtype),
        "kv_bytes_per_token": float(kv_tok.to("byte").magnitude),
        "context": a.context,
        "batch": a.batch,
        "kv_cache_GiB": _gib(kv),
        "assumed": list(m.assumed),
    }
    if a.json:
        _print(data, True)
        return 0
    rows = [
        ("total parameters", f"{pc.total / 1e9:,.2f} B"),
        ("active per token", f"{pc.active / 1e9:,.2f} B"),
        ("active excl. embedding", f"{pc.active_excluding_embedding / 1e9:,.2f} B"),
    ]
    if pc.extra:
        rows.append(("extra (not loaded, e.g. MTP)", f"{pc.extra / 1e9:,.2f} B"))
    for k in ("embedding", "lm_head", "attention", "dense_ffn", "routed_experts", "shared_experts"):
        if getattr(pc, k):
            rows.append((f"  {k}", f"{getattr(pc, k) / 1e9:,.3f} B"))
    rows.append(
        (f"weights ({a.dtype})", f"{_gib(total):,.1f} GiB  ({total.to('GB').magnitude:,.1f} GB)")
    )
    if m.is_moe:
        rows.append(("  of which routed experts", f"{_gib(em.routed):,.1f} GiB (all resident)"))
    rows.append((f"KV cache per token ({a.kv_dtype})", f"{kv_tok.to('byte').magnitude:,.0f} B"))
    rows.append((f"KV cache {a.batch} x {a.context:,} tokens", f"{_gib(kv):,.2f} GiB"))
    print(f"{m.name}  ({m.model_type})")
    width = max(len(r[0]) for r in rows)
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")
    return 0


def _workload(a: argparse.Namespace) -> Any:
    from llmsizing.workload import Workload

    # engine launch flags, passed only when given so that the engine's defaults apply
    launch = {
        field: getattr(a, flag)
        for flag, field in (
            ("utilization", "memory_utilization"),
            ("max_num_seqs", "max_num_seqs"),
            ("max_batched_tokens", "max_batched_tokens"),
        )
        if getattr(a, flag, None) is not None
    }
    if getattr(a, "enforce_eager", False):
        launch["enforce_eager"] = True
    if getattr(a, "prefix_caching", False):
        launch["prefix_caching"] = True
    return Workload(
        context_len=a.context,
        batch=a.batch,
        weight_dtype=a.weights,
        kv_dtype=a.kv,
        include_vision=getattr(a, "vision", None),
        **launch,
    )


def _layout(a: argparse.Namespace) -> Any:
    """The layout the --tp/--pp/--ep/--dp flags give, or None when none is given."""
    from llmsizing.layout import Layout

    degrees = {k: getattr(a, k, None) for k in ("tp", "pp", "ep", "dp")}
    given = {k: v for k, v in degrees.items() if v is not None}
    return Layout(**given) if given else None


def _catalog(a: argparse.Namespace) -> Any:
    """The catalog the --prices, --region and --usd-per-hour flags describe."""
    from llmsizing.catalog import load_catalog

    kw: dict[str, Any] = {}
    if getattr(a, "prices", None):
        kw["prices"] = a.prices
    if getattr(a, "region", None):
        kw["region"] = a.region
    cat = load_catalog(**kw)
    price = getattr(a, "usd_per_hour", None)
    if price is not None:
        if not getattr(a, "instance", None):
            raise WorkloadError("--usd-per-hour needs --instance (or give a --prices file)")
        cat = cat.with_prices({a.instance: price})
    return cat


def _cmd_fit(a: argparse.Namespace) -> int:
    from llmsizing.fit import PER_RANK_FIELDS, fit

    if a.all:
        return _cmd_cheapest(a, every=True)
    if not a.instance:
        raise WorkloadError("fit needs --instance TYPE (or --all for every instance)")
    r = fit(
        a.model, a.instance, _workload(a), catalog=_catalog(a), layout=_layout(a), engine=a.engine
    )
    if a.json:
        _print({"workload": r.workload.model_dump(mode="json"), **r.to_dict()}, True)
    else:
        d = r.to_dict()
        print(f"{r.model} on {r.instance}: {'FITS' if r.fits else 'DOES NOT FIT'}")
        print(f"  layout          {r.layout.label} over {r.unit}s ({r.devices_used} device(s))")
        for k in PER_RANK_FIELDS:
            print(f"  {k:<15} {d[k + '_GiB']:>10,.2f} GiB per rank")
        if not r.fits:
            print(f"  instances needed {r.instances_needed or 'more than 64'}")
        print()
        print(r.explanation)
    return 0 if r.fits else 1


def _cmd_capacity(a: argparse.Namespace) -> int:
    from llmsizing.capacity import kv_cache_capacity

    cap = kv_cache_capacity(
        a.model, a.instance, _workload(a), layout=_layout(a), engine=a.engine or "vllm"
    )
    if a.json:
        _print(cap.to_dict(), True)
    else:
        print(cap)
    return 0 if cap.tokens > 0 else 1


#: Columns ``llmsizing instances`` prints (``--json`` gives every column).
_INSTANCE_COLUMNS = (
    "instance_type",
    "accelerator",
    "accelerator_count",
    "accelerator_memory",
    "accelerator_memory_unit",
    "usd_per_hour",
    "confidence",
    "as_of",
    "source_url",
)


def _cmd_instances(a: argparse.Namespace) -> int:
    cat = _catalog(a)
    if a.family:
        families = {inst.family for inst in cat}
        cat = cat.filter(family=a.family)
        if not len(cat):
            raise UnknownNameError(
                f"unknown instance family {a.family!r}: {suggest(a.family, families)}"
            )
    if a.stale:
        old = cat.stale()
        if a.json:
            _print(json.loads(old.to_json(orient="records")), True)
        elif old.empty:
            print("no device, instance or price row is older than 12 months")
        else:
            _print(old[["table", "name", "region", "pricing_model", "as_of", "months_old"]], False)
        return 0
    df = cat.to_frame()
    if a.json:
        _print(json.loads(df.to_json(orient="records")), True)
    else:
        cols = [c for c in _INSTANCE_COLUMNS if c in df.columns]
        _print(df[cols], False)
    return 0


def _cmd_cheapest(a: argparse.Namespace, every: bool = False) -> int:
    from llmsizing.fit import fit_all

    w = _workload(a)
    top = getattr(a, "top", 10)
    if top < 1:
        raise WorkloadError(f"--top must be at least 1, got {top}")
    df = fit_all(a.model, w, catalog=_catalog(a), layout=_layout(a), engine=a.engine)
    if every:
        if a.json:
            records = json.loads(
                df.drop(columns=["explanation"], errors="ignore").to_json(orient="records")
            )
            _print({"workload": w.model_dump(mode="json"), "instances": records}, True)
        else:
            print(_instance_table(df))
        return 0 if bool(df.fits.any()) else 1
    cols = [
        "instance",
        "fits",
        "layout",
        "devices_used",
        "instances_needed",
        "required_GiB",
        "available_GiB",
        "usd_per_hour",
        "price_note",
    ]
    fitting = df[df.fits]
    if a.json:
        records = json.loads(fitting[cols].head(top).to_json(orient="records"))
        _print({"workload": w.model_dump(mode="json"), "instances": records}, True)
        return 0 if not fitting.empty else 1
    shown = fitting.head(top)
    if shown.empty:
        print("no single instance fits; multi-instance options (pipeline stages):")
        multi = df[df.instances_needed.notna()]
        shown = multi.sort_values(["usd_per_hour_needed", "instance"], na_position="last").head(top)
    if shown.empty:
        print("none: no pipeline of up to 64 instances holds it either")
    else:
        print(_instance_table(shown))
    return 0 if not fitting.empty else 1


def _instance_table(df: Any) -> str:
    """A compact table of fit_all rows that fits a 100-column terminal."""
    lines = [
        f"{'instance':<22} {'fits':<4} {'layout':<12} {'devices':>7} {'x inst':>6} "
        f"{'need GiB':>9} {'of GiB':>8} {'$/hour':>9}  note"
    ]
    for r in df.itertuples(index=False):
        price = "" if r.usd_per_hour != r.usd_per_hour else f"{r.usd_per_hour:,.2f}"
        need = int(r.instances_needed) if r.instances_needed == r.instances_needed else 0
        need = 0 if r.fits else need
        lines.append(
            f"{r.instance:<22} {'yes' if r.fits else 'no':<4} {r.layout:<12} "
            f"{int(r.devices_used):>7} {need or '':>6} "
            f"{r.required_GiB:>9,.1f} {r.available_GiB:>8,.1f} {price:>9}  "
            f"{'; '.join(x for x in (r.price_note, r.network_note) if x)}"
        )
    return "\n".join(lines)


def _cmd_cost(a: argparse.Namespace) -> int:
    from llmsizing.fit import fit
    from llmsizing.perf import estimate_performance
    from llmsizing.workload import Workload

    w = Workload(
        context_len=a.context,
        batch=a.batch,
        weight_dtype=a.weights,
        kv_dtype=a.kv,
        prompt_len=a.prompt,
        output_len=a.output,
    )
    cat = _catalog(a)
    lay = _layout(a)
    r = fit(a.model, a.instance, w, catalog=cat, layout=lay, engine=a.engine)
    if not r.fits and not r.instances_needed:
        print(
            f"llmsizing: {r.model} does not fit {r.instance} at any size: a rank needs "
            f"{r.required_bytes / 2**30:,.1f} GiB of {r.available_bytes / 2**30:,.1f} GiB "
            "and no pipeline of instances holds it; no cost without a deployment",
            file=sys.stderr,
        )
        return 1
    est = estimate_performance(
        a.model,
        a.instance,
        w,
        catalog=cat,
        layout=r.layout,
        engine=a.engine,
        concurrency=a.concurrency,
        burst=a.burst,
        arrivals="lockstep" if a.lockstep else "independent",
    )
    if a.json:
        _print({"workload": w.model_dump(mode="json"), **est.to_dict()}, True)
    else:
        print(str(est))
        if r.instances_needed and r.instances_needed > 1:
            inst = cat.get(a.instance)
            if not inst.efa:
                print(
                    f"warning: {r.instances_needed} instances over {inst.network_bandwidth:~P} "
                    "of plain Ethernet (no EFA): pipeline stages will be network-bound"
                )
    return 0


def _cmd_check(a: argparse.Namespace) -> int:
    from llmsizing.claims import check_files, format_verdicts

    results = check_files(a.files)
    print(format_verdicts(results, a.format))
    return 0 if all(r.matches for r in results) else 1


def _cmd_train(a: argparse.Namespace) -> int:
    from llmsizing.training import TrainingSetup, train_report

    kw: dict[str, Any] = {"zero_stage": a.zero, "tensor_parallel": a.tp, "pipeline_parallel": a.pp}
    if a.tokens:
        kw["training_tokens"] = a.tokens
    report = train_report(a.model, a.instance, TrainingSetup(**kw))
    nowhere = not report.get("best_layout_fits", True) and report.get("best_min_instances") is None
    if nowhere:
        # no layout holds the model on any number of these instances: no days, no dollars
        print(f"llmsizing: {report.get('explanation', 'does not fit')}", file=sys.stderr)
        return 1
    _print(report, True) if a.json else _print_report(report)
    return 0


def _print_report(report: dict[str, Any]) -> None:
    width = max(len(k) for k in report)
    for k, v in report.items():
        print(f"  {k:<{width}}  {v}")


# -------------------------------------------------------------------- parser
class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (no usage block), as every other bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="llmsizing",
        description="What an LLM needs, where it fits, and what it costs.",
        epilog="Exit codes: 0 ok, 1 claim mismatch or does not fit, 2 bad input.",
    )
    sub = p.add_subparsers(dest="cmd", required=True)

    def workload_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--context", type=parse_count, default=4096, help="tokens per sequence (e.g. 32k)"
        )
        sp.add_argument("--batch", type=parse_count, default=1, help="concurrent sequences")
        sp.add_argument(
            "--weights",
            default="native",
            help="weight dtype: native (as the checkpoint ships; the default), bf16, fp8, int8, "
            "int4, mxfp4 ...",
        )
        sp.add_argument("--kv", default="bf16", help="KV-cache dtype: bf16, fp8, int8, int4")
        sp.add_argument(
            "--vision",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="load a multimodal checkpoint's vision tower (default: with --engine)",
        )
        sp.add_argument(
            "--utilization",
            type=float,
            default=None,
            help="fraction of device memory the engine may use (vLLM --gpu-memory-utilization; "
            "default 0.9)",
        )
        sp.add_argument(
            "--max-num-seqs", type=parse_count, default=None, help="engine's most sequences"
        )
        sp.add_argument(
            "--max-batched-tokens",
            type=parse_count,
            default=None,
            help="tokens per forward pass (vLLM --max-num-batched-tokens)",
        )
        sp.add_argument(
            "--enforce-eager",
            action="store_true",
            help="no CUDA graphs (vLLM --enforce-eager): no memory set aside for them",
        )
        sp.add_argument(
            "--prefix-caching",
            action="store_true",
            help="prefix caching on (vLLM --enable-prefix-caching): two state pages per "
            "recurrent layer",
        )
        sp.add_argument("--json", action="store_true", help="machine-readable output")

    def layout_args(sp: argparse.ArgumentParser) -> None:
        for k, what in (
            ("tp", "tensor-parallel degree"),
            ("pp", "pipeline stages"),
            ("ep", "expert-parallel degree"),
            ("dp", "attention data-parallel ranks"),
        ):
            sp.add_argument(f"--{k}", type=int, default=None, help=f"{what} (default: chosen)")
        sp.add_argument(
            "--engine",
            default=None,
            help="engine memory profile: vllm, vllm-0.5, vllm-0.6, vllm-0.6.4, vllm-0.10, "
            "vllm-0.12, vllm-0.17, vllm-0.20, vllm-0.21, sglang, sglang-0.4, sglang-0.4.7, "
            "sglang-0.5.3, trtllm, neuron, or a version ('vllm==0.10.1'); ':offline' for "
            "vLLM's LLM class, ':engine-context' for an in-process engine with no usage context "
            "(Ray Serve LLM), ':marlin' for MXFP4 experts on its Marlin kernel (default: generic)",
        )

    def catalog_args(sp: argparse.ArgumentParser, price: bool = False) -> None:
        sp.add_argument("--prices", default=None, help="CSV of your own prices (prices.csv format)")
        sp.add_argument("--region", default=None, help="AWS region of the prices (us-east-1)")
        if price:
            sp.add_argument(
                "--usd-per-hour", type=float, default=None, help="your price of the instance"
            )

    sp = sub.add_parser("model", help="parameter and memory table")
    sp.add_argument("model", help="preset name or path of a config.json")
    sp.add_argument(
        "--weights", "--dtype", dest="dtype", default="bf16", help="weight dtype (bf16, fp8 ...)"
    )
    sp.add_argument("--kv", "--kv-dtype", dest="kv_dtype", default="bf16", help="KV-cache dtype")
    sp.add_argument(
        "--context", type=parse_count, default=4096, help="tokens per sequence (e.g. 32k)"
    )
    sp.add_argument("--batch", type=parse_count, default=1, help="concurrent sequences")
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    sp.set_defaults(func=_cmd_model)

    sp = sub.add_parser("fit", help="does the workload fit one instance (or --all of them)")
    sp.add_argument("model", help="preset name or path of a config.json")
    sp.add_argument("--instance", default=None, help="instance type, e.g. p5.48xlarge")
    sp.add_argument("--all", action="store_true", help="every catalog instance, by price")
    workload_args(sp)
    layout_args(sp)
    catalog_args(sp, price=True)
    sp.set_defaults(func=_cmd_fit)

    sp = sub.add_parser("capacity", help="KV-cache tokens and maximum concurrency")
    sp.add_argument("model", help="preset name or path of a config.json")
    sp.add_argument("--instance", required=True, help="instance type, e.g. p5.48xlarge")
    workload_args(sp)
    layout_args(sp)
    sp.set_defaults(func=_cmd_capacity)

    sp = sub.add_parser("instances", help="list the instance catalog")
    sp.add_argument("--family", help="only this family, e.g. p5 or trn2")
    sp.add_argument("--stale", action="store_true", help="only rows older than 12 months")
    sp.add_argument("--json", action="store_true", help="every column, machine-readable")
    catalog_args(sp)
    sp.set_defaults(func=_cmd_instances)

    sp = sub.add_parser("cheapest", help="cheapest instances that fit")
    sp.add_argument("model", help="preset name or path of a config.json")
    sp.add_argument("--top", type=int, default=10, help="how many instances to list")
    workload_args(sp)
    layout_args(sp)
    catalog_args(sp)
    sp.set_defaults(func=_cmd_cheapest)

    sp = sub.add_parser("cost", help="throughput and USD per 1M tokens")
    sp.add_argument("model", help="preset name or path of a config.json")
    sp.add_argument("--instance", required=True, help="instance type, e.g. p5.48xlarge")
    sp.add_argument("--prompt", type=parse_count, default=None, help="prompt tokens (e.g. 1k)")
    sp.add_argument("--output", type=parse_count, default=None, help="output tokens (e.g. 1k)")
    arrivals = sp.add_mutually_exclusive_group()
    arrivals.add_argument(
        "--concurrency",
        type=parse_count,
        default=None,
        help="clients of a closed loop over the deployment (beyond the batch they queue)",
    )
    arrivals.add_argument(
        "--burst",
        type=parse_count,
        default=None,
        help="requests sent all at once, as a benchmark with no request rate does",
    )
    sp.add_argument(
        "--lockstep",
        action="store_true",
        help="the clients send identical requests (fixed lengths): on an engine that pauses "
        "decode to prefill (vllm==0.7 and before, sglang, neuron) they return in waves",
    )
    workload_args(sp)
    layout_args(sp)
    catalog_args(sp, price=True)
    sp.set_defaults(func=_cmd_cost)

    sp = sub.add_parser("check", help="check YAML claim files")
    sp.add_argument("files", nargs="+", help="claim files (YAML)")
    sp.add_argument(
        "--format", choices=["table", "markdown", "json"], default="table", help="output format"
    )
    sp.set_defaults(func=_cmd_check)

    sub.add_parser(
        "audit",
        add_help=False,
        help="draft and check the claims of a markdown report (REPORT.md [--review R] [--out DIR])",
    )

    sp = sub.add_parser("train", help="training memory, cluster size, days and cost")
    sp.add_argument("model", help="preset name or path of a config.json")
    sp.add_argument("--instance", required=True, help="instance type, e.g. p5.48xlarge")
    sp.add_argument("--tokens", type=parse_count, default=None, help="training tokens, e.g. 15T")
    sp.add_argument("--zero", type=int, default=1, help="ZeRO stage 0-3 (3 = FSDP)")
    sp.add_argument("--tp", type=int, default=1, help="tensor-parallel degree")
    sp.add_argument("--pp", type=int, default=1, help="pipeline stages")
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    sp.set_defaults(func=_cmd_train)
    return p


def _one_line(e: BaseException) -> str:
    """The error's message on one line (a message never spans two)."""
    return " ".join(part.strip() for part in str(e).splitlines() if part.strip())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    rest = list(sys.argv[1:] if argv is None else argv)
    if rest[:1] == ["audit"]:  # audit parses its own options (before or after the report)
        from llmsizing.audit import audit_cli

        try:
            return audit_cli(rest[1:])
        except LlmsizingError as e:
            print(f"llmsizing: error: {_one_line(e)}", file=sys.stderr)
            return 2
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on bad options already
        return int(e.code or 0)
    try:
        return int(args.func(args))
    except LlmsizingError as e:
        print(f"llmsizing: error: {_one_line(e)}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as e:  # pydantic validation, unreadable files
        msg = str(e).splitlines()
        print(f"llmsizing: error: {' '.join(s.strip() for s in msg)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
