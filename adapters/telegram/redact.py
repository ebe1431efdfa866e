"""Keep the bot token out of every log line (PTB and httpx log URLs that contain it)."""

from __future__ import annotations

import logging
import traceback

REDACTED = "<telegram-token>"
# Loggers that may see request URLs; records of other loggers are covered via root handlers.
NOISY = ("httpx", "httpcore")
TOUCHED = ("telegram", "telegram.ext", "httpx", "httpcore", "adapters.telegram", "")


class RedactToken(logging.Filter):
    """Replaces the token (and its secret half) in the message, arguments and traceback."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)
        # The part after "bot_id:" is the actual secret; redact it alone too.
        for secret in list(self.secrets):
            _, _, tail = secret.partition(":")
            if len(tail) >= 8 and tail not in self.secrets:
                self.secrets.append(tail)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler
            return True
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.redact("".join(traceback.format_exception(*record.exc_info)))
            record.exc_text = record.exc_text.rstrip("\n")
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def install(*secrets: str) -> RedactToken:
    """Quiet httpx to WARNING and redact `secrets` in every record that reaches a handler."""
    for name in NOISY:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)
    redactor = RedactToken(*secrets)
    for name in TOUCHED:
        logger = logging.getLogger(name)
        if redactor not in logger.filters:
            logger.addFilter(redactor)
        for handler in logger.handlers:
            if redactor not in handler.filters:
                handler.addFilter(redactor)
    return redactor


def uninstall(redactor: RedactToken) -> None:
    for name in TOUCHED:
        logger = logging.getLogger(name)
        logger.removeFilter(redactor)
        for handler in logger.handlers:
            handler.removeFilter(redactor)
