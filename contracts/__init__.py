"""The OpenAPI 3.1 contracts agentmock is built from, one per vendor, and a tiny loader.

>>> from agentmock import contracts
>>> contracts.packaged()
('elevenlabs', 'millis', 'voicy')
>>> contracts.load("voicy")["paths"]["/v1/duplicate-agent/{agent_id}"]["post"]["operationId"]
'duplicateAgent'
>>> "$ref" in str(contracts.schema("millis", "Agent"))
False

Everything downstream (the fake, the fixtures, the strategies, the check) reads the contracts
through this module, so the YAML files are the single statement of the vendors' APIs.

A contract is named by a `Source`: the name of one packaged here (`"voicy"`) or the `Path` of
any other file. This module keeps no list of vendors: which vendors exist, and where each one's
contract lives, is the registry's (`agentmock.mockserver.vendors`).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib.resources
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeAlias
from urllib.parse import urlsplit

import orjson
import yaml

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "Source",
    "Vendor",
    "base_urls",
    "canonical",
    "domain",
    "hosts",
    "load",
    "operation_path",
    "packaged",
    "path",
    "resolve",
    "resolved_paths",
    "schema",
]

Vendor: TypeAlias = str
_SUFFIX: Final = ".openapi.yaml"
Source: TypeAlias = str | Path
"""A packaged contract's name (`"millis"`) or the path of a contract file."""


# libyaml's parser, where PyYAML was built with it, reads the contracts about 9x faster.
_Loader: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Keys that only annotate a schema. A `$ref` whose siblings are all of this kind can be inlined by
# merging; any other sibling keeps JSON Schema's meaning through `allOf`.
_ANNOTATIONS: Final = frozenset(
    {"description", "title", "summary", "example", "examples", "deprecated", "default"}
)


def packaged() -> tuple[str, ...]:
    """The names of the contracts shipped in this package, sorted."""
    files = importlib.resources.files(__name__).iterdir()
    return tuple(sorted(f.name.removesuffix(_SUFFIX) for f in files if f.name.endswith(_SUFFIX)))


def path(source: Source) -> Path:
    """The file of a contract: `.../contracts/millis.openapi.yaml` for `"millis"`."""
    if isinstance(source, Path):
        return source
    found = Path(str(importlib.resources.files(__name__).joinpath(f"{source}{_SUFFIX}")))
    if not found.is_file():
        raise ValueError(
            f"agentmock: no packaged contract {source!r}; expected one of "
            f"{', '.join(packaged())}, or the path of a contract file"
        )
    return found


def load(source: Source) -> dict[str, Any]:
    """The contract `source` names, parsed once and cached. Treat it as read-only."""
    return _load(path(source))


@functools.cache
def _load(file: Path) -> dict[str, Any]:
    raw = file.read_bytes()
    document: dict[str, Any] = _disk_cached(
        "contract", raw, lambda: yaml.load(raw.decode("utf-8"), Loader=_Loader)
    )
    return document


@functools.cache
def resolved_paths(source: Source) -> dict[str, Any]:
    """The contract's `paths` with every `$ref` resolved (what the router compiles), computed
    once per contract file's content and kept in the disk cache."""
    file = path(source)
    paths: dict[str, Any] = _disk_cached(
        "paths", file.read_bytes(), lambda: resolve(load(source), load(source)["paths"])
    )
    return paths


# -- the disk cache ------------------------------------------------------------------------------
# Parsing the YAML and resolving every `$ref` is most of a fresh process's first fake (a
# consumer's first test, `agentmock serve`'s start). Both are pure functions of a contract
# file's bytes, so their results are kept as JSON under the user's cache directory, named by a
# hash of those bytes (an edited contract is a new name). A result is kept only if JSON gives
# it back equal (YAML can hold values JSON cannot, such as dates); nothing breaks without the
# cache (an unwritable folder, AGENTMOCK_CACHE_DIR=off).

_CACHE_FORMAT = "1"


