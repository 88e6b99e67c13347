"""Static files under content-hashed names with a year's cache, compressed once at start-up.

`static_url("css/haren.css")` gives `/static/css/haren.<hash>.css`: a changed file gets a new
name, so browsers may keep every name forever (`immutable`). The plain name is still served, with
`no-cache` (revalidated by ETag), for links made before a file changed. CSS and JS are gzipped
once when the app starts rather than on every request; the CSS files reference nothing but
`data:` URLs (tests/test_static_files.py checks), so renaming them breaks no relative link.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

from portal.settings import PROJECT_ROOT

STATIC_DIR = PROJECT_ROOT / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = frozenset({".css", ".js", ".svg", ".json"})
DIGEST_LENGTH = 12
# "dir/name.<12 hex>.ext": the hash sits just before the last suffix.
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[^./\\]+)$")
# Below this a gzip header costs more than it saves.
_MINIMUM_COMPRESS_SIZE = 500


@dataclass(frozen=True)
class Asset:
    digest: str
    gzipped: bytes | None


class StaticAssets:
    """Every file under `directory`: its content hash and, for text types, its gzipped bytes."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory.resolve()
        self.assets: dict[str, Asset] = {}
        for file in sorted(p for p in self.directory.rglob("*") if p.is_file()):
            content = file.read_bytes()
            self.assets[file.relative_to(self.directory).as_posix()] = Asset(
                digest=hashlib.sha256(content).hexdigest()[:DIGEST_LENGTH],
                gzipped=_gzipped(file.suffix, content),
            )

    def url(self, path: str) -> str:
        """The hashed URL of a file under static/; a missing file fails the page loudly."""
        digest = self.assets[path].digest
        stem, dot, suffix = path.rpartition(".")
        if not dot or "/" in suffix:
            raise ValueError(f"static files need a suffix to carry a hash: {path}")
        return f"/static/{stem}.{digest}.{suffix}"

    def unhashed(self, path: str) -> str | None:
        """The file a hashed name stands for, or None when `path` carries no current hash."""
        match = _HASHED.match(path.replace(os.sep, "/"))
        if match is None:
            return None
        real = match["stem"] + match["suffix"]
        asset = self.assets.get(real)
        return real if asset is not None and asset.digest == match["digest"] else None

    def gzipped(self, full_path: PathLike) -> bytes | None:
        try:
            relative = Path(full_path).resolve().relative_to(self.directory).as_posix()
        except ValueError:
            return None
        asset = self.assets.get(relative)
        return asset.gzipped if asset else None


def _gzipped(suffix: str, content: bytes) -> bytes | None:
    if suffix not in COMPRESSIBLE or len(content) < _MINIMUM_COMPRESS_SIZE:
        return None
    # mtime=0: the same file gives the same bytes in every process.
    return gzip.compress(content, compresslevel=9, mtime=0)


@lru_cache(maxsize=4)
def static_assets(directory: Path = STATIC_DIR) -> StaticAssets:
    """Hashes and compressed copies, made once per process (restart after changing a file)."""
    return StaticAssets(directory)


class HashedStaticFiles(StaticFiles):
    """Starlette's StaticFiles that also answers hashed names, sets the cache lifetime and
    sends the gzipped copy to clients that accept it."""

    def __init__(self, assets: StaticAssets) -> None:
        super().__init__(directory=assets.directory)
        self.assets = assets

    async def get_response(self, path: str, scope: Scope) -> Response:
        real = self.assets.unhashed(path)
        response = await super().get_response(real or path, scope)
        response.headers["cache-control"] = IMMUTABLE if real else REVALIDATE
        return response

    def file_response(
        self,
        full_path: PathLike,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        compressed = self.assets.gzipped(full_path)
        if compressed is None:
            return response
        response.headers["vary"] = "Accept-Encoding"
        request = Headers(scope=scope)
        if response.status_code != 200 or "range" in request:
            return response
        if "gzip" not in request.get("accept-encoding", ""):
            return response
        headers = {
            "etag": "W/" + response.headers["etag"],  # another encoding of the same file
            "last-modified": response.headers["last-modified"],
            "content-encoding": "gzip",
            "vary": "Accept-Encoding",
        }
        return Response(compressed, headers=headers, media_type=response.media_type)
