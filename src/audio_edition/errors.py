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
