import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed with extra={...} and is logged too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, so log collectors can parse app-server output as it is."""

    def format(self, record):
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in payload:
                payload[key] = value
        if record.exc_info:
            payload["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


class ClientErrorFilter(logging.Filter):
    """A request Django refuses as suspicious (a Host not allowed, too many fields …) is the
    client's error, answered 400: one WARNING line without the traceback. Django logs each as
    an ERROR with its traceback, which made flooding the logs cost an attacker one request
    per 40 lines."""

    def filter(self, record):
        if record.name.startswith("django.security."):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True
