"""``llmsizing audit``: statements found, claims drafted and checked, reviews, the HTML report.

The seed report and review (tests/data/audit/seed_*.md) are the documents the
audit exists for; claims/report.yaml is the hand-written key the drafted
claims are measured against.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import shutil
import subprocess
from pathlib import Path

import pytest

import llmsizing.audit
from llmsizing.audit import (
    Vocabulary,
    audit_cli,
    audit_file,
    audit_text,
    blocks,
    claims_yaml,
    draft_document,
    grade,
    mark_review,
    marked_review,
    parse_review,
    quantities,
    render_html,
    report_claims,
    write_review,
)
from llmsizing.claims import check, load_claims

DATA = Path(__file__).parent / "data" / "audit"
ROOT = Path(__file__).parent.parent
SEED_REPORT = DATA / "seed_report.md"
SEED_REVIEW = DATA / "seed_review.md"
KEY = ROOT / "claims" / "report.yaml"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def seed_audit() -> llmsizing.audit.Audit:
    return audit_file(SEED_REPORT)


@pytest.fixture(scope="module")
def mini_audit() -> llmsizing.audit.Audit:
    return audit_file(DATA / "mini_report.md")


# ------------------------------------------------------------------ pieces
@pytest.mark.parametrize(
    "name",
    sorted(m.name for m in pkgutil.iter_modules(llmsizing.audit.__path__, "llmsizing.audit.")),
)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0


def test_blocks_rows_bullets_configuration() -> None:
    bs = blocks((DATA / "mini_report.md").read_text())
    kinds = [b.kind for b in bs]
    assert kinds.count("row") == 1 and "config" in kinds and "sentence" in kinds
    row = next(b for b in bs if b.kind == "row")
    assert row.header[2] == "AWS Instance Type" and row.cells[2] == "inf2.8xlarge"
    bullet = next(b for b in bs if b.text.startswith("Configuration: 8 NVIDIA"))
    assert bullet.section[-1] == "P5 Instance Family (NVIDIA H100)"
    config = next(b for b in bs if b.kind == "config")
    assert "instance_count: 2" in config.text and config.context[0] == "Inference Configuration"


def test_quantities_units_and_ranges() -> None:
    got = [(q.kind, q.value, q.unit, q.hi) for q in quantities("400 GBPS, 25-40%, 20.8 petaflops")]
    assert got == [
        ("bandwidth", 400.0, "GB/s", None),  # "GBPS": gigabytes per second
        ("percent", 25.0, "", 40.0),
        ("flops", 20.8, "PFLOPS", None),
    ]
    assert [(q.kind, q.value) for q in quantities("64-chip servers, 8x NVIDIA Blackwell GPUs")] == [
        ("count", 64.0),
        ("count", 8.0),
    ]


def test_vocabulary_models_and_instances() -> None:
    v = Vocabulary.default()
    assert v.models("235B MoE (22B active)") == ["qwen3-235b-a22b"]  # nearest MoE preset
    assert v.models("671B MoE (37B active)") == ["deepseek-v3"]
    assert v.models("OLMo 2") == ["olmo-2-13b", "olmo-2-32b"]  # a family: every preset of it
    assert v.models("DeepSeek-R1") == ["deepseek-v3"]  # an alias
    assert v.unknown_models("reduced from 4096 in Gemma 2") == ["Gemma 2"]
    assert v.instances("ml.p5e.48xlarge").names == ("p5e.48xlarge",)
    assert v.instances("inf2.24xlarge/48xlarge").names == ("inf2.24xlarge", "inf2.48xlarge")
    assert v.instances("P6e-GB200 UltraServers").names == ("u-p6e-gb200x72",)
    assert v.instances("P5en instances").plural
    assert v.instances("NVIDIA H100 | 80 GB").names == ("p5.48xlarge",)  # by device


# ----------------------------------------------------------------- drafting
def test_mini_report_drafts(mini_audit: llmsizing.audit.Audit) -> None:
    by_text = {st.block.text: st for st in mini_audit.statements}
    inf2 = by_text["Chip Performance: 190 TFLOPS FP16 per chip, 32 GB HBM per chip"]
    assert [d.fields["quantity"] for d in inf2.drafts] == [
        "dense_flops_bf16_per_device",
        "accelerator_memory_per_device",
    ]
    assert all(d.fields["instance"] == "inf2.48xlarge" for d in inf2.drafts)
    row = next(st for st in mini_audit.statements if st.block.kind == "row")
    kinds = [d.fields["kind"] for d in row.drafts]
    assert kinds.count("fit") == 2 and "cost" in kinds
    assert {
        "kind": "fit",
        "model": "qwen3-235b-a22b",
        "instance": "inf2.8xlarge",
        "workload": {"batch": [50, 100]},
    } in [d.fields for d in row.drafts]
    # every drafted claim carries the excerpt and the section
    for c in mini_audit.checked:
        assert c.verdict is not None, c.error
        assert c.verdict.claim.text == c.statement.block.text
        assert "›" in (c.verdict.claim.source or "")
    statuses = {c.claim_id: c.status for c in mini_audit.checked}
    assert statuses["mini-report-qwen3-235b-a22b-fit-1"] == "fails"
    assert statuses["mini-report-p5-48xlarge-accelerator-memory-per-device-1"] == "holds"


def test_not_checkable_statements_say_why(mini_audit: llmsizing.audit.Audit) -> None:
    why = {st.block.text: " ".join(st.reasons) for st in mini_audit.not_checkable}
    assert "benchmark" in why["Performance Leap: 4x higher throughput vs Inferentia1"]
    assert "R7i" in why["Memory: Up to 1,536 GiB memory"]
    assert "40%" in why["Teams report up to 40% lower costs after migrating."]


def test_technique_without_a_named_model_reads_every_preset_with_it() -> None:
    """A flowchart naming no model: each figure goes with the technique written before it,
    checked on every preset with that technique."""
    doc = (
        "# Innovations\n\n```mermaid\nflowchart TB\n"
        "    S --> MoE{Mixture-of-Experts<br/>85% parameter reduction}\n"
        "    S --> GQA{Grouped-Query Attention<br/>25-40% computation reduction}\n"
        "    S --> SWA{Sliding Window Attention<br/>75% memory savings}\n```\n\n"
        "- **GQA**: Reduces attention computation by 25-40%, ideal for compute instances\n"
    )
    chart, bullet = draft_document(doc)
    by_quantity: dict[str, set[str]] = {}
    for d in chart.drafts:
        by_quantity.setdefault(d.fields["quantity"], set()).add(d.fields["model"])
        assert "names no model" in d.note
    info = Vocabulary.default().models_info
    assert by_quantity["parameter_reduction"] == {n for n in info if info[n].moe}
    assert by_quantity["attention_flops_reduction"] == {n for n in info if info[n].gqa}
    assert by_quantity["kv_cache_reduction"] == {n for n in info if info[n].windowed}
    assert "mistral-7b-v0.1" in by_quantity["kv_cache_reduction"]
    assert {d.fields["quantity"] for d in bullet.drafts} == {"attention_flops_reduction"}
    assert all(d.fields["value"] == "32.5%" for d in bullet.drafts)


def test_sliding_window_saving_at_the_context_it_holds() -> None:
    """Mistral 7B keeps a 4,096-token window in every layer: at 16,384 tokens it holds
    4,096 / 16,384 = 25% of full attention's cache, a 75% saving; 0% up to 4,096 tokens."""
    a = audit_text("## SWA\n\n- Mistral 7B sliding window attention: 75% KV cache savings.\n")
    (c,) = [c for c in a.checked if c.fields["quantity"] == "kv_cache_reduction"]
    assert c.status == "depends"
    assert c.verdict is not None
    assert c.verdict.numbers["kv_cache_reduction @ 16,384"] == "75.0%"
    assert c.verdict.numbers["kv_cache_reduction @ 4,096"] == "0.0%"


