"""The index's per-article work that does not depend on the other articles, done in the
worker (``newsdesk_index_prepare``): the text's words, its exact-duplicate hash and
MinHash signature, and its story term and name-key counts. The daemon's single index
thread then only decides (``Grouper.decide`` with ``prepared``)."""

from __future__ import annotations

from newsdesk import hookimpl
from newsdesk.article import Article

#: The key of ``article.prepared`` this plugin uses.
KEY = "index"


class IndexPrepare:
    """Registered in each worker of ``newsdesk run`` and ``newsdesk process``."""

    def __init__(self, threshold: float, num_perm: int, shingle_words: int,
                 min_words: int) -> None:
        self.settings = (threshold, num_perm, shingle_words, min_words)
        self._stop: frozenset[str] | None = None

    @hookimpl
    def newsdesk_index_prepare(self, article: Article) -> None:
        from newsdesk_plugins.index.grouping import prepare
        from newsdesk_plugins.index.stories import stop_words

        if self._stop is None:
            self._stop = stop_words()
        threshold, num_perm, shingle_words, min_words = self.settings
        article.prepared[KEY] = prepare(article.record, self._stop,
                                        (num_perm, shingle_words, min_words))
