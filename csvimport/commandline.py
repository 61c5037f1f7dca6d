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


class Progress:
    """A progress bar on a terminal for long files (over `threshold` rows); silent when the
    stream is not a terminal (a log, a pipe) or with -v 0."""

    def __init__(self, total, *, stream, quiet=False, threshold=1000, width=30):
        self.total = total
        self.stream = stream
        self.width = width
        self.count = 0
        isatty = getattr(getattr(stream, "_out", stream), "isatty", lambda: False)
        self.active = not quiet and total > threshold and isatty()

    def step(self):
        self.count += 1
        if self.active and (self.count % 100 == 0 or self.count == self.total):
            filled = int(self.width * self.count / self.total)
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(f"\r[{bar}] {self.count}/{self.total}", ending="")
            self.stream.flush()

    def done(self):
        if self.active:
            self.stream.write("")
