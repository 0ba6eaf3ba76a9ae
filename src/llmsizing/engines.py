"""Serving-engine memory profiles: the budget, the profiled activation peak and the reserves.

Each engine sizes its KV cache from what its start-up profile leaves [1]_ [2]_.
A profile here states, for one engine version, the four terms that differ
between engines, each a small function of the deployment:

* the budget base (:meth:`EngineProfile.budget_base_bytes`): vLLM multiplies the
  CUDA-visible total (``torch.cuda.mem_get_info``) by ``gpu_memory_utilization``,
  e.g. 79.18 GiB on an H100 80GB whose nvidia-smi total is 79.65 GiB [1]_ [3]_. The
  device's own CUDA-visible total (``cuda_visible_GiB`` in ``devices.csv``) is used
  where the catalog states one; elsewhere the nvidia-smi total less
  ``visible_offset_GiB`` (the H100's 0.47 GiB);
* the activation peak of the profile run, by version: the sampler's dummy run
  over ``max_num_seqs`` sequences, at about 32 bytes per logit (vLLM 0.8–0.16)
  or 15.6 (0.17+, the default ``vllm``), or in the V0 engine the larger of its forward pass over a
  whole prompt and the sampler at 39 bytes per logit, which runs after it [4]_;
  logits are gathered on every TP rank, so not divided by TP; MoE models add the
  fused MoE kernel's workspace [1]_ [3]_;
* the non-torch reserve (CUDA context, NCCL and custom all-reduce buffers),
  small at TP 1 and larger once ranks communicate [3]_, and from vLLM 0.21 the
  CUDA graph memory its profile estimates (none with ``enforce_eager``);
* the engine's own layout rules: the MXFP4 expert padding of its MoE kernels
  and, before vLLM 0.7.1, MLA cached as padded multi-head attention.

TensorRT-LLM (``trtllm``) gives the KV cache a fraction of the memory left free
after the weights and its profiled pass instead [5]_; ``neuron`` names NxD
Inference's static KV allocation, sized by the generic rule on Neuron devices.

``engine=None`` (the planners' default) keeps the generic rule of
:mod:`llmsizing.fit`: the catalog's usable memory × utilisation, the workload's
activation estimate and ``runtime_reserve_GiB``.

References
----------
.. [1] vLLM, ``vllm/v1/worker/gpu_worker.py`` (``determine_available_memory``,
   ``requested_memory = total_gpu_memory * gpu_memory_utilization``) and
   ``vllm/v1/worker/gpu_model_runner.py`` (``profile_run``: a dummy batch of
   ``max_num_tokens`` tokens, logits computed for them).
.. [2] SGLang, ``python/sglang/srt/model_executor/model_runner.py``
   (``profile_max_num_token``; ``mem_fraction_static``).
.. [3] Start-up logs of vLLM 0.6–0.19 in ``tests/data/engine_logs/calibration.yaml``
   (the "Memory profiling takes ... total_gpu_memory, peak activation, non-torch
   memory" lines): the constants below are their medians.
.. [4] vLLM V0, ``vllm/engine/arg_utils.py`` (chunked prefill enabled by default
   for ``max_model_len > 32768`` on CUDA devices, for a model with no sliding window
   and not multimodal, then 512 batched tokens; else
   ``max_num_batched_tokens = max(max_model_len, 2048)``) and
   ``vllm/worker/model_runner.py`` (``profile_run``: one forward pass over those
   tokens in ``max_num_seqs`` sequences, their last tokens sampled).
.. [5] TensorRT-LLM, ``KvCacheConfig.free_gpu_memory_fraction`` ("the fraction
   of free GPU memory", 0.9 by default) and ``max_num_tokens`` (8192) in
   ``tensorrt_llm/llmapi/llm_args.py``.

Examples
--------
>>> # the sampler over 1,024 sequences x 128,256 logits at 32 bytes (3.91 GiB), 0.9 GiB workspace
>>> round(float(ENGINES["vllm-0.12"].activation_bytes(8192, 128256, 1024)) / 2**30, 2)
4.81
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from llmsizing.errors import UnknownNameError, suggest

if TYPE_CHECKING:
    from llmsizing.model import ModelConfig

__all__ = [
    "ENGINES",
    "EngineProfile",
    "engine_profile",
    "runs_v0_engine",
    "v0_chunks_long_context",
    "vllm_profile_name",
]

_GIB = float(2**30)


def v0_chunks_long_context(
    accelerator: str = "", sliding_window: bool = False, multimodal: bool = False
) -> bool:
    """Whether vLLM's V0 engine turns chunked prefill on for a context above 32k.

    ``EngineArgs.create_engine_config`` (``vllm/engine/arg_utils.py``, 0.6-0.7)
    enables it by default for ``max_model_len > 32768`` only on a CUDA device
    (``not current_platform.is_rocm()``), for a model whose config sets no sliding
    window (``model_config.get_sliding_window() is None``), with no speculative
    decoding or LoRA, and never for a multimodal model ("chunked prefill is disabled
    by default in V0"). Without it the profile runs the whole context in one pass.

    Examples
    --------
    >>> v0_chunks_long_context("NVIDIA H100 80GB HBM3")
    True
    >>> v0_chunks_long_context("AMD Instinct MI300X"), v0_chunks_long_context(sliding_window=True)
    (False, False)
    """
    a = accelerator.lower()
    rocm = "amd" in a or "instinct" in a or re.search(r"\bmi\d{3}", a) is not None
    return not (rocm or sliding_window or multimodal)


@dataclass(frozen=True)
class EngineProfile:
    """Memory rules of one serving engine version.

    Attributes
    ----------
    name, version, source : str
        The engine, the versions the constants were read from, and where.
    visible_offset_GiB : float
        nvidia-smi total minus the total the engine's budget starts from [GiB], for
        devices without a stated CUDA-visible total (:meth:`budget_base_bytes`).
    workspace_GiB : float
        Activation workspace besides the logits in the profile run [GiB].
    logits_bytes_per_element : float
        Bytes per logit of the profile batch (fp32: 4) [bytes].
    reserve_tp1_GiB, reserve_tp_GiB : float
        Non-torch memory per GPU at TP 1 and when ranks communicate over NVLink 4/5
        through NVSwitch (Hopper and Blackwell boards) [GiB].
    """

    name: str
    version: str
    source: str
    visible_offset_GiB: float
    workspace_GiB: float
    logits_bytes_per_element: float
    reserve_tp1_GiB: float
    reserve_tp_GiB: float
    #: Bytes per logit of the sampler's dummy run over ``max_num_seqs`` sequences
    #: (logits, probabilities and log-probabilities in fp32) [bytes].
    sampler_bytes_per_logit: float = 0.0
    #: ``max_num_seqs`` defaults on devices below / from ``large_device_GiB`` [-].
    seqs_small: int = 256
    seqs_large: int = 256
    #: Device memory from which the larger defaults apply [GiB].
    large_device_GiB: float = 70.0
    #: The utilisation is a fraction of the memory left free after the weights and
    #: the profiled pass (TensorRT-LLM ``free_gpu_memory_fraction``), not of the
    #: total (vLLM ``gpu_memory_utilization``) [-].
    fraction_of_free: bool = False
    #: The profile only names the engine; the planner's generic terms apply, on
    #: Neuron devices only (NxD Inference allocates a static KV cache) [-].
    generic_terms: bool = False
    #: The profiled forward pass holds the fused MoE kernel's workspace
    #: (:func:`llmsizing.per_rank.moe_workspace_per_rank`) [-].
    moe_workspace: bool = False
    #: vLLM before 0.7.1 ran MLA as multi-head attention, caching K and V of every
    #: head padded to this head size (DeepSeek-V2's 192-wide keys and 128-wide values
    #: to 256, ``deepseek_v2.py``); 0 caches the latent [-].
    mla_as_mha_head: int = 0
    #: (hardware family, intermediate alignment, hidden alignment) of the MXFP4
    #: expert weights as the engine allocates them (its MoE kernel's padding) [-].
    mxfp4_moe_alignment: tuple[tuple[str, int, int], ...] = ()
    #: ``max_num_batched_tokens`` defaults of the OpenAI-compatible server on
    #: devices below / from ``large_device_GiB`` [tokens].
    batched_tokens_small: int = 2048
    batched_tokens_large: int = 8192
    #: The V0 engine's rule instead: without chunked prefill one batch holds a
    #: whole prompt, ``max(max_model_len, 2048)`` tokens; chunked prefill, on by
    #: default above ``chunked_above`` tokens of context, batches 512 [4]_.
    batched_tokens_from_context: bool = False
    chunked_above: int = 32768
    #: Activations of the profiled forward pass per token, as a multiple of
    #: ``(2h + 3 I/tp) · 2`` bytes (the normed input, the residual, the fused
    #: gate-up output and the activation output of the widest MLP) [-].
    forward_bytes_factor: float = 0.0
    #: The sampler runs after the forward pass has freed its tensors (vLLM V0's
    #: ``execute_model``), so the peak is the larger of the two, the sampler's
    #: counted with the pass's ``T h`` output hidden states still held; False: the
    #: terms add [-].
    sampler_after_forward: bool = False
    #: Non-torch memory per GPU when ranks communicate over PCIe or NVLink 2/3 [GiB]:
    #: the 0.8-0.11 line's figure, with which its four A100 launches of vLLM 0.10.1.1 at
    #: TP 2 and 4 in the calibration logs (vllm-dennislee-*) come within 4% of their
    #: logged KV tokens.
    #: NCCL builds NVLink SHARP (NVLS) buffers only on NVSwitch systems of Hopper and
    #: later GPUs (vllm-project/vllm#9699: "nvlsTotalSize 2415919104" at 8 ranks), and
    #: the H100 figure ``reserve_tp_GiB`` is several times this one [3]_.
    reserve_plain_GiB: float = 0.55
    #: The "GPU KV cache size" of layers of several cache kinds is ``max_concurrency ·
    #: max_model_len`` (vLLM 0.20+; :func:`llmsizing.memory.vllm_request_pages`), not
    #: ``num_blocks // groups · block_size`` [-].
    tokens_from_concurrency: bool = False
    #: CUDA graph memory the start-up profile estimates and takes from the KV cache
    #: [GiB]; none for a deployment without CUDA graphs (``Workload.enforce_eager``).
    cuda_graph_GiB: float = 0.0
    #: (workspace GiB, logit bytes, sampler bytes, reserve TP 1 GiB, reserve TP GiB) the
    #: profile has on a large device (:meth:`large_device`) instead; None: the same [-].
    large_device_terms: tuple[float, float, float, float, float] | None = None
    #: SGLang's rule for the default ``mem_fraction_static``
    #: (:func:`sglang_mem_fraction_static`): ``"tp"``, ``"gpu-tier"`` or ``"reserve"``;
    #: empty where the engine's default is the workload's 0.9 (vLLM) [-].
    mem_fraction_rule: str = ""
    #: Rows of the M-RoPE cos/sin table per ``max_position_embeddings`` (vLLM's
    #: ``MRotaryEmbedding``: 4; :func:`llmsizing.memory.rope_cache_bytes`) [-].
    mrope_factor: int = 1
    #: Bytes per element of the RoPE cos/sin table: the model dtype's 2 (vLLM), or 4
    #: where the engine keeps it in fp32 on CUDA (SGLang's ``RotaryEmbedding``: "cache
    #: needs to be in FP32 for numerical stability") [bytes].
    rope_cache_element_bytes: float = 2.0
    #: The model holds Qwen3-VL's DeepStack input buffers beside a loaded vision tower
    #: (:func:`llmsizing.memory.deepstack_buffer_bytes`) [-].
    deepstack_buffers: bool = False
    #: ``kv_cache_dtype="auto"`` takes the checkpoint's stated KV-cache format (vLLM's
    #: ``resolve_kv_cache_dtype_string``: an FP8 ``kv_cache_scheme`` or ModelOpt
    #: ``kv_cache_quant_algo``; :meth:`kv_dtype`) [-].
    kv_dtype_from_checkpoint: bool = False

    def kv_dtype(self, model: ModelConfig, given: str | float, stated: bool) -> str | float:
        """The KV-cache format the engine runs: ``given``, or the checkpoint's under "auto".

        ``stated``: the workload sets its KV dtype (``--kv-cache-dtype``); otherwise a
        profile with :attr:`kv_dtype_from_checkpoint` takes the format the checkpoint's
        quantization states (NVIDIA's Qwen3.6-27B NVFP4 export: an FP8 cache).

        Examples
        --------
        >>> import llmsizing as ls
        >>> ENGINES["vllm"].kv_dtype(ls.load_model("llama-3.1-8b"), "bf16", stated=False)
        'bf16'
        """
        cq = model.checkpoint_quantization
        if stated or not self.kv_dtype_from_checkpoint or cq is None or cq.kv_cache is None:
            return given
        return cq.kv_cache

    def default_memory_fraction(
        self, usable_GiB: float, tp: int, pp: int = 1, dp: int = 1
    ) -> float | None:
        """The engine's own memory fraction where a launch sets none; None: vLLM's 0.9.

        ``usable_GiB`` is the device's nvidia-smi total (SGLang reads
        ``get_nvgpu_memory_capacity()``, in MiB); ``tp``, ``pp`` and ``dp`` are the
        layout's (SGLang's ``tp_size`` is ``tp · dp`` with attention data parallelism).

        Examples
        --------
        >>> round(ENGINES["sglang-0.4"].default_memory_fraction(79.65, tp=8), 2)
        0.81
        """
        if not self.mem_fraction_rule:
            return None
        return sglang_mem_fraction_static(
            self.mem_fraction_rule, usable_GiB * 1024, tp * dp, pp, dp
        )

    def on_device(self, device_GiB: float, accelerator: str = "") -> EngineProfile:
        """The profile's terms on one device: its large-device terms where they apply.

        Examples
        --------
        >>> p = ENGINES["vllm-0.10"]
        >>> p.on_device(79.18, "NVIDIA H100 SXM 80GB").workspace_GiB
        0.9
        >>> p.on_device(79.22, "NVIDIA A100 SXM4 80GB").workspace_GiB
        0.0
        """
        if self.large_device_terms is None or not self.large_device(device_GiB, accelerator):
            return self
        ws, logit, sampler, r1, rtp = self.large_device_terms
        return replace(
            self,
            workspace_GiB=ws,
            logits_bytes_per_element=logit,
            sampler_bytes_per_logit=sampler,
            reserve_tp1_GiB=r1,
            reserve_tp_GiB=rtp,
            large_device_terms=None,
        )

    def offline(self) -> EngineProfile:
        """The profile as vLLM's offline ``LLM`` class runs it.

        vLLM V1 (``EngineArgs.get_batch_defaults``) gives the ``LLM`` class 8,192
        batched tokens below the large-device threshold and 16,384 from it, against
        the API server's 2,048 and 8,192; ``max_num_seqs`` is the same for both [1]_.
        Profiles that derive the batch from the context (V0) or that are not vLLM's
        are returned unchanged.

        Examples
        --------
        >>> p = ENGINES["vllm-0.12"].offline()
        >>> p.batched_tokens_small, p.batched_tokens_large
        (8192, 16384)
        """
        if not self.name.startswith("vllm") or self.batched_tokens_from_context:
            return self
        return replace(
            self,
            name=f"{self.name}:offline",
            batched_tokens_small=8192,
            batched_tokens_large=16384,
        )

    def engine_context(self) -> EngineProfile:
        """The profile of a vLLM engine built in-process without a usage context.

        ``EngineArgs.create_engine_config()`` called with no usage context (as
        Ray Serve LLM's ``_get_vllm_engine_config`` calls it, and as
        ``AsyncLLM.from_engine_args`` passes ``ENGINE_CONTEXT``) finds no entry
        in the per-context defaults, so ``SchedulerConfig`` falls back to
        ``max_num_seqs = 128`` on every device (``vllm/config/scheduler.py``,
        ``SchedulerConfig.__post_init__``; ``DEFAULT_MAX_NUM_SEQS`` in later releases).
        The batched-token budget keeps the API server's defaults: such a launch
        on an H100 prints "Chunked prefill is enabled with
        max_num_batched_tokens=8192". V0 profiles (256 sequences everywhere)
        and profiles that are not vLLM's are returned unchanged.

        Examples
        --------
        >>> p = ENGINES["vllm-0.10"].engine_context()
        >>> p.seqs_small, p.seqs_large
        (128, 128)
        """
        if not self.name.startswith("vllm") or self.batched_tokens_from_context:
            return self
        return replace(self, name=f"{self.name}:engine-context", seqs_small=128, seqs_large=128)

    def pooling(self) -> EngineProfile:
        """The profile of a vLLM engine serving a pooling (embedding) model.

        vLLM V1's ``GPUModelRunner.profile_run`` runs ``_dummy_pooler_run`` on a pooling
        model (``--runner pooling``, ``--convert embed``) where a generative one runs
        ``_dummy_sampler_run``: no logits and no sampler enter the profiled peak, on any
        device. Profiles that are not vLLM V1's are returned unchanged.

        Examples
        --------
        >>> p = ENGINES["vllm-0.10"].pooling()
        >>> p.sampler_bytes_per_logit, p.on_device(79.18, "NVIDIA H100 SXM 80GB").workspace_GiB
        (0.0, 0.9)
        """
        if not self.name.startswith("vllm") or self.batched_tokens_from_context:
            return self
        large = self.large_device_terms
        if large is not None:
            large = (large[0], 0.0, 0.0, large[3], large[4])
        return replace(
            self,
            name=f"{self.name}:pooling",
            logits_bytes_per_element=0.0,
            sampler_bytes_per_logit=0.0,
            large_device_terms=large,
        )

    def marlin_mxfp4(self) -> EngineProfile:
        """The profile with MXFP4 experts run by vLLM's Marlin kernel on every NVIDIA GPU.

        vLLM falls back to Marlin where neither FlashInfer's nor OpenAI's Triton MoE
        kernels are installed or supported (``get_mxfp4_backend``; the log warns
        "Weight-only FP4 compression will be used leveraging the Marlin kernel"), or
        with ``VLLM_MXFP4_USE_MARLIN=1``. Marlin needs ``n % 256 == 0`` and
        ``k % 128 == 0``, so the per-rank intermediate size is padded to 128 and the
        hidden size to 256 (``Mxfp4MoEMethod.create_weights``).

        Examples
        --------
        >>> ENGINES["vllm-0.10"].marlin_mxfp4().mxfp4_alignment("nvidia-hopper")
        (128, 256)
        """
        if not self.mxfp4_moe_alignment:
            return self
        families = [fam for fam, _, _ in self.mxfp4_moe_alignment]
        return replace(
            self,
            name=f"{self.name}:marlin",
            mxfp4_moe_alignment=tuple((fam, 128, 256) for fam in families),
        )

    def budget_base_bytes(self, usable_bytes: float, cuda_visible: Any = None) -> float:
        """The per-device total the engine's memory budget starts from [bytes].

        .. math::

            M_{base} = \\begin{cases}
                M_{visible} & \\text{where the device's CUDA-visible total is known} \\\\
                M_{usable} - o_{visible} & \\text{otherwise}
            \\end{cases}

        ``M_visible`` is what PyTorch reports (``torch.cuda.mem_get_info()[1]``, the
        total vLLM multiplies by ``gpu_memory_utilization`` and SGLang by
        ``mem_fraction_static``) [1]_ [2]_; it differs per card, so a stated figure
        (:attr:`llmsizing.catalog.Instance.cuda_visible_memory`) wins over the
        fallback ``M_usable - visible_offset_GiB``, the nvidia-smi total less the
        offset measured on an H100.

        Parameters
        ----------
        usable_bytes : float
            The device's usable memory as nvidia-smi reports it [bytes].
        cuda_visible : pint.Quantity or None
            The device's CUDA-visible total [GiB], None where unknown.

        Examples
        --------
        >>> from llmsizing.units import ureg
        >>> p = ENGINES["vllm"]
        >>> p.budget_base_bytes(79.65 * 2**30) / 2**30  # H100: 79.65 - 0.47
        79.18
        >>> p.budget_base_bytes(80.0 * 2**30, ureg.Quantity(79.22, "GiB")) / 2**30  # A100
        79.22
        """
        if cuda_visible is not None:
            return float(cuda_visible.to("byte").magnitude)
        return float(usable_bytes) - self.visible_offset_GiB * _GIB

    def large_device(self, device_GiB: float, accelerator: str = "") -> bool:
        """Whether the engine takes its larger defaults on this device.

        vLLM V1 (``EngineArgs._set_default_args``): a device of at least 70 GiB
        whose name does not contain "a100" ("for GPUs like H100, H200, and MI300x")
        [1]_; ``accelerator`` is the device's marketed name.

        Examples
        --------
        >>> p = ENGINES["vllm"]
        >>> p.large_device(79.2, "NVIDIA H100 SXM 80GB"), p.large_device(79.2, "NVIDIA A100 80GB")
        (True, False)
        """
        return device_GiB >= self.large_device_GiB and "a100" not in accelerator.lower()

    def default_batched_tokens(
        self,
        device_GiB: float,
        context_len: int = 0,
        accelerator: str = "",
        *,
        sliding_window: bool = False,
        multimodal: bool = False,
    ) -> int:
        """``max_num_batched_tokens`` the engine uses when none is given [tokens].

        vLLM V1 (``EngineArgs._set_default_args``): 8192 for the API server on a
        large device (:meth:`large_device`), 2048 elsewhere [1]_. vLLM V0: a whole
        prompt, ``max(context, 2048)``, or 512 with chunked prefill above 32k
        (:func:`v0_chunks_long_context`: not on ROCm, nor for a model with a sliding
        window or a multimodal one) [4]_.

        Examples
        --------
        >>> p = ENGINES["vllm-0.6"]
        >>> p.default_batched_tokens(79.2, 131072, "NVIDIA H100 80GB HBM3")
        512
        >>> p.default_batched_tokens(191.5, 131072, "AMD Instinct MI300X")
        131072
        """
        if self.batched_tokens_from_context:
            chunks = v0_chunks_long_context(accelerator, sliding_window, multimodal)
            if context_len > self.chunked_above and chunks:
                return 512
            return max(context_len, 2048)
        large = self.large_device(device_GiB, accelerator)
        return self.batched_tokens_large if large else self.batched_tokens_small

    def default_seqs(self, device_GiB: float, accelerator: str = "") -> int:
        """``max_num_seqs`` the engine uses when none is given: 1024 or 256 in vLLM V1 [-]."""
        return self.seqs_large if self.large_device(device_GiB, accelerator) else self.seqs_small

    def activation_bytes(
        self,
        max_batched_tokens: Any,
        vocab: float,
        max_num_seqs: float = 0.0,
        hidden: float = 0.0,
        ffn: float = 0.0,
        tp: Any = 1,
    ) -> Any:
        """Profiled activation peak per rank [bytes].

        .. math::

            A = T V b_{logit} + S V b_{sampler} + f_{fwd} \\, T (2h + 3 I/tp) \\cdot 2 + A_{ws}

        logits of the ``T`` batched tokens of the dummy forward pass, the sampler's
        dummy run over ``S`` sequences, and (V0) the forward pass's own tensors,
        whichever the engine version profiles. Where the sampler runs after the
        forward pass has freed its tensors (:attr:`sampler_after_forward`, vLLM V0)
        the two do not add:

        .. math::

            A = \\max\\left(f_{fwd} \\, T (2h + 3 I/tp) \\cdot 2,\\;
                T h \\cdot 2 + S V b_{sampler}\\right) + T V b_{logit} + A_{ws}

        Examples
        --------
        >>> # V0, Llama-3.1-8B at 131,072 tokens of context: 512 chunked tokens, 256 sampled
        >>> p = ENGINES["vllm-0.6"]
        >>> round(float(p.activation_bytes(512, 128256, 256, 4096, 14336)) / 2**30, 2)
        1.2
        """
        tp = np.asarray(tp, dtype=float)
        forward = self.forward_bytes_factor * max_batched_tokens * (2 * hidden + 3 * ffn / tp) * 2
        sampler = max_num_seqs * vocab * self.sampler_bytes_per_logit
        if self.sampler_after_forward:
            peak = np.maximum(forward, max_batched_tokens * hidden * 2 + sampler)
        else:
            peak = forward + sampler
        return (
            max_batched_tokens * vocab * self.logits_bytes_per_element
            + peak
            + self.workspace_GiB * _GIB
        )

    def mxfp4_alignment(self, family: str) -> tuple[int, int]:
        """(intermediate, hidden) multiples MXFP4 expert weights are padded to on ``family``."""
        for fam, inter, hidden in self.mxfp4_moe_alignment:
            if fam == family:
                return inter, hidden
        return 1, 1

    def reserve_bytes(self, ranks: int, link: str = "nvlink4") -> float:
        """Non-torch memory per rank for ``ranks`` ranks linked by ``link`` [bytes].

        .. math::

            R = \\begin{cases}
                R_1 & N = 1 \\text{ or PCIe-only with } N > 2 \\\\
                \\max(R_1, \\min(R_{plain}, R_{TP})) & \\text{PCIe or NVLink 2/3} \\\\
                R_{TP} & \\text{otherwise (NVLink 4/5 through NVSwitch)}
            \\end{cases}

        Once ranks communicate, NCCL's buffers and the custom all-reduce's are added
        to the CUDA context. vLLM and SGLang create no custom all-reduce on more than
        two GPUs linked by PCIe only ("Custom allreduce is disabled because it's not
        supported on more than two PCIe-only GPUs", ``custom_all_reduce.py``): there
        the TP-1 figure applies. NCCL's NVLink SHARP buffers exist only on NVSwitch
        systems of Hopper and later GPUs, so PCIe and NVLink 2/3 ranks take
        ``reserve_plain_GiB``.

        Parameters
        ----------
        ranks : int
            Communicating ranks of one replica (TP x attention DP) [-].
        link : str
            The interconnect kind (:func:`llmsizing.collectives.interconnect_kind`).

        Examples
        --------
        >>> p = ENGINES["vllm"]
        >>> [p.reserve_bytes(4, k) / 2**30 for k in ("nvlink4", "nvlink3", "pcie")]
        [2.1, 0.55, 0.25]
        """
        if ranks <= 1 or (link == "pcie" and ranks > 2):
            return self.reserve_tp1_GiB * _GIB
        if link in ("pcie", "nvlink2", "nvlink3"):
            plain = min(self.reserve_plain_GiB, self.reserve_tp_GiB)
            return max(plain, self.reserve_tp1_GiB) * _GIB
        return self.reserve_tp_GiB * _GIB


def sglang_mem_fraction_static(
    rule: str, gpu_mem_MiB: float, tp_size: int, pp: int = 1, dp: int = 1
) -> float:
    """SGLang's default ``mem_fraction_static`` (weights + KV pool over device memory) [-].

    ``ServerArgs`` sets it when a launch does not, by release line:

    * ``"tp"`` (0.4.6 and before): 0.88, 0.87, 0.85, 0.81 and 0.79 from ``tp_size``
      1, 2, 4, 8 and 16 up;
    * ``"gpu-tier"`` (sgl-project/sglang#7054, merged 2025-06-10; 0.4.7 to 0.5.2):
      :math:`f = (M - R) / M` with a reserve :math:`R` by device size, for
      :math:`p = tp \\cdot pp`: :math:`(2.8 + p/10)` GiB below 35 GiB,
      :math:`(9.5 + p/2)` GiB below 90 GiB, :math:`(12 + p/2)` GiB below 160 GiB,
      32 GiB from there, plus 4 GiB with attention data parallelism;
    * ``"reserve"`` (sgl-project/sglang#10975, merged 2025-09-27; 0.5.3 and later):
      the device size picks ``chunked_prefill_size`` :math:`C` and
      ``cuda_graph_max_bs`` :math:`B` (2048 / 8 below 20 GiB; 2048 / 24, or 80 from
      TP 4, below 35 GiB; 4096 / 32, or 160, below 60 GiB; 8192 / 256, or 512,
      below 160 GiB; 16384 / 512 from there), and

      .. math::

          R = 512 + 1.5 \\max(C, 2048) + 2 B + 1024 \\, tp \\cdot pp / 8
              \\; [+ 3 B \\, dp \\; (+ 1.5 B \\, dp \\text{ for } B > 300)]

      in MiB, at least 10 GiB on devices above 60 GiB.

    Multimodal models lower it further (``adjust_mem_fraction_for_vlm``), which is
    not modelled.

    Parameters
    ----------
    rule : str
        ``"tp"``, ``"gpu-tier"`` or ``"reserve"``.
    gpu_mem_MiB : float
        The device's memory as nvidia-smi reports it [MiB].
    tp_size : int
        SGLang's ``tp_size`` (every rank of a pipeline stage) [-].
    pp : int
        Pipeline stages [-].
    dp : int
        Attention data-parallel groups (``--enable-dp-attention`` when above 1) [-].

    Returns
    -------
    float
        The fraction, rounded to three places as ``ServerArgs`` rounds it [-].

    References
    ----------
    ``python/sglang/srt/server_args.py`` (``ServerArgs.__post_init__``, later
    ``_handle_gpu_memory_settings``) at each line.

    Examples
    --------
    >>> sglang_mem_fraction_static("reserve", 81559, tp_size=1)  # H100 80GB, TP 1
    0.835
    >>> sglang_mem_fraction_static("gpu-tier", 81559, tp_size=8)
    0.831
    """
    m, p = float(gpu_mem_MiB), tp_size * pp
    if rule == "tp":
        for least, frac in ((16, 0.79), (8, 0.81), (4, 0.85), (2, 0.87)):
            if tp_size >= least:
                return frac
        return 0.88
    if rule == "gpu-tier":
        if m < 35 * 1024:
            reserved = (2.8 + p / 10) * 1024
        elif m < 90 * 1024:
            reserved = (9.5 + p / 2) * 1024
        elif m < 160 * 1024:
            reserved = (12 + p / 2) * 1024
        else:
            reserved = 32 * 1024
        reserved += 4 * 1024 if dp > 1 else 0
        return round((m - reserved) / m, 3)
    if rule != "reserve":
        raise UnknownNameError(f"unknown mem_fraction_static rule {rule!r}")
    small = tp_size < 4
    if m < 20 * 1024:
        chunk, graphs = 2048, 8
    elif m < 35 * 1024:
        chunk, graphs = 2048, 24 if small else 80
    elif m < 60 * 1024:
        chunk, graphs = 4096, 32 if small else 160
    elif m < 160 * 1024:
        chunk, graphs = 8192, 256 if small else 512
    else:
        chunk, graphs = 16384, 512
    reserved = 512 + max(chunk, 2048) * 1.5 + graphs * 2 + p / 8 * 1024
    if dp > 1:
        reserved += graphs * dp * 3 + (graphs * dp * 1.5 if graphs > 300 else 0)
    if m > 60 * 1024:
        reserved = max(reserved, 10 * 1024)
    return round((m - reserved) / m, 3)


#: vLLM's MXFP4 MoE padding by backend (``quantization/mxfp4.py``,
#: ``Mxfp4MoEMethod.create_weights``): Marlin, chosen below CUDA capability 9.0,
#: rounds the per-rank intermediate size up to 128 and the hidden size to 256;
#: FlashInfer's TRT-LLM kernels on Blackwell round both to 256. On Hopper the
#: OpenAI Triton kernels' swizzled layout holds the intermediate in multiples of
#: 256 and the hidden size unpadded: fitted on the calibration launch
#: vllm-llmd-gpt-oss-20b-h100-tp1 (13.47 GiB logged, 13.45 GiB with this rule).
_VLLM_MXFP4 = (
    ("nvidia-ampere", 128, 256),
    ("nvidia-ada", 128, 256),
    ("nvidia-hopper", 256, 1),
    ("nvidia-blackwell", 256, 256),
)

#: The 0.12-0.16 line's peak and reserve terms, in the order of
#: ``EngineProfile.large_device_terms``: 0.9 GiB of workspace, no logits term, 32
#: bytes per logit of the sampler's run over ``max_num_seqs`` sequences, 0.14 / 1.5
#: GiB of non-torch memory [3]_. The default peaks of the calibration launches
#: (1,024 sequences on an H100) give 32 bytes (Qwen3-32B: 5.64 GiB for 151,936 logits
#: per sequence); two Qwen3-VL-30B-A3B launches of one machine under 0.12.0 at
#: ``max_num_seqs`` 64 and 256 (engine-log set heldout3, zzsf11-*) differ by 0.92 GiB,
#: 33.9 bytes per added logit, where a peak over the batched tokens would not differ.
_V012_PEAK = (0.9, 0.0, 32.0, 0.14, 1.5)

#: Engine profiles by name. The constants are medians of the calibration logs [3]_.
ENGINES: dict[str, EngineProfile] = {
    p.name: p
    for p in (
        # vLLM V0 (0.7 and before; 0.8-0.10 below CUDA capability 8.0): one forward
        # pass over a whole prompt (or a 512-token chunk above 32k of context), then
        # the sampler over its 256 sequences' last tokens; the launch
        # vllm-10517-llama31-8b-rtx3090-tp1-len29k logs peak torch memory 2.99 GiB
        # above its weights for 29,000 tokens (2.77 GiB by this rule). The sampler's 39
        # bytes per logit: fp32 logits, their sorted copy with int64 indices and the
        # inverse permutation of _apply_top_k_top_p (the profile samples with top_p
        # 0.99, top_k V - 1), probabilities and log-probabilities
        # (vllm/model_executor/layers/sampler.py); the V0 launches whose peak the
        # sampler sets (512 chunked tokens, or short prompts) print 38.6-39.0 bytes per
        # logit over 32,000 to 152,064 logits (engine-log sets heldout9, heldout10,
        # heldout12, read before this rule), and vllm-project/vllm#10511's Llama-3-8B
        # on one H100 its 1.26 GiB peak (1.25 by this rule). The non-torch memory
        # counted from 0.6.5 is the increase over a snapshot taken after the CUDA
        # context exists (vllm/utils.py, memory_profiling): 0.03-0.11 GiB at TP 1 in
        # the launches that print it (median 0.06); up to 0.6.3 the peak is the drop
        # of free memory since the worker started, which leaves the context out too
        EngineProfile(
            "vllm-0.6",
            "0.5.4-0.7 but 0.6.4, and 0.8-0.10 below CUDA capability 8.0 (V0 engine)",
            "tests/data/engine_logs/calibration.yaml (vllm-10517-*, vLLM V0 of Dec 2024); "
            "vllm/worker/worker.py (determine_num_available_blocks)",
            visible_offset_GiB=0.47,
            workspace_GiB=0.0,
            logits_bytes_per_element=0.0,
            reserve_tp1_GiB=0.06,
            reserve_tp_GiB=0.35,
            sampler_bytes_per_logit=39.0,
            seqs_small=256,
            seqs_large=256,
            batched_tokens_from_context=True,
            forward_bytes_factor=1.0,
            sampler_after_forward=True,
            mla_as_mha_head=256,
            mxfp4_moe_alignment=_VLLM_MXFP4,
            moe_workspace=True,
        ),
        EngineProfile(
            "vllm-0.12",
            "0.12-0.16 (V1 engine, 32 bytes per sampled logit)",
            "tests/data/engine_logs/calibration.yaml; vllm/v1/worker/gpu_worker.py",
            visible_offset_GiB=0.47,
            workspace_GiB=_V012_PEAK[0],
            logits_bytes_per_element=_V012_PEAK[1],
            sampler_bytes_per_logit=_V012_PEAK[2],
            reserve_tp1_GiB=_V012_PEAK[3],
            reserve_tp_GiB=_V012_PEAK[4],
            seqs_small=256,
            seqs_large=1024,
            mxfp4_moe_alignment=_VLLM_MXFP4,
            moe_workspace=True,
            mrope_factor=4,
            deepstack_buffers=True,
        ),
        # vLLM 0.17 and later profile the sampler over max_num_seqs sequences at about half
        # the 0.12 line's bytes per logit: Qwen3-14B on one H100 peaks at 5.64 GiB under
        # 0.16.0 and 2.23 GiB under 0.17.0 (calibration and held-out logs of one
        # machine); 2.21 GiB for V = 151,936 and 1.89 GiB for 128,256 under 0.19.0 give
        # about 15.6 bytes per logit over the 1,024 default sequences of a large device;
        # non-torch memory at TP >= 2 is about 2.1 GiB there (custom all-reduce buffers)
        # vLLM 0.8-0.11 profile the sampler too, over max_num_seqs sequences: 256 on an
        # A100 or a device below 70 GiB (the V1 defaults), at the 0.12 line's 32 bytes
        # per logit (the PyTorch top-k/top-p path: fp32 logits, their sort with int64
        # indices, probabilities). Launches of ten sources on L4, L40S, A10, RTX 3090 /
        # 5090 / A6000 and A100 40 and 80 GB leave 0.1-1.3 GiB less KV memory than 15.6
        # bytes gives (median 0.6 GiB, 16 bytes per logit more; engine-log sets heldout,
        # heldout3, heldout4, heldout7, heldout8, heldout10, read before this rule),
        # while the five Qwen2-7B launches of vLLM 0.10.1.1 of one machine (calibration
        # and heldout, vllm-dennislee-*) come 0.1-0.4 GiB under it: a build with
        # FlashInfer's sampler (VLLM_USE_FLASHINFER_SAMPLER) allocates no sort. On a
        # large device (H100 class:
        # 8,192 batched tokens, 1,024 sequences) their peak is that of the 0.12 line,
        # 32 bytes per sampled logit: Qwen3-30B-A3B under 0.10.2 on one H100
        # logs a 5.58 GiB peak, 5.54 GiB by that rule, and the H100 launches of 0.10.0
        # (Qwen3-32B TP 8) and of July 2025 (Qwen3-235B TP 4) leave within 2-5% of the
        # KV memory it gives (engine-log sets heldout and heldout3)
        EngineProfile(
            "vllm-0.10",
            "0.8-0.11 (V1 engine)",
            "tests/data/engine_logs/calibration.yaml (vllm-dennislee-*, vLLM 0.10.1.1)",
            visible_offset_GiB=0.47,
            workspace_GiB=0.0,
            logits_bytes_per_element=0.0,
            reserve_tp1_GiB=0.14,
            reserve_tp_GiB=0.55,
            sampler_bytes_per_logit=32.0,
            seqs_small=256,
            seqs_large=1024,
            mxfp4_moe_alignment=_VLLM_MXFP4,
            moe_workspace=True,
            mrope_factor=4,
            deepstack_buffers=True,
            large_device_terms=_V012_PEAK,
        ),
        EngineProfile(
            "vllm-0.17",
            "0.17-0.19 (V1 engine)",
            "tests/data/engine_logs/calibration.yaml (vllm-jgchn-*, vLLM 0.19.0)",
            visible_offset_GiB=0.47,
            workspace_GiB=0.0,
            logits_bytes_per_element=0.0,
            reserve_tp1_GiB=0.25,
            reserve_tp_GiB=2.1,
            sampler_bytes_per_logit=15.6,
            seqs_small=256,
            seqs_large=1024,
            mxfp4_moe_alignment=_VLLM_MXFP4,
            moe_workspace=True,
            mrope_factor=4,
            deepstack_buffers=True,
        ),
        # SGLang's static pool (weights + KV) is mem_fraction_static of the total; its
        # activations and CUDA graphs live in the rest ([2]_: profile_max_num_token,
        # rest_memory = available - total * (1 - mem_fraction_static)), so inside the
        # budget there is no activation term. "available" is the free memory after the
        # weights load, so the CUDA context and communication buffers come out of the
        # pool: 3.2 GiB at TP 4 in the calibration launch sglang-21348 (mem_fraction_static
        # 0.93, 79.18 GiB visible, 55.1 GiB of weights, K + V 16.46 GB); at TP 1 the
        # CUDA context of vLLM's launches (0.14 GiB)
        EngineProfile(
            "sglang",
            "current (0.5.3 and later; the default)",
            "python/sglang/srt/model_executor/model_runner.py (mem_fraction_static); "
            "tests/data/engine_logs/calibration.yaml (sglang-21348-*)",
            visible_offset_GiB=0.47,
            workspace_GiB=0.0,
            logits_bytes_per_element=0.0,
            reserve_tp1_GiB=0.14,
            reserve_tp_GiB=3.2,
            # no SGLang launch on PCIe or NVLink 2/3 in the logs: the H100 figure
            reserve_plain_GiB=3.2,
            mem_fraction_rule="reserve",
            rope_cache_element_bytes=4.0,
        ),
    )
}

# SGLang's release lines differ in the default mem_fraction_static alone
# (sglang_mem_fraction_static); the pool and reserve terms are the ones above
ENGINES["sglang-0.5.3"] = replace(
    ENGINES["sglang"], name="sglang-0.5.3", version="0.5.3 and later (sglang#10975)"
)
ENGINES["sglang-0.4.7"] = replace(
    ENGINES["sglang"],
    name="sglang-0.4.7",
    version="0.4.7-0.5.2 (sglang#7054)",
    mem_fraction_rule="gpu-tier",
)
# the fp32 table came with sgl-kernel's fused RoPE (2025); the 0.4 line is taken at the
# model dtype, as vLLM's rotary embedding it reused keeps it
ENGINES["sglang-0.4"] = replace(
    ENGINES["sglang"],
    name="sglang-0.4",
    version="0.4.6 and before",
    mem_fraction_rule="tp",
    rope_cache_element_bytes=2.0,
)


# vLLM 0.20 reports the tokens of a model with several cache kinds as max_concurrency x
# max_model_len (vllm-project/vllm#40694 and #38364, April 2026: "GPU KV cache size /
# max_model_len equals the logged Maximum concurrency"); 0.19.0 still divides num_blocks
# by the groups (#40691). 0.21 and later also take the CUDA graphs' memory from the KV
# budget: the profile captures a few graphs and extrapolates to all capture sizes
# (VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS, "CUDA graph memory profiling is enabled
# (default since v0.21.0)"). Its "Estimated CUDA graph memory" is 0.41 GiB per rank in the
# median of the 21 launches of vLLM 0.20-0.27 in tests/data/engine_logs/cuda_graphs.yaml
# (0.08-2.55 GiB: it follows the model's kernels and buffers more than the number of graphs,
# 0.43 GiB for a single graph and 0.08 GiB for 86), the figure taken here; 0.36 GiB for a
# TP-2 launch of 0.27.1 (gpustack/runner#251); the linear extrapolation over the capture
# sizes can overshoot by GiBs (vllm-project/vllm#45178, #50780, #53013). The rest as the
# 0.17 line.
ENGINES["vllm-0.20"] = replace(
    ENGINES["vllm-0.17"],
    name="vllm-0.20",
    version="0.20 (V1 engine, tokens reported from the concurrency)",
    source="vllm/v1/core/kv_cache_utils.py (_report_kv_cache_config, "
    "get_max_concurrency_for_kv_cache_config)",
    tokens_from_concurrency=True,
)
# vLLM resolves kv_cache_dtype "auto" to a checkpoint's stated KV-cache format
# (utils/torch_utils.py, resolve_kv_cache_dtype_string); taken from the 0.21 line, which
# holds the 0.24.0 launches of NVIDIA's FP8-cache NVFP4 exports (engine-log set heldout23)
ENGINES["vllm-0.21"] = replace(
    ENGINES["vllm-0.20"],
    kv_dtype_from_checkpoint=True,
    name="vllm-0.21",
    version="0.21 and later (V1 engine, CUDA graph memory profiled)",
    source="vllm/v1/worker/gpu_worker.py (determine_available_memory, "
    "cudagraph_memory_estimate); tests/data/engine_logs/cuda_graphs.yaml "
    "('Estimated CUDA graph memory')",
    cuda_graph_GiB=0.41,
)

ENGINES |= {
    # TensorRT-LLM (PyTorch backend, 1.x): a warm-up pass of max_num_tokens (8192 by
    # default) is profiled, then free_gpu_memory_fraction (0.9) of what is left goes
    # to the KV cache ([5]_); no start-up logs back the non-torch terms, which are
    # vLLM's current ones (the same CUDA context and NCCL buffers)
    "trtllm": EngineProfile(
        "trtllm",
        "1.0-1.2 (PyTorch backend)",
        "tensorrt_llm/llmapi/llm_args.py (KvCacheConfig.free_gpu_memory_fraction, "
        "max_num_tokens); tensorrt_llm/_torch/pyexecutor/_util.py (KV cache estimation)",
        visible_offset_GiB=0.47,
        workspace_GiB=0.0,
        logits_bytes_per_element=0.0,
        reserve_tp1_GiB=0.25,
        reserve_tp_GiB=2.1,
        forward_bytes_factor=1.0,
        moe_workspace=True,
        fraction_of_free=True,
    ),
    # NxD Inference and transformers-neuronx compile the KV cache statically for the
    # compiled batch and sequence length; the planner's generic rule sizes it
    "neuron": EngineProfile(
        "neuron",
        "NxD Inference 0.x, transformers-neuronx",
        "neuronx_distributed_inference/models/config.py (batch_size, seq_len)",
        visible_offset_GiB=0.0,
        workspace_GiB=0.0,
        logits_bytes_per_element=0.0,
        reserve_tp1_GiB=0.0,
        reserve_tp_GiB=0.0,
        generic_terms=True,
    ),
}

# vLLM 0.6.4 alone subtracts all non-torch memory in use after the profile, the CUDA
# context included ("Memory profiling results: ... initial_memory_usage ...
# non_torch_memory=0.35GiB", vllm-10517-* in the calibration logs, Dec 2024); 0.6.5
# measures from a snapshot instead (vllm-project/vllm#10511)
ENGINES["vllm-0.6.4"] = replace(
    ENGINES["vllm-0.6"],
    name="vllm-0.6.4",
    version="0.6.4 (V0 engine, CUDA context counted)",
    reserve_tp1_GiB=0.35,
)

# vLLM 0.5.3 and before batch a whole prompt whatever the context: chunked prefill on
# by default above 32k tokens came with 0.5.4 (vllm-project/vllm#6666, "to avoid
# possible OOM errors during the initial memory profiling", merged 2024-07-23)
ENGINES["vllm-0.5"] = replace(
    ENGINES["vllm-0.6"],
    name="vllm-0.5",
    version="0.5.3 and before (V0 engine, no chunked prefill by default)",
    chunked_above=2**62,
)

#: The default: the current release line (the 0.21+ profile), as a deployment
#: planned today runs; log checks pick the profile of the version a log names.
ENGINES = {
    "vllm": replace(
        ENGINES["vllm-0.21"], name="vllm", version="current (0.21 and later; the default)"
    ),
    **ENGINES,
}


#: (first version, profile, first date it ran on) of each vLLM release line, oldest
#: first [3]_. The dates are the earliest public evidence of a release in use:
#: 0.8.0 (V1 engine by default) was released 2025-03-18; projects were pinning 0.12
#: by 2025-12-04 (microsoft/agent-lightning#361); 0.17.1 was adopted by 2026-03-09
#: (kaito-project/kaito#1830), which dates the 0.17 line here; a review of
#: vllm-project/vllm#41099 on 2026-04-28 quotes the main branch's "Enabled by default
#: as of v0.21.0" (0.20 out by then), and a launch log dated 2026-05-01 prints "CUDA
#: graph memory profiling is enabled (default since v0.21.0)".
_VLLM_LINES = (
    ((0, 0, 0), "vllm-0.5", "0000-00-00"),
    ((0, 5, 4), "vllm-0.6", "2024-08-05"),
    ((0, 6, 4), "vllm-0.6.4", "2024-11-15"),
    ((0, 6, 5), "vllm-0.6", "2024-12-17"),
    ((0, 8, 0), "vllm-0.10", "2025-03-18"),
    ((0, 12, 0), "vllm-0.12", "2025-12-01"),
    ((0, 17, 0), "vllm-0.17", "2026-03-09"),
    ((0, 20, 0), "vllm-0.20", "2026-04-28"),
    ((0, 21, 0), "vllm-0.21", "2026-05-01"),
)
_VERSION = re.compile(r"vllm\s*(?:==|=|@|\s)\s*v?(\d+\.\d+(?:\.[0-9a-z.+-]*)?)", re.I)
_SGLANG_VERSION = re.compile(r"sglang\s*(?:==|=|@|\s)\s*v?(\d+\.\d+(?:\.[0-9a-z.+-]*)?)", re.I)

#: (first version, profile, first date) of each SGLang line: the merge dates of
#: sgl-project/sglang#7054 (2025-06-10) and #10975 (2025-09-27), taken as the start
#: of the first release after them
_SGLANG_LINES = (
    ((0, 0, 0), "sglang-0.4", "0000-00-00"),
    ((0, 4, 7), "sglang-0.4.7", "2025-06-10"),
    ((0, 5, 3), "sglang-0.5.3", "2025-09-27"),
)


def sglang_profile_name(version: str = "", date: str = "") -> str:
    """The profile of the SGLang line of a version, else of a date (``YYYY-MM-DD``).

    Examples
    --------
    >>> sglang_profile_name("0.4.3.post4"), sglang_profile_name("0.5.8.post1")
    ('sglang-0.4', 'sglang-0.5.3')
    >>> sglang_profile_name(date="2025-07-22")
    'sglang-0.4.7'
    """
    name = _SGLANG_LINES[-1][1]
    if version:
        found = _version(version)
        for first, profile, _ in _SGLANG_LINES:
            if found >= first:
                name = profile
    elif date:
        for _, profile, since in _SGLANG_LINES:
            if date.strip() >= since:
                name = profile
    return name


#: Accelerator names below CUDA capability 8.0 (Turing 7.5, Volta 7.0).
_PRE_AMPERE = ("t4", "v100", "titan v", "titan rtx", "rtx 20", "quadro rtx", "rtx 8000")


def runs_v0_engine(version: str, accelerator: str = "") -> bool:
    """Whether vLLM ``version`` runs its V0 engine on ``accelerator``.

    Before 0.8 every release ran V0. Releases 0.8-0.10 fall back to V0 on GPUs
    below CUDA capability 8.0 (``EngineArgs._is_v1_supported_oracle``: "Compute
    Capability < 8.0"); 0.11 removed V0.

    Examples
    --------
    >>> runs_v0_engine("0.7.3"), runs_v0_engine("0.8.5", "NVIDIA T4"), runs_v0_engine("0.8.5")
    (True, True, False)
    """
    found = _version(version)
    if found < (0, 8, 0):
        return True
    a = accelerator.lower()
    return found < (0, 11, 0) and any(k in a for k in _PRE_AMPERE)


def _version(version: str) -> tuple[int, int, int]:
    """(major, minor, patch) of a version string; patch 0 where none is given."""
    m = re.match(r"\s*v?(\d+)\.(\d+)(?:\.(\d+))?", version)
    if m is None:
        raise UnknownNameError(f"not a version: {version!r} (e.g. '0.10.1')")
    return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)


def vllm_profile_name(version: str, accelerator: str = "") -> str:
    """The profile of the vLLM release line a version string belongs to.

    On ``accelerator`` where the version runs its V0 engine (:func:`runs_v0_engine`),
    the V0 profile.

    Examples
    --------
    >>> vllm_profile_name("0.10.1.1"), vllm_profile_name("0.16.0"), vllm_profile_name("0.19")
    ('vllm-0.10', 'vllm-0.12', 'vllm-0.17')
    >>> vllm_profile_name("0.8.5", "NVIDIA T4"), vllm_profile_name("0.6.4.post1")
    ('vllm-0.6', 'vllm-0.6.4')
    """
    found = _version(version)
    name = _VLLM_LINES[0][1]
    for first, profile, _ in _VLLM_LINES:
        if found >= first:
            name = profile
    if accelerator and runs_v0_engine(version, accelerator) and found >= (0, 8, 0):
        return "vllm-0.6"  # the last V0 line's profile
    return name


def vllm_profile_on(date: str) -> str:
    """The profile of the vLLM release line current on a date (``YYYY-MM-DD``).

    For a start-up log that names no version: it most likely ran the newest line
    released by its date (:data:`_VLLM_LINES`).

    Raises
    ------
    UnknownNameError
        For a string that is not an ISO date.

    Examples
    --------
    >>> vllm_profile_on("2024-09-01"), vllm_profile_on("2025-10-31"), vllm_profile_on("2026-02-26")
    ('vllm-0.6', 'vllm-0.10', 'vllm-0.12')
    >>> vllm_profile_on("2026-04-01"), vllm_profile_on("2026-11-30")
    ('vllm-0.17', 'vllm-0.21')
    """
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.strip()):
        raise UnknownNameError(f"not an ISO date: {date!r} (e.g. '2025-10-31')")
    name = _VLLM_LINES[0][1]
    for _, profile, since in _VLLM_LINES:
        if date.strip() >= since:
            name = profile
    return name


def engine_profile(name: str | None) -> EngineProfile | None:
    """The profile of ``name``; None for the generic planning rule.

    ``name`` is a profile name (``"vllm"``, ``"vllm-0.12"``, ``"sglang"`` ...) or a
    vLLM version (``"vllm==0.10.1"``), which picks its release line's profile. A
    ``":offline"`` suffix (``"vllm-0.12:offline"``) takes the defaults of vLLM's
    offline ``LLM`` class instead of its API server's (:meth:`EngineProfile.offline`);
    ``":engine-context"`` those of an engine built in-process with no usage context
    (:meth:`EngineProfile.engine_context`, Ray Serve LLM); ``":marlin"`` runs MXFP4
    experts with the Marlin kernel (:meth:`EngineProfile.marlin_mxfp4`); ``":pooling"``
    serves a pooling model, profiled without a sampler (:meth:`EngineProfile.pooling`).
    Suffixes combine (``"vllm-0.10:offline:marlin"``).

    Raises
    ------
    UnknownNameError
        For an engine without a profile, with the nearest names.

    Examples
    --------
    >>> engine_profile("vllm==0.11.0").name
    'vllm-0.10'
    >>> engine_profile("vllm-0.12:offline").batched_tokens_large
    16384
    """
    if name is None or name == "generic":
        return None
    key = name.lower()
    for suffix, variant in (
        (":offline", EngineProfile.offline),
        (":engine-context", EngineProfile.engine_context),
        (":marlin", EngineProfile.marlin_mxfp4),
        (":pooling", EngineProfile.pooling),
    ):
        if key.endswith(suffix):
            base = engine_profile(name[: -len(suffix)])
            return None if base is None else variant(base)
    versioned = _VERSION.fullmatch(key.strip())
    if versioned:
        key = vllm_profile_name(versioned.group(1))
    sglang = _SGLANG_VERSION.fullmatch(key.strip())
    if sglang:
        key = sglang_profile_name(sglang.group(1))
    if key not in ENGINES:
        raise UnknownNameError(
            f"unknown engine {name!r}: {suggest(name, [*ENGINES, 'generic'])} "
            "(or a version such as 'vllm==0.10.1' or 'sglang==0.4.6')"
        )
    return ENGINES[key]
