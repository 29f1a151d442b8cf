"""The bundled GGUF as an MLX model folder: converted once, offline, checksummed.

MLX cannot read the GGUF's k-quants (``mx.load`` fails on Q4_K/Q6_K), so the
``gguf`` package dequantizes every tensor and the names are mapped onto mlx-lm's
``gemma3_text`` model. Two conventions differ from Hugging Face's checkpoint,
which mlx-lm's model follows:

- llama.cpp's converter stores Gemma's RMSNorm weights as ``1 + w`` (the model
  multiplies by ``1 + w``); mlx-lm adds the 1 itself, so it is taken off here.
- Gemma's Q/K are not permuted by llama.cpp's converter (only llama-arch models
  are), so the projections map as they are.

The tokenizer comes from the GGUF's own SentencePiece vocabulary
(``tokenizer.ggml.*``), built as a ``tokenizers`` BPE the way transformers' GGUF
converter does (merges ranked by the merged piece's score, byte fallback), with
the user-defined pieces (runs of newlines and spaces) matched before the model as
llama.cpp does. No torch, no hub: only the local file.

The folder holds ``config.json``, ``model.safetensors``, ``tokenizer.json`` and a
stamp naming the GGUF's sha256 and this converter's version; a folder whose stamp
does not match is converted again.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from strongroom.errors import ModelError
from strongroom.modelfile import file_sha256 as _sha256

FORMAT = 1  # bump when the folder's contents change meaning
FOLDER = "gemma-3-270m-mlx"
_ROWS = 8192  # tensor rows dequantized at a time
STAMP = "strongroom-converted.json"
#: Gemma 3's shape that the GGUF leaves to llama.cpp's code (llama-model.cpp).
_GEMMA3_FIXED = {"rope_local_base_freq": 10_000.0, "sliding_window_pattern": 6}

_LAYER_NAMES = {
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "attn_q_norm": "self_attn.q_norm",
    "attn_k_norm": "self_attn.k_norm",
    "attn_norm": "input_layernorm",
    "post_attention_norm": "post_attention_layernorm",
    "ffn_norm": "pre_feedforward_layernorm",
    "post_ffw_norm": "post_feedforward_layernorm",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
}


def mlx_name(gguf_name: str) -> str:
    """mlx-lm's ``gemma3_text`` parameter name for a GGUF tensor name."""
    if gguf_name == "token_embd.weight":
        return "model.embed_tokens.weight"
    if gguf_name == "output_norm.weight":
        return "model.norm.weight"
    parts = gguf_name.split(".")
    if len(parts) == 4 and parts[0] == "blk" and parts[2] in _LAYER_NAMES:
        return f"model.layers.{parts[1]}.{_LAYER_NAMES[parts[2]]}.{parts[3]}"
    raise ModelError("The model file has a tensor this converter does not know.")


def _field(reader: Any, key: str) -> Any:
    field = reader.fields.get(key)
    if field is None:
        raise ModelError("The model file lacks the metadata the converter needs.")
    return field.contents()


def config_from_gguf(reader: Any) -> dict[str, Any]:
    if _field(reader, "general.architecture") != "gemma3":
        raise ModelError("Only Gemma 3 models can be converted for MLX.")
    def g(key: str) -> Any:
        return _field(reader, "gemma3." + key)

    head_dim = int(g("attention.key_length"))
    return {
        "model_type": "gemma3_text",
        "hidden_size": int(g("embedding_length")),
        "num_hidden_layers": int(g("block_count")),
        "intermediate_size": int(g("feed_forward_length")),
        "num_attention_heads": int(g("attention.head_count")),
        "num_key_value_heads": int(g("attention.head_count_kv")),
        "head_dim": head_dim,
        "rms_norm_eps": float(g("attention.layer_norm_rms_epsilon")),
        "vocab_size": len(reader.fields["tokenizer.ggml.tokens"].data),
        "rope_theta": float(g("rope.freq_base")),
        "sliding_window": int(g("attention.sliding_window")),
        "max_position_embeddings": int(g("context_length")),
        # llama.cpp scales scores by 1/sqrt(head_dim) for Gemma 3 (no override in the file)
        "query_pre_attn_scalar": head_dim,
        "bos_token_id": int(_field(reader, "tokenizer.ggml.bos_token_id")),
        "eos_token_id": int(_field(reader, "tokenizer.ggml.eos_token_id")),
        **_GEMMA3_FIXED,
    }


