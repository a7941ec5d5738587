"""A small MessagePack decoder (stdlib only) for the correctness checks of run.py.

It reads what a JSON-like value encodes to: nil, booleans, ints, floats, str, bin, arrays and
maps. Extension types (timestamps...) are refused.
"""

from __future__ import annotations

import struct

# format byte -> (struct format of the length or value, its size)
_FIXED = {
    0xCC: (">B", 1),
    0xCD: (">H", 2),
    0xCE: (">I", 4),
    0xCF: (">Q", 8),
    0xD0: (">b", 1),
    0xD1: (">h", 2),
    0xD2: (">i", 4),
    0xD3: (">q", 8),
    0xCA: (">f", 4),
    0xCB: (">d", 8),
}
_STR = {0xD9: (">B", 1), 0xDA: (">H", 2), 0xDB: (">I", 4)}
_BIN = {0xC4: (">B", 1), 0xC5: (">H", 2), 0xC6: (">I", 4)}
_ARRAY = {0xDC: (">H", 2), 0xDD: (">I", 4)}
_MAP = {0xDE: (">H", 2), 0xDF: (">I", 4)}


class MsgpackError(ValueError):
    pass


def unpackb(data: bytes) -> object:
    """Decode one MessagePack value that fills ``data`` exactly."""
    try:
        value, end = _decode(data, 0)
    except (IndexError, struct.error) as exc:
        raise MsgpackError(f"truncated MessagePack: {exc}") from None
    if end != len(data):
        raise MsgpackError(f"{len(data) - end} trailing bytes after the value")
    return value


def _read(data: bytes, pos: int, fmt: tuple[str, int]) -> tuple[int | float, int]:
    return struct.unpack_from(fmt[0], data, pos)[0], pos + fmt[1]


def _decode(data: bytes, pos: int) -> tuple[object, int]:
    tag = data[pos]
    pos += 1
    if tag <= 0x7F:
        return tag, pos
    if tag >= 0xE0:
        return tag - 0x100, pos
    if 0xA0 <= tag <= 0xBF:
        return _text(data, pos, tag & 0x1F)
    if 0x90 <= tag <= 0x9F:
        return _array(data, pos, tag & 0x0F)
    if 0x80 <= tag <= 0x8F:
        return _map(data, pos, tag & 0x0F)
    if tag in (0xC0, 0xC2, 0xC3):
        return {0xC0: None, 0xC2: False, 0xC3: True}[tag], pos
    if tag in _FIXED:
        return _read(data, pos, _FIXED[tag])
    for table, build in ((_STR, _text), (_ARRAY, _array), (_MAP, _map)):
        if tag in table:
            size, pos = _read(data, pos, table[tag])
            return build(data, pos, int(size))
    if tag in _BIN:
        size, pos = _read(data, pos, _BIN[tag])
        return data[pos : pos + int(size)], pos + int(size)
    raise MsgpackError(f"unsupported MessagePack type 0x{tag:02x} at byte {pos - 1}")


def _text(data: bytes, pos: int, size: int) -> tuple[object, int]:
    if pos + size > len(data):
        raise MsgpackError("truncated str")
    return data[pos : pos + size].decode("utf-8"), pos + size


def _array(data: bytes, pos: int, size: int) -> tuple[object, int]:
    items = []
    for _ in range(size):
        item, pos = _decode(data, pos)
        items.append(item)
    return items, pos


def _map(data: bytes, pos: int, size: int) -> tuple[object, int]:
    result: dict[object, object] = {}
    for _ in range(size):
        key, pos = _decode(data, pos)
        value, pos = _decode(data, pos)
        result[key] = value
    return result, pos