def test_comparison_with_last_years_generation() -> None:
    """ "than last year's Trainium UltraServer" under a Trainium3 UltraServer heading is the
    Trn2 UltraServer; "raw compute" and a bare "bandwidth" are the system's FLOPs and HBM
    bandwidth: 144 x 4.9 TB/s over 64 x 2.9 TB/s = 705.6 / 185.6 = 3.80x, inside 5% of 3.9x."""
    doc = (
        "## Trainium3 UltraServer: 360 PetaFLOPS\n\n"
        "That's 4.4 times higher raw compute performance and 3.9 times more bandwidth than "
        "last year's Trainium UltraServer.\n"
    )
    (st,) = draft_document(doc)
    got = {d.fields["quantity"]: d.fields for d in st.drafts}
    assert set(got) == {"dense_flops_fp8_total", "memory_bandwidth_total"}
    assert {f["baseline_instance"] for f in got.values()} == {"u-trn2x64"}
    assert {f["instance"] for f in got.values()} == {"trn3-ultraserver-gen2"}
    a = audit_text(doc)
    assert {c.status for c in a.checked} == {"holds"}


def test_statement_without_numbers_is_skipped() -> None:
    assert draft_document("## Notes\n\n- Use managed services where possible.\n") == []


# ------------------------------------------------------------- claim file
def test_claims_yaml_reruns_with_the_same_verdicts(
    mini_audit: llmsizing.audit.Audit, tmp_path: Path
) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(claims_yaml(mini_audit))
    assert path.read_text().splitlines()[5] == "llmsizing: claims/1"
    loaded = load_claims(path)
    assert [c.id for c in loaded] == [c.claim_id for c in mini_audit.checked]
    assert [check(c).status for c in loaded] == [c.status for c in mini_audit.checked]
    assert loaded[0].text == mini_audit.checked[0].statement.block.text
    assert "# Not checkable" in path.read_text()


