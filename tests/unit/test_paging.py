"""Cursor pagination (`mockserver.paging`), on its own: no vendor involved."""

from __future__ import annotations

from typing import Any

import pytest

from agentmock.mockserver.model.paging import InvalidCursor, page

ITEMS = [{"id": f"a{n}", "at": n % 4, "name": f"N{n}"} for n in range(10)]


def walk(items: list[dict[str, Any]], size: int, **options: Any) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        served, cursor = page(items, id_key="id", size=size, cursor=cursor, **options)
        seen += [item["id"] for item in served]
        if cursor is None:
            return seen


@pytest.mark.parametrize("size", [1, 3, 4, 10, 11])
@pytest.mark.parametrize("descending", [False, True])
def test_walking_the_pages_serves_every_item_once_in_order(size: int, descending: bool) -> None:
    def key(item: dict[str, Any]) -> Any:
        return item["at"]

    everything = sorted(ITEMS, key=lambda i: (i["at"], i["id"]), reverse=descending)
    seen = walk(ITEMS, size, sort_key=key, descending=descending)
    assert seen == [i["id"] for i in everything]  # ties broken by id, never repeated


def test_a_cursor_survives_inserts_and_deletes_before_it() -> None:
    items = list(ITEMS)
    first, cursor = page(items, sort_key=lambda i: i["name"], id_key="id", size=3)
    assert [i["id"] for i in first] == ["a0", "a1", "a2"]
    del items[0]  # an item already served goes away
    items.append({"id": "a00", "at": 0, "name": "N00"})  # one sorting before the cursor arrives
    second, _ = page(items, sort_key=lambda i: i["name"], id_key="id", size=3, cursor=cursor)
    assert [i["id"] for i in second] == ["a3", "a4", "a5"]  # neither repeated nor skipped


def test_the_last_page_has_no_cursor_and_an_empty_list_is_one_page() -> None:
    assert page([], sort_key=lambda i: i["at"], id_key="id", size=5) == ([], None)
    served, cursor = page(ITEMS, sort_key=lambda i: i["at"], id_key="id", size=10)
    assert (len(served), cursor) == (10, None)


@pytest.mark.parametrize("cursor", ["garbage!", "W10", "bm90IGpzb24", "WzEsMiwzXQ"])
def test_a_cursor_it_did_not_hand_out_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        page(ITEMS, sort_key=lambda i: i["at"], id_key="id", size=2, cursor=cursor)
