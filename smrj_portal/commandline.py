"""Output helpers shared by the management commands."""

from pathlib import Path


def write_csv(command, body: bytes, encoding: str, output=None):
    """CSV bytes to a file, or to stdout unchanged so that a redirected file keeps its BOM and
    cp932 encoding (a StringIO stdout in tests gets the decoded text)."""
    if output:
        Path(output).write_bytes(body)
        return
    stream = getattr(command.stdout, "buffer", None)
    if stream is not None:
        stream.write(body)
    else:
        command.stdout.write(body.decode(encoding), ending="")
