"""The bundled ffmpeg (imageio-ffmpeg wheel): locate it and run it.

The wheel ships a static ffmpeg with libmp3lame but no ffprobe, so we never let pydub
probe files. ``ffmpeg_exe()`` is the one place that knows where ffmpeg is.
"""

from __future__ import annotations

import functools
import subprocess

from .errors import AudioError


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # the wheel is a dependency; this is an install problem
        raise AudioError(f"cannot find the bundled ffmpeg (imageio-ffmpeg): {exc}") from None
    return exe


def pydub_audio_segment():
    """pydub's AudioSegment, pointed at the bundled ffmpeg, without its "no ffmpeg" warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment
    exe = ffmpeg_exe()
    AudioSegment.converter = exe
    AudioSegment.ffmpeg = exe
    return AudioSegment


def run(args: list[str], what: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ffmpeg with ``args`` (a list: never a shell); raise AudioError with its last line."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AudioError(f"ffmpeg timed out while {what}") from None
    except OSError as exc:
        raise AudioError(f"cannot run ffmpeg while {what}: {exc}") from None
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        raise AudioError(f"ffmpeg failed while {what}: {lines[-1] if lines else 'exit ' + str(proc.returncode)}")
    return proc
