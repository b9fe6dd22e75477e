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
