"""The one strict JSON reader: its limits hold at their edges, on bytes and text alike,
whether or not the quick bracket count lets a body skip the walk."""

from __future__ import annotations

import pytest

from agentmock.mockserver.model.jsonio import MAX_DEPTH, MAX_NODES, JSONRefused, parse_json


def nested(depth: int) -> str:
    return '{"a":' * (depth - 1) + "[]" + "}" * (depth - 1)


@pytest.mark.parametrize("kind", [bytes, str])
def test_nesting_is_refused_one_level_past_the_limit(kind: type) -> None:
    def as_kind(text: str) -> bytes | str:
        return text.encode() if kind is bytes else text

    assert parse_json(as_kind(nested(MAX_DEPTH))) is not None
    with pytest.raises(JSONRefused, match=f"deeper than {MAX_DEPTH}"):
        parse_json(as_kind(nested(MAX_DEPTH + 1)))


def test_brackets_inside_strings_do_not_make_a_flat_body_refused() -> None:
    flat = '{"name": "' + "[{" * 200 + '"}'
    assert parse_json(flat.encode()) == {"name": "[{" * 200}


def test_more_values_than_the_limit_are_refused() -> None:
    many = b"[" + b"0," * MAX_NODES + b"0]"
    with pytest.raises(JSONRefused, match="more than 1,000,000 values"):
        parse_json(many)


def test_what_orjson_reads_past_64_bits_and_past_a_double() -> None:
    assert parse_json(b"[18446744073709551616]") == [1.8446744073709552e19]  # as JavaScript does
    with pytest.raises(JSONRefused, match="infinity"):
        parse_json(b"[1e400]")