def test_claims_yaml_needs_a_checkable_claim() -> None:
    with pytest.raises(ValueError, match="no checkable claims"):
        claims_yaml(audit_text("## A\n\nRevenue grew 40% in 2024.\n"))


# ------------------------------------------------------- the seed targets
def test_seed_report_coverage_and_agreement(seed_audit: llmsizing.audit.Audit) -> None:
    """Targets: >= 75% of the key's report claims drafted with the right kind and entities,
    and >= 90% of those with the key's verdict (claims/report.yaml as the key)."""
    key = report_claims(load_claims(KEY), "report.md")
    assert len(key) >= 60
    g = grade(seed_audit, key)
    assert g.coverage >= 0.75, g.summary() + f" missed: {g.misses}"
    assert g.agreement >= 0.90, g.summary() + f" disagree: {g.disagreements}"


def test_seed_report_scaling_row_verdicts(seed_audit: llmsizing.audit.Audit) -> None:
    row = next(st for st in seed_audit.statements if st.block.text.startswith("235B MoE"))
    checked = [c for c in seed_audit.checked if c.statement is row]
    fit = next(c for c in checked if c.kind == "fit" and "workload" not in c.fields)
    assert fit.fields["model"] == "qwen3-235b-a22b" and fit.status == "fails"


def test_review_marks_the_sizing_items(seed_audit: llmsizing.audit.Audit) -> None:
    marks = mark_review(SEED_REVIEW.read_text(), seed_audit)
    assert [m.item.number for m in marks] == list(range(1, 16))
    settled = {m.item.number: m for m in marks if m.verdict}
    assert set(settled) == {1, 3, 10, 12, 15}
    for m in settled.values():
        assert m.mark in ("[+]", "[-]", "[/]")
        assert any(c.verdict is not None for a in m.assertions for c in a.checked)
        if m.verdict == "partly valid":
            assert m.revision
    # item 3: inf2.8xlarge cannot hold 235B; of the correction, inf2.48xlarge only at <= 8 bits
    assert settled[3].verdict == "partly valid" and "inf2.48xlarge" in settled[3].revision
    # item 12: 28.8 Tbps is the P6e-GB200 UltraServer's EFA total, so "no source" is not right
    assert settled[12].verdict == "partly valid" and "u-p6e-gb200x72" in settled[12].revision
    assert settled[10].verdict == "valid" and settled[15].verdict == "valid"
    text = marked_review(marks)
    assert "3. [/] **Section:**" in text and "**Revision:**" in text


