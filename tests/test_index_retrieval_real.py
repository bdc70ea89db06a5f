"""Retrieval smoke tests on the real index (real e5 model, four sample documents).

Queries are written from the documents but worded differently: compounds split
("budget för drift" for "Driftbudget"), paraphrases and English. Each must bring a
chunk from the expected document overlapping the expected lines into the top 5 of a
simple dense + keyword reciprocal-rank fusion (the production fusion lives in
assistant/evidence/retrieve.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build import IndexReader, open_index
from index.embed import SentenceTransformerEmbedder
from index.ingest import IndexTarget, ingest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "models" / "multilingual-e5-small"
DOCUMENTS = ROOT / "corpus" / "documents"
MARK, KOMPASS, KRAMFORS, ENKOPING = (
    "000_965797b1dd14ccdb.txt",
    "001_044694e4ac685f9b.txt",
    "002_1a38c4bd8c4b403d.txt",
    "003_034fdc850437dc3c.txt",
)
TOP = 5


@pytest.fixture(scope="module")
def reader(request) -> IndexReader:
    if not (MODEL_DIR / "modules.json").is_file():
        pytest.skip(f"model not built at {MODEL_DIR}; run `make model`")
    embedder = SentenceTransformerEmbedder(MODEL_DIR)
    # Cached across runs; ingest is a no-op while corpus, model and chunker match.
    index_dir = Path(request.config.cache.mkdir("plansvar-e5-index")) / "index"
    ingest([DOCUMENTS], IndexTarget(index_dir, embedder), progress=False)
    with open_index(index_dir, embedder) as r:
        yield r


def hybrid(reader: IndexReader, query: str, k: int = TOP) -> list[str]:
    """Reciprocal-rank fusion of dense and keyword results (k=60)."""
    scores: dict[str, float] = {}
    for ranking in (reader.dense(query, 30), reader.keyword(query, 30)):
        for rank, (cid, _) in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (60 + rank)
    return sorted(scores, key=scores.__getitem__, reverse=True)[:k]


def _found(
    reader: IndexReader, ids: list[str], doc: str, lines: tuple[int, int]
) -> bool:
    return any(
        c.doc == doc and c.line_start <= lines[1] and c.line_end >= lines[0]
        for c in reader.store.chunks(ids)
    )


SWEDISH = [
    ("budget för drift 2024", MARK, (439, 451)),
    ("Vilka styrkor finns inom samhällsutveckling?", KOMPASS, (177, 180)),
    (
        "Hur många tillsvidareanställda har kommunledningsförvaltningen?",
        KRAMFORS,
        (267, 286),
    ),
    ("Hur mycket har sjukfrånvaron förändrats i Kramfors?", KRAMFORS, (288, 292)),
    ("prognos för helåret personalkostnader", ENKOPING, (292, 304)),
    ("Hur ska personalomsättningen minska?", MARK, (383, 387)),
    ("digitaliseringsplanens budgetbehov", MARK, (673, 692)),
    ("Vad kostar en arbetsplats i lokalerna?", MARK, (599, 603)),
    ("ram för investeringar och exploatering", MARK, (485, 497)),
    ("detaljbudget per avdelning", KRAMFORS, (318, 336)),
    ("redovisning av driften per verksamhet", ENKOPING, (306, 313)),
    ("Kommunkompassen poäng totalt 2024 jämfört med 2022", KOMPASS, (70, 83)),
    ("Vad är visionen för Marks kommun?", MARK, (63, 90)),
    ("Hur går det med målen för verksamheten i Enköping?", ENKOPING, (125, 179)),
]
ENGLISH = [
    ("What is the total score for Mark in Kommunkompassen 2024?", KOMPASS, (74, 83)),
    ("What is the investment budget for 2025 in Kramfors?", KRAMFORS, (338, 364)),
    ("What is the vision of Mark municipality?", MARK, (63, 90)),
    ("operating budget net cost 2024", MARK, (439, 451)),
    ("What is the sick leave in Enköping?", ENKOPING, (231, 247)),
]


@pytest.mark.parametrize(("query", "doc", "lines"), SWEDISH + ENGLISH)
def test_hybrid_finds_expected_passage(reader, query, doc, lines):
    ids = hybrid(reader, query)
    assert _found(reader, ids, doc, lines), [
        (c.doc, c.line_start, c.line_end) for c in reader.store.chunks(ids)
    ]


@pytest.mark.parametrize(
    ("query", "doc", "lines"),
    [
        ("Hur mycket pengar har kommunstyrelsen för driften 2024?", MARK, (439, 451)),
        (
            "Vad tycker utvärderarna är bra med samhällsutvecklingen?",
            KOMPASS,
            (140, 180),
        ),
        ("What is the vision of Mark municipality?", MARK, (63, 90)),
    ],
)
def test_dense_alone_finds_paraphrases(reader, query, doc, lines):
    ids = [cid for cid, _ in reader.dense(query, TOP)]
    assert _found(reader, ids, doc, lines)


def test_dense_filter_by_municipality(reader):
    hits = reader.dense("budget", 10, {"municipality": "Kramfors kommun"})
    assert len(hits) == 10
    assert {c.doc for c in reader.store.chunks([cid for cid, _ in hits])} == {KRAMFORS}


def test_keyword_alone_finds_split_compounds(reader):
    ids = [cid for cid, _ in reader.keyword("budget för drift", TOP)]
    assert _found(reader, ids, MARK, (439, 451))
    ids = [cid for cid, _ in reader.keyword("sjuk frånvaro Enköping", TOP)]
    assert _found(reader, ids, ENKOPING, (231, 247))
