"""The one error family of audio-edition.

The message of an ``AudioEditionError`` is what the user reads: the CLI prints it on one
line (``audio-edition: error: <message>``) and exits with ``exit_code``. Any other
exception escaping the library is a bug.
"""


class AudioEditionError(Exception):
    """A failure the user can act on; the message says what and where."""

    exit_code = 1


class UsageError(AudioEditionError):
    """Bad command-line usage (unknown engine, bad option value...)."""

    exit_code = 2


class SourceError(AudioEditionError):
    """A source could not be read: missing file, not HTML, too large, bad URL."""


class ParseError(AudioEditionError):
    """The HTML could be read but holds no usable newsletter issue."""


class SynthesisError(AudioEditionError):
    """A text-to-speech engine failed for a segment after its retries."""


class AudioError(AudioEditionError):
    """ffmpeg could not decode, mix or encode audio."""


class OutputError(AudioEditionError):
    """An output could not be written (unwritable --out, disk full...)."""


class ConfigError(AudioEditionError):
    """A config or voice-profile file is invalid; the message names the key."""


# --- OS errors -> one line the user can act on ------------------------------------------------

def _mb(n: float) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def output_error(exc: OSError, where: object = None, needs: int | None = None) -> OutputError:
    """The one mapping from an ``OSError`` met while writing outputs to an ``OutputError``.

    ``where`` is the directory (or file) being written when the error carries no file name;
    ``needs`` is the estimated size of what was being written (for a full disk).
    """
    import errno
    import shutil

    path = exc.filename or where or "the output directory"
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        free = None
        probe = where or exc.filename
        if probe is not None:
            try:
                free = shutil.disk_usage(str(probe)).free
            except OSError:
                free = None
        need = f"; this episode needs about {_mb(needs)}" if needs else ""
        have = f", {_mb(free)} free" if free is not None else ""
        what = "disk quota exceeded" if code == errno.EDQUOT else "no space left on the device"
        return OutputError(f"{what} while writing {path}{need}{have}: free some space or choose another --out")
    if code in (errno.EACCES, errno.EPERM):
        return OutputError(f"{path} is not writable: permission denied (check the owner and mode of that directory)")
    if code == errno.EROFS:
        return OutputError(f"{path} is not writable: read-only file system (choose another --out)")
    if code == errno.ENOTDIR:
        return OutputError(f"{path} is not writable: a part of that path is a file, not a directory")
    if code == errno.EISDIR:
        return OutputError(f"{path} is not writable: it is a directory, a file was expected there")
    if code in (errno.EMFILE, errno.ENFILE):
        return OutputError(f"too many open files while writing {path}: raise the limit (ulimit -n) "
                           "or lower --concurrency")
    if code == errno.ENAMETOOLONG:
        return OutputError(f"{path} is not writable: file name too long for this file system")
    if code == errno.EIO:
        return OutputError(f"input/output error writing {path}: the disk or network share is failing")
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


# --- secrets never reach a message -----------------------------------------------------------

_SECRET_PARAM = (r"(?:access[_-]?token|refresh[_-]?token|id[_-]?token|token|api[_-]?key|apikey|key|secret|"
                 r"client[_-]?secret|password|passwd|pwd|auth|authorization|signature|sig|"
                 r"x-amz-signature|x-amz-credential|x-amz-security-token|aws[_-]?secret[_-]?access[_-]?key|"
                 r"aws[_-]?access[_-]?key[_-]?id|aws[_-]?session[_-]?token)")


def redact(text: str) -> str:
    """``text`` with the credentials it may hold replaced by ``***``.

    Userinfo in URLs (``https://user:pass@host``), secret-looking query parameters
    (``?token=…``, ``X-Amz-Signature=…``), ``key=value`` / ``key: value`` settings with
    secret names, ``Bearer`` tokens and AWS access key ids.
    """
    import re

    text = str(text)
    # scheme://user:password@host  and  scheme://token@host
    text = re.sub(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]+@", r"\1***@", text)
    text = re.sub(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}", r"\1 ***", text)
    # ?token=...&key=...   (query strings and form bodies)
    text = re.sub(rf"(?i)([?&;]{_SECRET_PARAM}=)[^&#\s\"'<>]+", r"\1***", text)
    # secret_key = "…", "token": "…", password: …
    text = re.sub(rf"""(?i)(\b[\w-]*{_SECRET_PARAM}["']?\s*[:=]\s*["']?)(?!\*\*\*)[^\s"',;&<>]+""", r"\1***", text)
    text = re.sub(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", "***", text)
    return text
