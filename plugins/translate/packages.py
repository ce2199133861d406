"""Argos Translate language packages: .argosmodel files (a zip of metadata.json, a
CTranslate2 model folder ``model/`` and ``sentencepiece.model``), installed from
argostranslate's package index or from a local file, read without argostranslate
itself (which would pull in stanza and torch)."""

from __future__ import annotations

import json
import shutil
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

#: argostranslate's public package index.
DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"


class PackageError(Exception):
    """A package that cannot be found, fetched or installed; the message is one line."""


@dataclass(frozen=True)
class Package:
    """An installed language package."""

    path: Path
    from_code: str
    to_code: str
    version: str
    meta: dict[str, Any]

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"


def _read_meta(folder: Path) -> Package | None:
    meta_file = folder / "metadata.json"
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("type", "translate") != "translate":
        return None
    src, tgt = meta.get("from_code"), meta.get("to_code")
    if not (isinstance(src, str) and isinstance(tgt, str)):
        return None
    if not (folder / "model").is_dir() or not (folder / "sentencepiece.model").is_file():
        return None
    return Package(folder, src, tgt, str(meta.get("package_version", "0")), meta)


def installed(folder: Path) -> list[Package]:
    """The packages installed in ``folder``, one per pair (the newest version)."""
    best: dict[str, Package] = {}
    if folder.is_dir():
        for sub in sorted(folder.iterdir()):
            pkg = _read_meta(sub) if sub.is_dir() else None
            if pkg is not None and (pkg.pair not in best or _vkey(pkg.version) > _vkey(best[pkg.pair].version)):
                best[pkg.pair] = pkg
    return sorted(best.values(), key=lambda p: p.pair)


def _vkey(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def install_file(archive: Path, folder: Path) -> Package:
    """Install an .argosmodel file into ``folder`` (replacing the same pair's package)."""
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PackageError(f"{archive}: not an .argosmodel package (not a zip file: {exc})") from None
    with zf, tempfile.TemporaryDirectory(dir=_ensure(folder)) as tmp:
        for name in zf.namelist():
            parts = PurePosixPath(name).parts
            if PurePosixPath(name).is_absolute() or ".." in parts:
                raise PackageError(f"{archive}: unsafe path in package: {name}")
        zf.extractall(tmp)
        metas = list(Path(tmp).glob("metadata.json")) + list(Path(tmp).glob("*/metadata.json"))
        if not metas:
            raise PackageError(f"{archive}: no metadata.json in package")
        root = metas[0].parent
        pkg = _read_meta(root)
        if pkg is None:
            raise PackageError(f"{archive}: not a translation package (needs metadata.json with "
                               "from_code and to_code, model/ and sentencepiece.model)")
        target = folder / f"translate-{pkg.from_code}_{pkg.to_code}-{pkg.version.replace('.', '_')}"
        for old in installed(folder):
            if old.pair == pkg.pair:
                shutil.rmtree(old.path)
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(root), str(target))
    result = _read_meta(target)
    assert result is not None
    return result


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def fetch_index(url: str, timeout_s: float) -> list[dict[str, Any]]:
    """Read argostranslate's package index (a JSON list of packages)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as resp:  # noqa: S310 - configured URL
            data = json.loads(resp.read())
    except (OSError, ValueError) as exc:
        raise PackageError(f"cannot read the package index {url}: {exc}") from None
    if not isinstance(data, list):
        raise PackageError(f"the package index {url} is not a list of packages")
    return [entry for entry in data if isinstance(entry, dict)]


def install_from_index(src: str, tgt: str, folder: Path, index_url: str, timeout_s: float) -> Package:
    """Download the ``src``→``tgt`` package named in the index and install it."""
    entries = [e for e in fetch_index(index_url, timeout_s)
               if e.get("from_code") == src and e.get("to_code") == tgt and e.get("type", "translate") == "translate"]
    if not entries:
        raise PackageError(f"the package index has no {src}->{tgt} package")
    entry = max(entries, key=lambda e: _vkey(str(e.get("package_version", "0"))))
    links = [link for link in entry.get("links", []) if isinstance(link, str)]
    if not links:
        raise PackageError(f"the package index lists no download link for {src}->{tgt}")
    with tempfile.TemporaryDirectory(dir=_ensure(folder)) as tmp:
        dest = Path(tmp) / "package.argosmodel"
        errors = []
        for link in links:
            try:
                with urllib.request.urlopen(link, timeout=timeout_s) as resp, dest.open("wb") as out:  # noqa: S310
                    shutil.copyfileobj(resp, out)
                break
            except OSError as exc:
                errors.append(f"{link}: {exc}")
        else:
            raise PackageError(f"could not download the {src}->{tgt} package: {'; '.join(errors)}")
        return install_file(dest, folder)
