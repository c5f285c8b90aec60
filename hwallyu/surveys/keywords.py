"""Keywords of the free-text answers: nouns found by Kiwi (kiwipiepy), counted.

The Kiwi model ships in the ``kiwipiepy_model`` package; nothing is downloaded at run time.  The
analyser takes a few seconds to load, so one instance is kept per process.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

NOUN_TAGS = {"NNG", "NNP"}
STOPWORDS = {
    "것",
    "수",
    "등",
    "때",
    "점",
    "분",
    "좀",
    "더",
    "거",
    "곳",
    "번",
    "중",
    "안",
    "정도",
    "경우",
    "부분",
    "생각",
    "민원",
    "감사",
    "말씀",
    "이번",
    "여기",
    "저",
    "제",
    "우리",
}
_lock = threading.Lock()
_kiwi: Any = None


def _analyser() -> Any:
    global _kiwi
    with _lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            _kiwi = Kiwi()
        return _kiwi


def nouns(texts: list[str]) -> list[set[str]]:
    """The nouns (two characters or more, not stop words) of each text, in one pass of the analyser."""
    if not texts:
        return []
    return [
        {t.form for t in tokens if t.tag in NOUN_TAGS and len(t.form) >= 2 and t.form not in STOPWORDS}
        for tokens in _analyser().tokenize(texts)
    ]


def keywords(texts: Iterable[str], *, top: int | None = 30) -> list[tuple[str, int]]:
    """The ``top`` nouns (two characters or more, not stop words) and how many texts used them
    (``top=None``: every noun; the counts of two sets of texts add up)."""
    items = [t for t in texts if t and t.strip()]
    counts: Counter[str] = Counter()
    for found in nouns(items):
        counts.update(found)
    return counts.most_common(top)
