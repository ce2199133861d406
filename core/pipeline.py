"""Running the hooks on one article: reading, then the stages in order.

Hooks are called through pluggy (wrappers and monitoring work); the shims of
:mod:`newsdesk.hookcall` make one plugin's exception in a stage an ``errors`` entry
of that plugin while the others still run.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pluggy
import structlog

from newsdesk.article import Article, Source
from newsdesk.errors import ReadError
from newsdesk.hookcall import HookError, call_isolated
from newsdesk.identity import article_id, content_id
from newsdesk.names import safe_name

log = structlog.get_logger("newsdesk.pipeline")

#: Stages that run in worker processes, in this order.
WORKER_STAGES = ("clean", "extract", "translate")
#: Stages that run in the daemon's own process, after the worker stages.
MAIN_STAGES = ("index",)
STAGES = WORKER_STAGES + MAIN_STAGES


def read(pm: pluggy.PluginManager, source: Source, data: bytes,
         digest: str | None = None) -> list[Article]:
    """Turn a file (or, with ``source.line`` set, one line of a file read by line, whose
    bytes hash to ``digest``) into articles with ``newsdesk_read``; never raises.

    A file no reader takes, or one a reader refuses, becomes one failed article.
    """
    t0 = time.perf_counter()
    file_digest = digest or content_id(data)
    articles: list[Article]
    try:
        found = pm.hook.newsdesk_read(source=source, data=data)
        if found is None:
            suffix = source.name.rpartition(".")[2] if "." in source.name else ""
            raise ReadError(
                f"unknown file type {'.' + suffix if suffix else '(no extension)'}; "
                "no reader takes it"
            )
        articles = list(found)
    except ReadError as exc:
        articles = [failed_article(source, file_digest, "read", "reader", exc)]
    except HookError as exc:  # names the reader (or wrapper) that raised
        if not isinstance(exc.error, ReadError):
            log.error("reader raised", file=safe_name(source.name), plugin=exc.plugin,
                      exc_info=exc.error)
        articles = [failed_article(source, file_digest, "read", exc.plugin, exc.error)]
    except Exception as exc:
        log.error("reader raised", file=safe_name(source.name), exc_info=True)
        articles = [failed_article(source, file_digest, "read", "reader", exc)]
    set_ids(articles, file_digest)
    elapsed = (time.perf_counter() - t0) * 1000 / max(1, len(articles))
    for article in articles:
        article.timings_ms["read"] = elapsed
    return list(articles)


def set_ids(articles: list[Article], file_digest: str) -> None:
    """Give each article its id (:func:`newsdesk.identity.article_id`): the file's
    digest, or for one of many, the digest and the article's line."""
    many = len(articles) > 1 or any(a.source.line is not None for a in articles)
    for index, article in enumerate(articles, start=1):
        line = (article.source.line or index) if many else None
        article.id = article_id(file_digest, line)


def failed_article(
    source: Source, ident: str, stage: str, plugin: str, error: BaseException | str
) -> Article:
    """Return an article that failed before its stages could run; ``ident`` is its id."""
    article = Article(id=ident, source=source, content="")
    article.fail(stage, plugin, error)
    return article


def run_stages(
    pm: pluggy.PluginManager,
    article: Article,
    stages: tuple[str, ...],
    plugin_ms: dict[str, float] | None = None,
) -> Article:
    """Call each stage's hook in ``stages`` on ``article`` through pluggy.

    A failed article passes through untouched. ``plugin_ms``, when given,
    receives the time each plugin took, keyed ``"stage:plugin"``.
    """
    bound = log.bind(article=article.id[:12], file=article.source.name)
    for stage in stages:
        if article.failed:
            break
        _, ms = _call(getattr(pm.hook, f"newsdesk_{stage}"), stage, article, plugin_ms, bound)
        # (the index stage's time includes what its plugins prepared in the worker)
        article.timings_ms[stage] = article.timings_ms.get(stage, 0.0) + ms
    return article


def prepare(pm: pluggy.PluginManager, article: Article,
            plugin_ms: dict[str, float] | None = None) -> Article:
    """Call ``newsdesk_index_prepare`` on ``article`` (in the worker, after the worker
    stages): a failed article is left alone, an implementation's error is recorded under
    the stage "index", and the time counts to the index stage's."""
    if article.failed:
        return article
    bound = log.bind(article=article.id[:12], file=article.source.name)
    ran, ms = _call(pm.hook.newsdesk_index_prepare, "index", article, plugin_ms, bound)
    if ran:
        article.timings_ms["index"] = ms
    return article


def _call(hook: Any, stage: str, article: Article, plugin_ms: dict[str, float] | None,
          bound: Any) -> tuple[bool, float]:
    """Call one hook on ``article`` through pluggy, each implementation's error recorded
    in the article under ``stage`` (a warning line; the traceback at debug level), each
    plugin's time added to ``plugin_ms`` as ``"stage:plugin"``. Returns whether any
    implementation ran and the time the call took, in ms."""
    t0 = time.perf_counter()
    _, call = call_isolated(hook, article=article)
    for failure in call.failures:
        article.add_error(stage, failure.plugin, failure.error)
        bound.warning("plugin raised", stage=stage, plugin=failure.plugin, hook=failure.hook,
                      error=f"{type(failure.error).__name__}: {failure.error}")
        bound.debug("plugin traceback", stage=stage, plugin=failure.plugin,
                    exc_info=failure.error)
    if plugin_ms is not None:
        for plugin, ms in call.ms.items():
            key = f"{stage}:{plugin}"
            plugin_ms[key] = plugin_ms.get(key, 0.0) + ms
    return bool(call.ms or call.failures), (time.perf_counter() - t0) * 1000


def with_source(article: Article, source: Source) -> Article:
    """Return ``article`` with its source replaced (used when a worker re-reads)."""
    article.source = replace(source, line=article.source.line)
    return article
