"""The OpenAPI 3.1 contracts agentmock is built from, one per vendor, and a tiny loader.

>>> from agentmock import contracts
>>> contracts.VENDORS
('elevenlabs', 'millis', 'voicy')
>>> contracts.load("voicy")["paths"]["/v1/duplicate-agent/{agent_id}"]["post"]["operationId"]
'duplicateAgent'
>>> "$ref" in str(contracts.schema("millis", "Agent"))
False

Everything downstream (the fake, the fixtures, the strategies, the check) reads the contracts
through this module, so the YAML files are the single statement of the vendors' APIs.
"""

from __future__ import annotations

import copy
import functools
import importlib.resources
from pathlib import Path
from typing import Any, Final, TypeAlias
from urllib.parse import urlsplit

import yaml

__all__ = [
    "VENDORS",
    "Vendor",
    "base_urls",
    "canonical",
    "domain",
    "hosts",
    "load",
    "path",
    "register",
    "resolve",
    "schema",
    "unregister",
]

Vendor: TypeAlias = str
_SUFFIX: Final = ".openapi.yaml"
_PACKAGED: Final[tuple[str, ...]] = tuple(
    sorted(
        entry.name.removesuffix(_SUFFIX)
        for entry in importlib.resources.files(__name__).iterdir()
        if entry.name.endswith(_SUFFIX)
    )
)
_REGISTERED: dict[str, Path] = {}
VENDORS: tuple[Vendor, ...] = _PACKAGED
"""Every vendor with a contract: one `<vendor>.openapi.yaml` in this package per vendor, plus
any added at run time with `register`."""

# libyaml's parser, where PyYAML was built with it, reads the contracts about 9x faster.
_Loader: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Keys that only annotate a schema. A `$ref` whose siblings are all of this kind can be inlined by
# merging; any other sibling keeps JSON Schema's meaning through `allOf`.
_ANNOTATIONS: Final = frozenset(
    {"description", "title", "summary", "example", "examples", "deprecated", "default"}
)


def _check_vendor(vendor: str) -> Vendor:
    if vendor not in VENDORS:
        raise ValueError(f"agentmock: unknown vendor {vendor!r}; expected one of {VENDORS}")
    return vendor


def path(vendor: str) -> Path:
    """The file of `vendor`'s contract, e.g. `.../contracts/millis.openapi.yaml`."""
    name = _check_vendor(vendor)
    if name in _REGISTERED:
        return _REGISTERED[name]
    return Path(str(importlib.resources.files(__name__).joinpath(f"{name}{_SUFFIX}")))


def register(vendor: str, contract: Path | None) -> None:
    """Add `vendor` (its contract at `contract`; None: a packaged one) to `VENDORS`."""
    global VENDORS
    if contract is not None:
        _REGISTERED[vendor] = Path(contract)
    if vendor not in VENDORS:
        VENDORS = (*VENDORS, vendor)
    _clear_caches()


def unregister(vendor: str) -> None:
    """Remove a vendor `register` added."""
    global VENDORS
    _REGISTERED.pop(vendor, None)
    VENDORS = tuple(v for v in VENDORS if v != vendor or v in _PACKAGED)
    _clear_caches()


def _clear_caches() -> None:
    load.cache_clear()
    _schema.cache_clear()


@functools.cache
def load(vendor: str) -> dict[str, Any]:
    """`vendor`'s contract, parsed once and cached. Treat it as read-only."""
    with path(vendor).open(encoding="utf-8") as fh:
        document: dict[str, Any] = yaml.load(fh, Loader=_Loader)
    return document


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
def _schema(vendor: str, name: str) -> dict[str, Any]:
    document = load(vendor)
    schemas: dict[str, Any] = document["components"]["schemas"]
    if name not in schemas:
        raise KeyError(
            f"agentmock: the {vendor} contract has no schema {name!r}; "
            f"expected one of {', '.join(sorted(schemas))}"
        )
    resolved: dict[str, Any] = resolve(document, schemas[name])
    return resolved


def schema(vendor: str, name: str) -> dict[str, Any]:
    """Component schema `name` of `vendor`'s contract with every `$ref` resolved.

    The result is a fresh copy, usable by a JSON Schema (2020-12) validator as is:

    >>> agent = schema("voicy", "Agent")
    >>> agent["properties"]["version"]["x-agentmock-duplicate"]
    {'action': 'reset', 'value': 1}
    """
    return copy.deepcopy(_schema(_check_vendor(vendor), name))


def base_urls(vendor: str) -> list[str]:
    """The base URLs of `vendor`'s contract servers, first the default one."""
    return [str(server["url"]).rstrip("/") for server in load(_check_vendor(vendor))["servers"]]


def hosts(vendor: str) -> list[str]:
    """The API hosts of `vendor`: `['api-west.millis.ai', 'api-eu-west.millis.ai']`."""
    return [urlsplit(url).hostname or "" for url in base_urls(vendor)]


def domain(vendor: str) -> str:
    """The domain all of `vendor`'s API hosts share, e.g. `millis.ai`.

    A request to another host under it (`api.millis.ai`) is a typo, never a real API call.
    """
    return ".".join(hosts(vendor)[0].split(".")[-2:])


def canonical(schema: Any) -> Any:
    """`schema` without its documented variants: what the fake itself sends.

    A contract accepts every form a vendor documents (an `anyOf` branch or a property marked
    `x-agentmock-variant: <which page>`), so that checking real traffic does not cry wolf; the
    fake sends one canonical form, and its strict mode checks against this narrower schema: the
    variant branches dropped, the variant properties forbidden.
    """
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
