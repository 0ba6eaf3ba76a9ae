"""Exact parameter counts of a few hand-written synthetic configs, from transformers itself.

Covers gemma2, phi3 and glm4_moe with configs that rely on transformers defaults; writes
``tests/data/hf_param_counts_synthetic.json``. Randomised configs of every supported
``model_type`` come from ``scripts/derive_param_counts.py families`` (the development and
held-out sets in ``tests/data/family_configs*.json``); this file keeps its fixed cases.
Run where torch and transformers are installed.
"""

import json
from pathlib import Path

import torch
import transformers as T

cfgs = {
    "gemma2": dict(
        model_type="gemma2",
        vocab_size=200000,
        hidden_size=256,
        intermediate_size=512,
        num_hidden_layers=5,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=64,
    ),
    "gemma2_defaults": dict(
        model_type="gemma2",
        hidden_size=256,
        intermediate_size=512,
        num_hidden_layers=4,
        num_attention_heads=4,
    ),
    "phi3": dict(
        model_type="phi3",
        vocab_size=200000,
        hidden_size=256,
        intermediate_size=512,
        num_hidden_layers=3,
        num_attention_heads=8,
        num_key_value_heads=2,
        sliding_window=2047,
    ),
    "phi3_tied": dict(
        model_type="phi3",
        vocab_size=200000,
        hidden_size=192,
        intermediate_size=384,
        num_hidden_layers=2,
        num_attention_heads=6,
        num_key_value_heads=2,
        tie_word_embeddings=True,
    ),
    "glm4_moe": dict(
        model_type="glm4_moe",
        vocab_size=200000,
        hidden_size=256,
        intermediate_size=768,
        moe_intermediate_size=128,
        num_hidden_layers=4,
        num_attention_heads=8,
        num_key_value_heads=2,
        head_dim=64,
        n_routed_experts=8,
        num_experts_per_tok=2,
        n_shared_experts=1,
        first_k_dense_replace=1,
        attention_bias=True,
        use_qk_norm=True,
        num_nextn_predict_layers=1,
    ),
    "glm4_moe_noqk": dict(
        model_type="glm4_moe",
        vocab_size=200000,
        hidden_size=256,
        intermediate_size=768,
        moe_intermediate_size=128,
        num_hidden_layers=3,
        num_attention_heads=8,
        num_key_value_heads=4,
        head_dim=32,
        n_routed_experts=16,
        num_experts_per_tok=4,
        n_shared_experts=2,
        first_k_dense_replace=2,
        attention_bias=False,
    ),
}
out = {}
for k, d in cfgs.items():
    d2 = {kk: v for kk, v in d.items() if kk != "model_type"}
    c = T.AutoConfig.for_model(d["model_type"], **d2)
    with torch.device("meta"):
        m = T.AutoModelForCausalLM.from_config(c)
    out[k] = {"config": d, "total": sum(p.numel() for p in m.parameters())}
doc = {"transformers_version": T.__version__, "torch_version": torch.__version__, "models": out}
path = Path(__file__).resolve().parents[1] / "tests" / "data" / "hf_param_counts_synthetic.json"
path.write_text(json.dumps(doc, indent=1) + "\n")
print({k: v["total"] for k, v in out.items()})
