"""Argos end to end on a tiny model the test builds offline: install from an .argosmodel
file, list, translate in one batch, cache. Output quality is not judged (random weights)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsdesk.cli import main
from newsdesk_plugins.translate.engines.argos import Argos, sentences
from newsdesk_plugins.translate.packages import PackageError, install_file, installed
from newsdesk_plugins.translate.stage import Translator

from .conftest import translate
from .tiny_argos import build_package

ES = "El gato come pescado en la casa. La casa es grande y blanca."
ES_2 = "Hola mundo, buenos días.\nUno dos tres cuatro cinco."


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("argos") / "translate-es_en-1_0.argosmodel")


def test_install_and_list_through_the_cli(package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`newsdesk translate install --file` installs the package under the state folder and
    `newsdesk translate list` shows its pair."""
    assert main(["translate", "install", "--file", str(package), "--workdir", str(tmp_path)]) == 0
    assert "installed argos es-en (package version 1.0)" in capsys.readouterr().out
    (pkg,) = installed(tmp_path / "state" / "argos-packages")
    assert (pkg.pair, pkg.version) == ("es-en", "1.0")
    assert main(["translate", "list", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert any(line.split()[:2] == ["es-en", "argos"] for line in out.splitlines())


def test_install_refuses_a_file_that_is_not_a_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that is not a zip, or a zip without metadata, gets one clear line and exit 1."""
    bad = tmp_path / "bad.argosmodel"
    bad.write_text("not a zip")
    assert main(["translate", "install", "--file", str(bad), "--workdir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "bad.argosmodel: not an .argosmodel package" in err and "Traceback" not in err
    empty = tmp_path / "empty.argosmodel"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(PackageError, match="no metadata.json"):
        install_file(empty, tmp_path / "pkgs")


def test_install_needs_a_pair_or_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`translate install` with one language code is a usage error, not a download."""
    assert main(["translate", "install", "ru", "--workdir", str(tmp_path)]) == 2
    assert "needs FROM TO" in capsys.readouterr().err


def test_install_from_an_unreachable_index_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An index that cannot be read is one line naming it (a local closed port: no network)."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text(
        '[translate]\nargos_index = "http://127.0.0.1:9/index.json"\ndownload_timeout_s = 2.0\n')
    assert main(["translate", "install", "ru", "en", "--workdir", str(tmp_path)]) == 1
    assert "cannot read the package index http://127.0.0.1:9/index.json" in capsys.readouterr().err


def test_the_tiny_model_translates_in_one_batch_and_caches(
        package: Path, tmp_path: Path, translator: Callable[..., Translator]) -> None:
    """Every sentence of an article's Spanish passages is one CTranslate2 call; the result
    keeps the line structure; reprocessing calls the model no more."""
    folder = tmp_path / "pkgs"
    install_file(package, folder)
    engine = Argos(folder, beam_size=1)
    assert engine.supports("es", "en") and not engine.supports("en", "es")
    assert engine.version("es", "en").endswith(":1.0")
    calls: list[int] = []
    model, sp = engine._load(engine.packages()["es-en"])

    class Counting:
        def translate_batch(self, batch: list[list[str]], **kw: Any) -> Any:
            calls.append(len(batch))
            return model.translate_batch(batch, **kw)

    engine._loaded["es-en"] = (Counting(), sp)
    art = translate(translator(engine), f"{ES}\n\nThe weather was fine all week.\n\n{ES_2}")
    assert calls == [4]  # two sentences, then two lines of one sentence each
    es1, _, es2 = art.record["segments"]
    assert es1["engine"] == "argos" and isinstance(es1["translation"], str)
    assert es2["translation"].count("\n") == 1
    assert art.record["translation"]["engines"] == ["argos"]
    again = translate(translator(engine), f"{ES}\n\nThe weather was fine all week.\n\n{ES_2}")
    assert calls == [4]
    assert again.record["translation"] == art.record["translation"]


def test_a_broken_package_is_an_engine_error(package: Path, tmp_path: Path,
                                             translator: Callable[..., Translator]) -> None:
    """A package whose model files are damaged leaves the passage untranslated with the reason."""
    folder = tmp_path / "pkgs"
    pkg = install_file(package, folder)
    (pkg.path / "model" / "model.bin").write_bytes(b"garbage")
    art = translate(translator(Argos(folder)), ES)
    assert art.record["segments"][0]["translation"] is None
    assert "does not load" in art.errors[0]["message"]


def test_a_hung_or_failing_model_leaves_the_passage(package: Path, tmp_path: Path,
                                                    translator: Callable[..., Translator]) -> None:
    """A CTranslate2 call past argos_timeout_s, or one that raises, keeps the passage
    untranslated with the reason in errors; after a time-out the model loads afresh."""
    import time

    folder = tmp_path / "pkgs"
    install_file(package, folder)
    engine = Argos(folder, timeout_s=0.3)
    model, sp = engine._load(engine.packages()["es-en"])

    class Slow:
        def translate_batch(self, batch: list[list[str]], **kw: Any) -> Any:
            time.sleep(2)
            return model.translate_batch(batch, **kw)

    class Raising:
        def translate_batch(self, batch: list[list[str]], **kw: Any) -> Any:
            raise RuntimeError("out of memory")

    engine._loaded["es-en"] = (Slow(), sp)
    art = translate(translator(engine, cache=False), ES)
    assert art.record["segments"][0]["translation"] is None
    assert "argos es-en did not answer within 0.3 s" in art.errors[0]["message"]
    assert "es-en" not in engine._loaded
    engine._loaded["es-en"] = (Raising(), sp)
    art = translate(translator(engine, cache=False), ES)
    assert "argos es-en failed: out of memory" in art.errors[0]["message"]
    del engine._loaded["es-en"]
    art = translate(translator(engine, cache=False), ES)
    assert art.record["segments"][0]["engine"] == "argos" and art.status == "ok"


def test_a_newer_package_replaces_the_older(tmp_path: Path) -> None:
    """Installing a newer version of a pair replaces the installed one."""
    folder = tmp_path / "pkgs"
    install_file(build_package(tmp_path / "a.argosmodel", version="1.0"), folder)
    install_file(build_package(tmp_path / "b.argosmodel", version="1.1"), folder)
    assert [(p.pair, p.version) for p in installed(folder)] == [("es-en", "1.1")]
    assert len(list(folder.iterdir())) == 1


def test_a_package_installed_while_running_is_used_and_a_replaced_one_reloads(
        package: Path, tmp_path: Path) -> None:
    """An engine made before any package was installed takes one installed later at its next
    passage; replacing the pair's package with a newer version drops the loaded model."""
    folder = tmp_path / "pkgs"
    engine = Argos(folder, beam_size=1)
    assert not engine.supports("es", "en")
    install_file(package, folder)
    assert engine.supports("es", "en")
    assert len(engine.translate([ES], "es", "en")) == 1
    assert "es-en" in engine._loaded
    install_file(build_package(tmp_path / "newer.argosmodel", version="1.1"), folder)
    assert engine.version("es", "en").endswith(":1.1")
    assert "es-en" not in engine._loaded


def test_sentences_are_split_at_their_ends() -> None:
    """Argos models get sentences: a line is cut after . ! ? followed by a space."""
    assert sentences("Uno. ¿Dos? «Tres.» Cuatro") == ["Uno.", "¿Dos?", "«Tres.»", "Cuatro"]
