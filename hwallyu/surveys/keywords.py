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


def keywords(texts: Iterable[str], *, top: int = 30) -> list[tuple[str, int]]:
    """The ``top`` nouns (two characters or more, not stop words) and how many texts used them."""
    items = [t for t in texts if t and t.strip()]
    if not items:
        return []
    kiwi = _analyser()
    counts: Counter[str] = Counter()
    for tokens in kiwi.tokenize(items):
        nouns = {t.form for t in tokens if t.tag in NOUN_TAGS and len(t.form) >= 2 and t.form not in STOPWORDS}
        counts.update(nouns)
    return counts.most_common(top)