def test_parse_and_mark_a_small_review(mini_audit: llmsizing.audit.Audit) -> None:
    items = parse_review((DATA / "mini_review.md").read_text())
    assert [(i.number, i.section) for i in items] == [(1, "Serving"), (2, "Branding")]
    marks = mark_review((DATA / "mini_review.md").read_text(), mini_audit)
    assert marks[0].verdict == "valid" and marks[1].verdict is None


def test_written_review_has_the_seed_format(mini_audit: llmsizing.audit.Audit) -> None:
    text = write_review(mini_audit)
    assert "**Section:**" in text and "**Excerpt:**" in text and "**Correction:**" in text
    assert "[/] **Section:**" in text and "[+] **Section:**" in text  # row: facts hold, fit fails
    assert "## Not checkable" in text


# -------------------------------------------------------------------- CLI
def test_cli_writes_every_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    rc = audit_cli([str(SEED_REPORT), "--review", str(SEED_REVIEW), "--out", str(out)])
    assert rc == 0
    for name in ("claims.yaml", "review.md", "review-marked.md", "report.html"):
        assert (out / name).stat().st_size > 1000
    said = capsys.readouterr().out
    assert "quantitative statements" in said and "3 [/] partly valid" in said


def test_cli_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert audit_cli([str(tmp_path / "missing.md"), "--out", str(tmp_path)]) == 2
    assert "missing.md" in capsys.readouterr().err


# ------------------------------------------------------------------- HTML
def test_html_is_self_contained(mini_audit: llmsizing.audit.Audit) -> None:
    page = render_html(mini_audit)
    assert page.count("<svg") == 2 and "<script" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert page.count('<tr data-status="') == len(mini_audit.checked)


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
)
def test_html_renders_in_headless_chromium(
    seed_audit: llmsizing.audit.Audit, tmp_path: Path
) -> None:
    import numpy as np
    from matplotlib import image

    marks = mark_review(SEED_REVIEW.read_text(), seed_audit)
    page = tmp_path / "report.html"
    page.write_text(render_html(seed_audit, marks), encoding="utf-8")
    flags = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1280,1600",
    ]
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    n = len(seed_audit.checked)
    assert f"Audit of {SEED_REPORT.name}" in dom
    assert f"{n} of {n} claims shown" in dom  # the filter script ran
    assert "Verdicts per claim kind" in dom and "Review items" in dom
    fails = sum(c.status == "fails" for c in seed_audit.checked)
    filtered = subprocess.run(
        [*flags, "--dump-dom", page.as_uri() + "#status=fails"],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert f"{fails} of {n} claims shown" in filtered
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120
    )
    pixels = np.asarray(image.imread(shot))[..., :3]
    assert pixels.shape[0] > 500 and pixels.shape[1] > 500
    not_white = (pixels < 0.9).any(axis=-1).mean()
    assert 0.02 < not_white < 0.9  # text, table rules and chart bars; not blank
    red = ((pixels[..., 0] > 0.6) & (pixels[..., 1] < 0.3) & (pixels[..., 2] < 0.3)).sum()
    assert red > 50  # the "fails" bars and marks are drawn
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def test_cli_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert audit_cli(["--help"]) == 0
    assert "REPORT.md" in capsys.readouterr().out
    assert audit_cli([]) == 2  # REPORT.md is required


def test_audit_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    a = audit_text((DATA / "mini_report.md").read_text(), "mini.md")
    assert a.checked and all(c.verdict is not None for c in a.checked)
