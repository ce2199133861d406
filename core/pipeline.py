"""Running the hooks on one article: reading, then the stages in order.

Each implementation of a stage is called on its own, so that one plugin's
exception becomes an ``errors`` entry of that plugin and the others still run.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pluggy
import structlog

from newsdesk.article import Article, Source, content_id
from newsdesk.errors import ReadError

log = structlog.get_logger("newsdesk.pipeline")

#: Stages that run in worker processes, in this order.
WORKER_STAGES = ("clean", "extract", "translate")
#: Stages that run in the daemon's own process, after the worker stages.
MAIN_STAGES = ("index",)
STAGES = WORKER_STAGES + MAIN_STAGES


def read(pm: pluggy.PluginManager, source: Source, data: bytes) -> list[Article]:
    """Turn a file into articles with ``newsdesk_read``; never raises.

    A file no reader takes, or one a reader refuses, becomes one failed article.
    """
    t0 = time.perf_counter()
    plugin = "reader"  # names no plugin: the one an error came from, once one runs
    arguments = {"source": source, "data": data}
    try:
        # First result wins, as pluggy would call the hook, but one implementation at a
        # time (as the stages are) so that an error names the reader that raised it.
        articles = None
        for impl in reversed(pm.hook.newsdesk_read.get_hookimpls()):
            plugin = impl.plugin_name
            articles = impl.function(**{name: arguments[name] for name in impl.argnames})
            if articles is not None:
                break
        if articles is None:
            plugin = "reader"
            suffix = source.name.rpartition(".")[2] if "." in source.name else ""
            raise ReadError(
                f"unknown file type {'.' + suffix if suffix else '(no extension)'}; "
                "no reader takes it"
            )
    except ReadError as exc:
        articles = [failed_article(source, data, "read", plugin, exc)]
    except Exception as exc:
        log.error("reader raised", file=source.name, plugin=plugin, exc_info=True)
        articles = [failed_article(source, data, "read", plugin, exc)]
    elapsed = (time.perf_counter() - t0) * 1000 / max(1, len(articles))
    for article in articles:
        article.timings_ms["read"] = elapsed
    return list(articles)


def failed_article(
    source: Source, data: bytes, stage: str, plugin: str, error: BaseException | str
) -> Article:
    """Return an article that failed before its stages could run."""
    article = Article(id=content_id(data), source=source, content="")
    article.fail(stage, plugin, error)
    return article


def run_stages(
    pm: pluggy.PluginManager,
    article: Article,
    stages: tuple[str, ...],
    plugin_ms: dict[str, float] | None = None,
) -> Article:
    """Call every implementation of each stage in ``stages`` on ``article``.

    A failed article passes through untouched. ``plugin_ms``, when given,
    receives the time each plugin took, keyed ``"stage:plugin"``.
    """
    bound = log.bind(article=article.id[:12], file=article.source.name)
    for stage in stages:
        if article.failed:
            break
        hook = getattr(pm.hook, f"newsdesk_{stage}")
        t0 = time.perf_counter()
        # pluggy calls implementations last-registered first; so do we.
        for impl in reversed(hook.get_hookimpls()):
            p0 = time.perf_counter()
            try:
                impl.function(**{name: article for name in impl.argnames})
            except Exception as exc:
                article.add_error(stage, impl.plugin_name, exc)
                bound.warning("plugin raised", stage=stage, plugin=impl.plugin_name,
                              error=f"{type(exc).__name__}: {exc}")
                bound.debug("plugin traceback", stage=stage, plugin=impl.plugin_name,
                            exc_info=True)
            if plugin_ms is not None:
                key = f"{stage}:{impl.plugin_name}"
                plugin_ms[key] = plugin_ms.get(key, 0.0) + (time.perf_counter() - p0) * 1000
        article.timings_ms[stage] = (time.perf_counter() - t0) * 1000
    return article


def with_source(article: Article, source: Source) -> Article:
    """Return ``article`` with its source replaced (used when a worker re-reads)."""
    article.source = replace(source, line=article.source.line)
    return article
