from datetime import UTC, datetime

import pytest

from forum.core.errors import InvalidInput
from forum.core.pagination import decode_cursor, encode_cursor


def test_cursor_round_trip() -> None:
    moment = datetime(2026, 11, 27, 21, 0, 0, 123456, tzinfo=UTC)
    assert decode_cursor(encode_cursor(moment, 42), datetime, int) == (moment, 42)


@pytest.mark.parametrize("cursor", ["", "!!!", encode_cursor("x", 1), encode_cursor(1), encode_cursor(True, 2)])
def test_bad_cursors_are_invalid_input(cursor: str) -> None:
    with pytest.raises(InvalidInput):
        decode_cursor(cursor, datetime, int)
