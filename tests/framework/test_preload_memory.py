"""What each built-in plugin's preload module loads in the workers' fork server, so that
the workers share it instead of each loading its own on its first articles."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stderr == ""
    return out.stdout.split()


def test_the_translate_preload_loads_the_identifier_and_pycountrys_languages() -> None:
    code = ("import sys\n"
            "import newsdesk_plugins.translate.preload\n"
            "from newsdesk_plugins.translate.langid import shared_model\n"
            "import pycountry\n"
            "print(shared_model.cache_info().currsize,\n"
            "      pycountry.languages._is_loaded)\n")
    assert _run(code) == ["1", "True"]


def test_every_translate_identifier_in_a_process_shares_one_fasttext_model() -> None:
    from newsdesk_plugins.translate.langid import FastText, shared_model

    first, second = FastText(["en", "de"]), FastText(["pl"])
    assert first._model is second._model is shared_model()
    assert first.classify("Das ist ein Satz auf Deutsch, ganz sicher.")[0] == "de"


def test_the_clean_preload_builds_the_line_features_tables() -> None:
    code = ("import newsdesk_plugins.clean.preload\n"
            "from newsdesk_plugins.clean.features import _month_names, _stopword_langs\n"
            "print(_month_names.cache_info().currsize, _stopword_langs.cache_info().currsize)\n")
    assert _run(code) == ["1", "1"]


def test_the_index_preload_imports_what_a_signature_needs() -> None:
    from newsdesk_plugins.index import newsdesk_worker_preload

    modules = list(newsdesk_worker_preload())
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "before = set(sys.modules)\n"
            "from newsdesk_plugins.index.duplicates import signature\n"
            "signature(' '.join(f'w{i}' for i in range(40)), 128, 3, 30)\n"
            "print(sorted(m for m in set(sys.modules) - before if m.startswith('numpy')) or 'none')\n")
    assert _run(code) == ["none"]
