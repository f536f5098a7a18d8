"""Reading the PHP-serialised values bbPress keeps in post meta (``_bbp_sticky_topics``:
``a:2:{i:0;i:12;i:1;i:40;}``; ``_bbp_revision_log``: revision id to author and reason).

Only data comes back: arrays (as dicts), integers, floats, strings, booleans and null. PHP
objects (``O:``, ``C:``) and references are refused, never instantiated, and so is anything
malformed: the value is an operator's export, but not to be trusted.
"""

from typing import Any


class NotSerialized(ValueError):
    """The text is not a PHP-serialised value this reader takes."""


def php_unserialize(text: str) -> Any:
    """The value ``text`` holds; raises :class:`NotSerialized`. String lengths count bytes
    (UTF-8), as PHP's do."""
    data = text.encode()
    value, end = _value(data, 0, depth=0)
    if end != len(data):
        raise NotSerialized(f"unexpected text after the value at byte {end}")
    return value


_MAX_DEPTH = 32


def _expect(data: bytes, at: int, token: bytes) -> int:
    if data[at : at + len(token)] != token:
        raise NotSerialized(f"expected {token.decode()!r} at byte {at}")
    return at + len(token)


def _until(data: bytes, at: int, stop: bytes) -> tuple[bytes, int]:
    end = data.find(stop, at)
    if end < 0:
        raise NotSerialized(f"no {stop.decode()!r} after byte {at}")
    return data[at:end], end + 1


def _integer(raw: bytes, at: int) -> int:
    try:
        return int(raw)
    except ValueError:
        raise NotSerialized(f"not a number at byte {at}: {raw!r}") from None


def _value(data: bytes, at: int, *, depth: int) -> tuple[Any, int]:
    if depth > _MAX_DEPTH:
        raise NotSerialized("nested too deeply")
    kind = data[at : at + 2]
    if kind == b"N;":
        return None, at + 2
    if kind == b"b:":
        raw, end = _until(data, at + 2, b";")
        if raw not in (b"0", b"1"):
            raise NotSerialized(f"not a boolean at byte {at}")
        return raw == b"1", end
    if kind == b"i:":
        raw, end = _until(data, at + 2, b";")
        return _integer(raw, at), end
    if kind == b"d:":
        raw, end = _until(data, at + 2, b";")
        try:
            return float(raw), end
        except ValueError:
            raise NotSerialized(f"not a number at byte {at}") from None
    if kind == b"s:":
        raw, at_quote = _until(data, at + 2, b":")
        length = _integer(raw, at)
        start = _expect(data, at_quote, b'"')
        end = start + length
        if length < 0 or end > len(data):
            raise NotSerialized(f"a string longer than the text at byte {at}")
        try:
            string = data[start:end].decode()
        except UnicodeDecodeError:
            raise NotSerialized(f"a string that is not UTF-8 at byte {start}") from None
        return string, _expect(data, _expect(data, end, b'"'), b";")
    if kind == b"a:":
        raw, at_brace = _until(data, at + 2, b":")
        count = _integer(raw, at)
        at = _expect(data, at_brace, b"{")
        array: dict[Any, Any] = {}
        for _ in range(count):
            key, at = _value(data, at, depth=depth + 1)
            if not isinstance(key, int | str):
                raise NotSerialized(f"an array key that is not an integer or a string at {at}")
            array[key], at = _value(data, at, depth=depth + 1)
        return array, _expect(data, at, b"}")
    raise NotSerialized(f"unsupported or malformed value at byte {at}: {data[at : at + 2]!r}")
