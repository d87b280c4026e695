"""Run a command with the edge_tts client pointed at a fake service (bench only).

    python bench/edge_shim.py WSS_URL VOICE_LIST_URL audio-edition build …   # our CLI
    python bench/edge_shim.py WSS_URL VOICE_LIST_URL edge-tts --file …        # the edge-tts CLI

Both programs then run unmodified; only the two service URLs differ from production.
"""

from __future__ import annotations

import sys


def main() -> None:
    from edge_tts import communicate, voices

    communicate.WSS_URL = sys.argv[1]
    voices.VOICE_LIST = sys.argv[2]
    program, args = sys.argv[3], sys.argv[4:]
    sys.argv = [program, *args]
    if program == "edge-tts":
        from edge_tts.util import main as run
    elif program == "audio-edition":
        from audio_edition.cli import main as run
    else:
        sys.exit(f"edge_shim: unknown program {program!r}")
    run()


if __name__ == "__main__":
    main()
