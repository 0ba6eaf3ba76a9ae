"""Nothing reaches the network: every main path runs with sockets blocked.

The catalog, presets and unit definitions ship with the package; loading them,
sizing, fitting, costing and checking claims must never open a connection or
resolve a host name. The sockets are blocked in this process (with the
package's caches emptied first) and, for the command line, in a fresh
interpreter where they are blocked before llmsizing is first imported.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import llmsizing as ls
from llmsizing import catalog as catalog_module
from llmsizing import presets as model_module
from llmsizing.cli import main

CLAIMS = """\
claims:
  - id: spec
    kind: spec
    instance: inf2.48xlarge
    quantity: accelerator_memory_total
    value: 384 GiB
    expect: holds
  - id: fit
    kind: fit
    model: llama-3.1-8b
    instance: g6e.xlarge
    workload: {context: 4096, batch: 1, weights: bf16, kv: bf16}
    expect: holds
  - id: ratio
    kind: ratio
    model: llama-3.1-70b
    quantity: kv_cache_reduction
    context: 8192
    value: 87.5%
    expect: holds
"""


class NetworkAttempt(BaseException):
    """Raised by the blocked socket functions; a BaseException so that no
    ``except Exception`` in the code under test can swallow it."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args!r}")
            raise NetworkAttempt(f"{name} called with {args!r}")

        return blocked

    monkeypatch.setattr(socket, "socket", refuse("socket.socket"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("socket.gethostbyname"))
    # start cold: presets and the shipped catalog are read again under the block
    model_module._cache.clear()
    catalog_module._shipped.cache_clear()
    yield attempts
    assert attempts == []


def test_blocking_works(no_network: list[str]) -> None:
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("example.com", 443))
    no_network.clear()


def test_python_api_offline(no_network: list[str], tmp_path: Path) -> None:
    m = ls.load_model("deepseek-v3")
    assert m.param_counts().total > 600e9
    assert ls.weight_memory(m, "fp8").to("GiB").magnitude > 600
    w = ls.Workload(context_len=32768, batch=8, weight_dtype="fp8")
    assert ls.fit(m, "p5e.48xlarge", w).fits
    df = ls.fit_all("llama-3.1-8b", ls.Workload(context_len=8192))
    assert df.fits.any()
    assert ls.cheapest_fit("llama-3.1-8b") is not None
    est = ls.estimate_performance("llama-3.1-70b", "p5.48xlarge", ls.Workload(batch=32))
    assert est.tokens_per_s.magnitude > 0
    config = tmp_path / "config.json"
    config.write_text(
        '{"model_type": "llama", "vocab_size": 32000, "hidden_size": 4096,'
        ' "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32}',
        encoding="utf-8",
    )
    assert ls.read_hf_config(config).param_counts().total == 6738415616


def test_claims_offline(no_network: list[str], tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(CLAIMS, encoding="utf-8")
    verdicts = ls.check_files([path])
    assert [v.status for v in verdicts] == ["holds", "holds", "holds"]


def test_cli_offline(
    no_network: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["model", "deepseek-v3", "--dtype", "fp8"]) == 0
    assert main(["fit", "llama-3.1-8b", "--instance", "g6e.xlarge", "--json"]) == 0
    assert main(["cost", "llama-3.1-8b", "--instance", "p5.48xlarge"]) == 0
    path = tmp_path / "c.yaml"
    path.write_text(CLAIMS, encoding="utf-8")
    assert main(["check", str(path)]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_fresh_interpreter_offline(tmp_path: Path) -> None:
    """Import llmsizing for the first time with sockets already blocked."""
    claims = tmp_path / "c.yaml"
    claims.write_text(CLAIMS, encoding="utf-8")
    code = textwrap.dedent(
        f"""
        import socket, sys

        def blocked(*args, **kwargs):
            sys.stderr.write("network attempt: %r\\n" % (args,))
            sys.exit(99)

        socket.socket = socket.create_connection = socket.getaddrinfo = blocked
        from llmsizing.cli import main

        for argv in (["model", "qwen3-235b-a22b"],
                     ["fit", "deepseek-v3", "--instance", "p5e.48xlarge", "--weights", "fp8"],
                     ["check", {str(claims)!r}]):
            rc = main(argv)
            if rc != 0:
                sys.exit(rc)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "network attempt" not in done.stderr