def tokenizer_from_gguf(reader: Any) -> Any:
    """A ``tokenizers.Tokenizer`` equal to llama.cpp's SentencePiece-BPE on this vocab."""
    from tokenizers import AddedToken, Tokenizer, decoders, normalizers
    from tokenizers.models import BPE

    f_tok = reader.fields["tokenizer.ggml.tokens"]
    pieces = [bytes(f_tok.parts[i]).decode("utf-8") for i in f_tok.data]
    f_sc = reader.fields["tokenizer.ggml.scores"]
    scores = [float(f_sc.parts[i][0]) for i in f_sc.data]
    f_ty = reader.fields["tokenizer.ggml.token_type"]
    types = [int(f_ty.parts[i][0]) for i in f_ty.data]
    unk = int(_field(reader, "tokenizer.ggml.unknown_token_id"))
    vocab = {p: i for i, p in enumerate(pieces)}
    # Only normal pieces (type 1) take part in merges: control, user-defined and
    # byte pieces are never the result of a merge in llama.cpp's SPM tokenizer.
    merges: list[tuple[float, int, int, str, str]] = []
    for piece, i in vocab.items():
        if types[i] != 1 or len(piece) < 2:
            continue
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            li, ri = vocab.get(left), vocab.get(right)
            if li is not None and ri is not None:
                merges.append((-scores[i], li, ri, left, right))
    merges.sort()
    tok = Tokenizer(BPE(vocab=vocab, merges=[(m[3], m[4]) for m in merges],
                        unk_token=pieces[unk], fuse_unk=True, byte_fallback=True,
                        ignore_merges=False))
    tok.normalizer = normalizers.Replace(" ", "\u2581")
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(),
                                     decoders.Fuse()])
    # llama.cpp splits user-defined pieces out of the raw text first; control
    # pieces (<bos>, <start_of_turn>, ...) are never read from text (special=False),
    # so they are not added: "<bos>" in a document is plain characters.
    tok.add_tokens([AddedToken(pieces[i], normalized=False, special=False,
                               single_word=False, lstrip=False, rstrip=False)
                    for i, t in enumerate(types) if t == 4])
    return tok


def weights_from_gguf(reader: Any, dtype: str) -> dict[str, Any]:
    import mlx.core as mx
    from gguf.quants import dequantize

    out: dict[str, Any] = {}
    for t in reader.tensors:
        name = mlx_name(t.name)
        shape = [int(n) for n in reversed(t.shape)]
        # Rows in slices: dequantizing the 262k-row embedding at once peaks at ~3 GB.
        rows = []
        for start in range(0, t.data.shape[0], _ROWS):
            w = np.asarray(dequantize(t.data[start:start + _ROWS], t.tensor_type),
                           dtype=np.float32)
            if name.endswith("norm.weight"):
                w = w - 1.0  # llama.cpp stored 1 + w; mlx-lm's RMSNorm adds the 1
            rows.append(mx.array(w).astype(getattr(mx, dtype)))
            mx.eval(rows[-1])  # now, so the float32 copy goes at once
        out[name] = mx.concatenate(rows).reshape(shape if len(shape) > 1 else [-1])
        mx.eval(out[name])
    return out


def convert(gguf_path: Path, target: Path, *, dtype: str = "bfloat16",
            progress: Callable[[str], None] | None = None) -> None:
    """Write the MLX folder for ``gguf_path`` at ``target`` (replaced as a whole)."""
    import mlx.core as mx
    from gguf import GGUFReader

    say = progress or (lambda _msg: None)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True, mode=0o700)
    try:
        reader = GGUFReader(str(gguf_path))
        say("Reading the model's settings")
        config = config_from_gguf(reader)
        (partial / "config.json").write_text(json.dumps(config, indent=1))
        say("Building the tokenizer")
        tokenizer_from_gguf(reader).save(str(partial / "tokenizer.json"))
        say("Converting the weights")
        weights = weights_from_gguf(reader, dtype)
        mx.save_safetensors(str(partial / "model.safetensors"), weights)
        del weights, reader
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)


def _stamp(gguf_sha: str, dtype: str) -> dict[str, Any]:
    return {"format": FORMAT, "gguf_sha256": gguf_sha, "dtype": dtype}


def _folder_digest(folder: Path) -> dict[str, str]:
    return {name: _sha256(folder / name)
            for name in ("config.json", "tokenizer.json", "model.safetensors")}


def converted_model(gguf_path: Path, data_dir: Path, *, dtype: str = "bfloat16",
                    progress: Callable[[str], None] | None = None) -> Path:
    """The verified MLX folder for the GGUF at ``gguf_path``, converting on first use.

    The stamp names the GGUF's sha256 and each converted file's; a folder whose
    files no longer match is converted again (like ``modelfile.bundled_model``)."""
    target = data_dir / "models" / FOLDER
    stamp_path = target / STAMP
    gguf_sha = _sha256(gguf_path)
    want = _stamp(gguf_sha, dtype)
    if stamp_path.is_file():
        try:
            stamp = json.loads(stamp_path.read_text())
            if {k: stamp.get(k) for k in want} == want and stamp.get("files") == \
                    _folder_digest(target):
                return target
        except (ValueError, OSError, AttributeError):
            pass
    started = time.perf_counter()
    try:
        convert(gguf_path, target, dtype=dtype, progress=progress)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"The model could not be converted for MLX ({type(exc).__name__}).") \
            from None
    stamp = {**want, "files": _folder_digest(target),
             "seconds": round(time.perf_counter() - started, 1)}
    stamp_path.write_text(json.dumps(stamp, indent=1))
    return target
