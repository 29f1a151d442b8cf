"""The MLX backend on the bundled GGUF converted for it, against llama.cpp on the same file.

Skips (with the reason printed by ``-ra``) only where MLX cannot be imported."""

import json
import threading
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("mlx.core", reason="MLX cannot be imported on this machine")
pytest.importorskip("mlx_lm", reason="mlx-lm is not installed (pip install '.[mlx]')")

from strongroom.errors import Cancelled, ModelError  # noqa: E402
from strongroom.model import Choice, backend_class  # noqa: E402

pytestmark = pytest.mark.model

RECEIPTS = Path("/work/shared/data/dev/receipts.jsonl")
FIXTURES = Path(__file__).parents[2] / "fixtures" / "routing.jsonl"
PROMPTS = [
    "The capital of France is",
    "Counting: one, two, three,",
    "Receipt\nTOTAL 9.00\nCASH 10.00\nSummary:",
    "Invoice no. 2024-117\nAmount due: EUR 1,250.00\nDue date:",
]
VARIED = [
    "Hello  world\n\n\tTab", "发票号码：12345 合计￥88.00", "  leading", "trailing  ",
    "émoji 😀 ok", "a\r\nb", "<bos> <start_of_turn>user", "   ", "日本語のテキスト",
    "x" * 50, "Ünïcödé ßtraße", "1,234.56 € — 12/05/2024", "\n\n\n", "\u00a0nbsp", "",
    "ALL CAPS RECEIPT\nQTY  ITEM        PRICE\n2    MILK 1L     2.58",
    "Привет, мир", "مرحبا بالعالم", "한국어 텍스트", "tab\tseparated\tvalues",
]


def _documents() -> list[str]:
    """The dev receipts where this machine has them, and the repo's routing fixtures
    (receipts, invoices, statements in several languages, Chinese among them)."""
    paths = [p for p in (RECEIPTS, FIXTURES) if p.is_file()]
    return [json.loads(line)["text"] for p in paths for line in p.open(encoding="utf-8")]


