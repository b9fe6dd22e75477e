"""Assertions shared by the tests (pytest puts this folder on sys.path)."""

from click.testing import Result


def assert_error(result: Result, *fragments: str, code: int = 1) -> None:
    """A failed command: the exit code, one `Error:` line naming the problem, no traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    if code == 1:
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    else:
        assert lines[-1].startswith("Error: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


TABLES = (
    "alembic_version", "source", "article", "claim", "claim_tag", "evidence", "claim_event",
    "claim_link",
)  # fmt: skip


def table_counts(url: str) -> dict[str, int | None]:
    """Rows in each tracker table (None: the table is missing), read outside the tracker."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.pool import NullPool

    from tracker.urls import resolve_url

    engine = create_engine(resolve_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            return {
                table: conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
                if table in present
                else None
                for table in TABLES
            }
    finally:
        engine.dispose()


def png_pixels(path) -> tuple[int, int, list[list[tuple[int, ...]]]]:
    """(width, height, rows of RGB(A) pixels) of an 8-bit, non-interlaced PNG, such as a
    Chromium screenshot: enough to look at one without an imaging library."""
    import struct
    import zlib

    data = open(path, "rb").read()  # noqa: SIM115
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks = 8, {}
    idat = b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IDAT":
            idat += body
        else:
            chunks[kind] = body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
    size = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * size
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up),
                           (abs(guess - corner), 2, corner))  # fmt: skip
                line[i] = (line[i] + near[2]) & 255
        rows.append([tuple(line[x : x + 3]) for x in range(0, stride, size)])
        previous = line
    return width, height, rows