def _cache_dir() -> Path | None:
    chosen = os.environ.get("AGENTMOCK_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "agentmock")


def _disk_cached(kind: str, raw: bytes, compute: Callable[[], Any]) -> Any:
    folder = _cache_dir()
    digest = hashlib.blake2b(raw, digest_size=16, person=_CACHE_FORMAT.encode()).hexdigest()
    file = folder / f"{kind}-{digest}.json" if folder is not None else None
    if file is not None:
        try:
            return orjson.loads(file.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            pass
    value = compute()
    if file is not None:
        try:
            dumped = orjson.dumps(value)
            if orjson.loads(dumped) == value:
                folder.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
                partial = file.with_suffix(f".{os.getpid()}.tmp")
                partial.write_bytes(dumped)
                partial.replace(file)  # atomic: a reader sees the whole file or none
        except (OSError, TypeError, orjson.JSONEncodeError):
            pass
    return value


def resolve(document: dict[str, Any], node: Any, *, _seen: tuple[str, ...] = ()) -> Any:
    """A copy of `node` with every local `$ref` of `document` replaced by its target.

    Annotation siblings of a `$ref` (`description`, `x-...`) are merged into the target; other
    siblings are kept beside it under `allOf`, as JSON Schema 2020-12 reads them.
    """
    if isinstance(node, list):
        return [resolve(document, item, _seen=_seen) for item in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return {key: resolve(document, value, _seen=_seen) for key, value in node.items()}
    if ref in _seen:
        raise ValueError(f"agentmock: circular $ref {' -> '.join((*_seen, ref))}")
    target = resolve(document, _pointer(document, ref), _seen=(*_seen, ref))
    siblings = {key: resolve(document, v, _seen=_seen) for key, v in node.items() if key != "$ref"}
    if all(key in _ANNOTATIONS or key.startswith("x-") for key in siblings):
        if isinstance(target, dict):
            return {**target, **siblings}
        return target
    return {"allOf": [target], **siblings}


def _pointer(document: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"agentmock: only local $refs are supported, got {ref!r}")
    node: Any = document
    for raw in ref[2:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError, TypeError):
            raise ValueError(f"agentmock: $ref {ref!r} points nowhere") from None
    return node


@functools.cache
def _schema(file: Path, name: str) -> dict[str, Any]:
    document = _load(file)
    schemas: dict[str, Any] = document["components"]["schemas"]
    if name not in schemas:
        raise KeyError(
            f"agentmock: the contract {file.name} has no schema {name!r}; "
            f"expected one of {', '.join(sorted(schemas))}"
        )
    resolved: dict[str, Any] = resolve(document, schemas[name])
    return resolved


def schema(source: Source, name: str) -> dict[str, Any]:
    """Component schema `name` of the contract with every `$ref` resolved.

    The result is a fresh copy, usable by a JSON Schema (2020-12) validator as is:

    >>> agent = schema("voicy", "Agent")
    >>> agent["properties"]["version"]["x-agentmock-duplicate"]
    {'action': 'reset', 'value': 1}
    """
    return copy.deepcopy(_schema(path(source), name))


def base_urls(source: Source) -> list[str]:
    """The base URLs of the contract's servers, first the default one."""
    return [str(server["url"]).rstrip("/") for server in load(source)["servers"]]


def hosts(source: Source) -> list[str]:
    """The API hosts of a contract: `['api-west.millis.ai', 'api-eu-west.millis.ai']`."""
    return [urlsplit(url).hostname or "" for url in base_urls(source)]


def operation_path(source: Source, operation_id: str) -> str:
    """The path template of the operation `operation_id`: `/agents/{agent_id}/duplicate`."""
    for template, item in load(source)["paths"].items():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return str(template)
    raise ValueError(f"agentmock: the contract has no operation {operation_id!r}")


def domain(source: Source) -> str:
    """The domain all of a contract's API hosts share, e.g. `millis.ai`.

    A request to another host under it (`api.millis.ai`) is a typo, never a real API call.
    """
    return ".".join(hosts(source)[0].split(".")[-2:])


def canonical(schema: Any) -> Any:
    """`schema` without its documented variants: what the fake itself sends.

    A contract accepts every form a vendor documents (an `anyOf` branch or a property marked
    `x-agentmock-variant: <which page>`), so that checking real traffic does not cry wolf; the
    fake sends one canonical form, and its strict mode checks against this narrower schema: the
    variant branches dropped, the variant properties forbidden.

    A schema with no variant is given back as it is (most are: narrowing copies every node);
    treat the result as read-only.
    """
    try:
        if b"x-agentmock-variant" not in orjson.dumps(schema):
            return schema
    except (TypeError, orjson.JSONEncodeError):
        pass
    return _narrowed(schema)


def _narrowed(schema: Any) -> Any:
    canonical = _narrowed
    if isinstance(schema, list):
        return [canonical(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    narrowed: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("anyOf", "oneOf") and isinstance(value, list):
            kept = [b for b in value if not (isinstance(b, dict) and "x-agentmock-variant" in b)]
            narrowed[key] = canonical(kept)
        elif key == "properties" and isinstance(value, dict):
            narrowed[key] = {
                name: False
                if isinstance(prop, dict) and "x-agentmock-variant" in prop
                else canonical(prop)
                for name, prop in value.items()
            }
        else:
            narrowed[key] = canonical(value)
    return narrowed