@pytest.fixture(scope="session")
def mlx_folder(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled GGUF converted once for the session."""
    from strongroom.backends.mlx_convert import converted_model

    return converted_model(model_path, tmp_path_factory.mktemp("mlx-data"))


@pytest.fixture(scope="session")
def mlx_backend(mlx_folder: Path):  # type: ignore[no-untyped-def]
    b = backend_class("mlx").load(mlx_folder, n_ctx=4096)
    yield b
    b.close()


def test_conversion_is_stamped_and_reused(mlx_folder: Path, model_path: Path):
    from strongroom.backends.mlx_convert import STAMP, converted_model

    stamp = json.loads((mlx_folder / STAMP).read_text())
    assert stamp["dtype"] == "bfloat16" and len(stamp["gguf_sha256"]) == 64
    config = json.loads((mlx_folder / "config.json").read_text())
    assert (config["num_hidden_layers"], config["hidden_size"], config["vocab_size"]) == (
        18, 640, 262144)
    before = (mlx_folder / "model.safetensors").stat().st_mtime_ns
    assert converted_model(model_path, mlx_folder.parent.parent) == mlx_folder
    assert (mlx_folder / "model.safetensors").stat().st_mtime_ns == before  # not redone


def test_norm_weights_lose_llama_cpps_plus_one(mlx_folder: Path):
    import mlx.core as mx

    weights = mx.load(str(mlx_folder / "model.safetensors"))
    # Gemma's RMSNorm multiplies by 1 + w; stored with the 1 (llama.cpp's way) the
    # scale would be off by one everywhere and the answers garbage.
    norm = np.array(weights["model.layers.0.input_layernorm.weight"].astype(mx.float32))
    assert abs(float(np.median(norm))) < 40
    assert "lm_head.weight" not in weights  # tied to the embedding, as the GGUF has it


def test_token_ids_equal_llama_cpps(backend, mlx_backend):
    texts = [*VARIED, *_documents()[:300]]
    wrong = [i for i, t in enumerate(texts) if backend.tokenize(t) != mlx_backend.tokenize(t)]
    assert not wrong, f"{len(wrong)} of {len(texts)} texts tokenize differently"


def test_greedy_generation_agrees_with_llama_cpp(backend, mlx_backend):
    agree = []
    for prompt in PROMPTS:
        a = "".join(c.text for c in backend.generate(prompt, max_tokens=20))
        b = "".join(c.text for c in mlx_backend.generate(prompt, max_tokens=20))
        ta, tb = backend.tokenize(a), backend.tokenize(b)
        n = next((i for i, (x, y) in enumerate(zip(ta, tb, strict=False)) if x != y),
                 min(len(ta), len(tb)))
        agree.append(n)
    print("greedy tokens agreeing with llama.cpp, of 20:", agree)
    # Quantization may part them late; a broken mapping parts them at once.
    assert min(agree) >= 8 and sum(agree) >= 0.75 * 20 * len(PROMPTS)


def test_hidden_states_match_llama_cpps(backend, mlx_backend):
    cosines = []
    for text in _documents()[:3]:  # ~600 tokens: MLX's CPU pass is slow (CI time)
        text = text[:1000]
        a, b = backend.hidden_states(text), mlx_backend.hidden_states(text)
        assert a.spans == b.spans
        va, vb = a.vectors, b.vectors
        cosines.append((va * vb).sum(1) / np.linalg.norm(va, axis=1) / np.linalg.norm(vb, axis=1))
    c = np.concatenate(cosines)
    print(f"hidden-state cosine over {len(c)} tokens: median {np.median(c):.4f}, "
          f"p5 {np.percentile(c, 5):.4f}, min {c.min():.4f}")
    assert np.median(c) >= 0.99 and np.percentile(c, 5) >= 0.95


def test_generate_streams_stops_and_reuses_the_cache(mlx_backend):
    prompt = "Counting: one, two, three,"
    first = list(mlx_backend.generate(prompt, max_tokens=6))
    assert first[-1].finish_reason == "length" and first[-1].generation_tokens == 6
    again = list(mlx_backend.generate(prompt, max_tokens=6))
    assert again[-1].prompt_cached >= first[-1].prompt_tokens - 2
    assert "".join(c.text for c in first) == "".join(c.text for c in again)
    lines = list(mlx_backend.generate("Line one\nLine two\nLine", max_tokens=20, stop=["\n"]))
    assert "\n" not in "".join(c.text for c in lines)


def test_cancel_stops_generation(mlx_backend):
    cancel = threading.Event()
    gen = mlx_backend.generate("Once upon a time", max_tokens=40, cancel=cancel)
    next(gen)
    cancel.set()
    with pytest.raises(Cancelled):
        list(gen)
    assert "".join(c.text for c in mlx_backend.generate("Once upon a time", max_tokens=3))


def test_score_and_choice_agree_with_llama_cpp(backend, mlx_backend):
    prefix = "Document:\nTOTAL 9.00\nCASH 10.00\nCHANGE 1.00\nType:"
    labels = [" receipt", " invoice", " lab report"]
    a, b = backend.score(prefix, labels), mlx_backend.score(prefix, labels)
    assert b == pytest.approx(mlx_backend.score(prefix, labels), abs=1e-3)  # cached prefix
    assert np.argmax(a) == np.argmax(b)
    assert b == pytest.approx(a, abs=0.5)
    options = (" receipt", " invoice", " payslip")
    text = "".join(c.text for c in mlx_backend.generate(prefix, max_tokens=8,
                                                        constraint=Choice(options)))
    assert text in options


def test_only_an_existing_local_folder_is_loaded(tmp_path: Path, model_path: Path):
    cls = backend_class("mlx")
    with pytest.raises(ModelError, match="not found"):
        cls.load(Path("mlx-community/gemma-3-270m-it-bf16"))  # a hub name is never fetched
    with pytest.raises(ModelError, match="not found"):
        cls.load(tmp_path / "missing")
    with pytest.raises(ModelError, match="not found"):
        cls.load(model_path)  # the GGUF itself is not an MLX folder
    with pytest.raises(ModelError, match="Unknown option"):
        cls.load(tmp_path, temperature=2)


def test_auto_stays_llama_cpp_off_apple_silicon():
    import platform
    import sys

    if sys.platform == "darwin" and platform.machine() == "arm64":
        pytest.skip("on Apple silicon auto picks MLX")
    assert backend_class("auto").name == "llama.cpp"
