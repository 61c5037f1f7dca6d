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

    def __init__(self, total, *, stream, quiet=False, threshold=1000, width=30, label=""):
        self.total = total
        self.label = f"{label} " if label else ""
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
            self.stream.write(f"\r{self.label}[{bar}] {self.count}/{self.total}", ending="")
            self.stream.flush()

    def done(self):
        if self.active:
            self.stream.write("")


class RowProgress:
    """An `on_row(done, total)` callback for run_import: a Progress bar, made once the number of
    rows is known (a new one for each file or pass); `label` goes before the bar."""

    def __init__(self, stream, *, quiet=False, label=""):
        self.stream = stream
        self.quiet = quiet
        self.label = label
        self.bar = None

    def __call__(self, done, total):
        if self.bar is None or done == 1:
            self.finish()
            self.bar = Progress(total, stream=self.stream, quiet=self.quiet, label=self.label)
        self.bar.step()

    def finish(self):
        if self.bar is not None:
            self.bar.done()
            self.bar = None


def counted(rows, stream, *, quiet=False, label=""):
    """The rows (a list), stepping a progress bar as each is consumed (exports)."""
    bar = Progress(len(rows), stream=stream, quiet=quiet, label=label)
    for row in rows:
        bar.step()
        yield row
    bar.done()
