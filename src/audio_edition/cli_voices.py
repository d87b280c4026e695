"""``audio-edition voices``: list the voices a show can be cast with, and hear one first.

    audio-edition voices [--lang fr] [--engine edge|espeak]     # list (edge's list cached a day)
    audio-edition voices preview VOICE ["TEXT"] [--out FILE]    # write a short MP3 sample

A click group; the main CLI registers it with ``cli.add_command(voices)``.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from .engines import ENGINES
from .engines.edge import DEFAULT_CACHE_DIR, ffmpeg_exe, is_edge_voice, list_voices
from .errors import AudioEditionError, AudioError, UsageError
from .fsutil import atomic_path, slugify

PREVIEW_TEXT = {
    "fr": "Bonjour ! Voici la voix qui pourrait lire votre newsletter. Cette semaine, "
          "l'intelligence artificielle a encore fait parler d'elle : trois nouvelles, un outil, et une question.",
    "en": "Hello! This is the voice that could read your newsletter. This week, artificial "
          "intelligence made the news again: three stories, one tool, and a question.",
}

EPILOG_VOICES = """\b
Examples:
  audio-edition voices --lang fr                 # edge's French neural voices
  audio-edition voices --engine espeak --lang fr # offline voices (add +f3, +m3... for variants)
  audio-edition voices preview fr-FR-HenriNeural
  audio-edition voices preview fr+m3 "Un texte à moi." --out henri.mp3
"""


def _fail(exc: AudioEditionError) -> None:
    click.echo(f"audio-edition: error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _matches(locale: str, lang: str | None) -> bool:
    if not lang:
        return True
    locale, lang = locale.lower(), lang.lower()
    return locale == lang or locale.startswith(lang + "-")


def edge_voice_rows(lang: str | None, cache_dir: Path, refresh: bool = False) -> list[dict]:
    voices = asyncio.run(list_voices(cache_dir / "voices" / "edge.json", refresh=refresh))
    rows = [{"voice": v.get("ShortName", ""), "language": v.get("Locale", ""), "gender": v.get("Gender", ""),
             "description": ", ".join(v.get("VoiceTag", {}).get("VoicePersonalities", []))}
            for v in voices if _matches(str(v.get("Locale", "")), lang)]
    return sorted(rows, key=lambda r: (r["language"], r["voice"]))


def espeak_voice_rows(lang: str | None) -> list[dict]:
    from .engines.espeak import list_espeak_voices

    rows = [{"voice": v["id"], "language": v["language"], "gender": v["gender"], "description": v["name"]}
            for v in list_espeak_voices() if any(_matches(lg, lang) for lg in v["languages"])]
    return sorted(rows, key=lambda r: (r["language"], r["voice"]))


@click.group("voices", invoke_without_command=True, epilog=EPILOG_VOICES)
@click.option("--lang", help="Only voices of this language or locale (fr, fr-FR, en...).")
@click.option("--engine", type=click.Choice(ENGINES), default="edge", show_default=True,
              help="Whose voices: edge (online neural voices) or espeak (offline).")
@click.option("--refresh", is_flag=True, help="Fetch edge's voice list again instead of the day-old copy.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CACHE_DIR,
              show_default=True, help="Where edge's voice list is cached.")
@click.pass_context
def voices(ctx, lang, engine, refresh, as_json, cache_dir):
    """List the voices you can cast in a voice profile (voices/<show>.toml).

    Edge's list comes from the service and is cached for a day; espeak's is built in.
    Hear a voice before casting it with: audio-edition voices preview VOICE
    """
    ctx.ensure_object(dict)
    ctx.obj["cache_dir"] = cache_dir
    if ctx.invoked_subcommand is not None:
        return
    try:
        rows = edge_voice_rows(lang, cache_dir, refresh) if engine == "edge" else espeak_voice_rows(lang)
    except AudioEditionError as exc:
        if engine == "edge":
            exc = type(exc)(f"{exc} (offline voices: audio-edition voices --engine espeak)")
        _fail(exc)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"no {engine} voice for language {lang!r}", err=True)
        sys.exit(1)
    width = max(len(r["voice"]) for r in rows)
    lwidth = max(len(r["language"]) for r in rows)
    for r in rows:
        click.echo(f"{r['voice']:<{width}}  {r['language']:<{lwidth}}  {r['gender']:<6}  {r['description']}".rstrip())
    if engine == "espeak":
        click.echo("\nvariants: append +f1…+f5 (female) or +m1…+m8 (male) to a voice, e.g. fr+f3", err=True)


def _language_of(voice: str) -> str:
    return voice.split("-")[0].split("+")[0].lower() or "fr"


def encode_mp3(wav: Path, mp3: Path, bitrate: str = "96k") -> None:
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y", "-i", str(wav), "-ac", "1",
           "-c:a", "libmp3lame", "-b:a", bitrate, "-f", "mp3", str(mp3)]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AudioError(f"cannot run ffmpeg to encode the preview: {exc}") from None
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        raise AudioError(f"ffmpeg failed encoding the preview: {lines[-1] if lines else proc.returncode}")


def preview_voice(voice: str, text: str | None = None, *, engine: str | None = None, rate: int = 0,
                  pitch: int = 0, out: Path | None = None, cache_dir: Path = DEFAULT_CACHE_DIR,
                  engine_options: dict | None = None) -> tuple[Path, float]:
    """Synthesize a short sample of ``voice`` into an MP3; return its path and duration."""
    from .engines import get_engine

    engine = engine or ("edge" if is_edge_voice(voice) else "espeak")
    if engine == "edge" and not is_edge_voice(voice):
        raise UsageError(f"{voice!r} is not an edge voice name (like fr-FR-DeniseNeural)")
    from .normalize import normalize

    # the build's own path: written → neutral spoken text here, the engine's lexicon inside synthesize
    text = normalize(text or PREVIEW_TEXT.get(_language_of(voice), PREVIEW_TEXT["en"]), _language_of(voice))
    out = out or Path(f"preview-{slugify(voice)}.mp3")
    eng = get_engine(engine, cache_dir=cache_dir, **(engine_options or {}))
    with tempfile.TemporaryDirectory(prefix="audio-edition-preview-") as tmp:
        wav = Path(tmp) / "preview.wav"
        result = eng.synthesize(text, voice, rate, pitch, str(wav))
        with atomic_path(out) as tmp_mp3:
            encode_mp3(wav, tmp_mp3)
    return out, result.duration


@voices.command("preview")
@click.argument("voice")
@click.argument("text", required=False)
@click.option("--engine", type=click.Choice(ENGINES), help="Default: edge for names like fr-FR-…Neural, else espeak.")
@click.option("--rate", type=click.IntRange(-50, 100), default=0, show_default=True, help="Relative rate, percent.")
@click.option("--pitch", type=click.IntRange(-50, 50), default=0, show_default=True, help="Relative pitch, percent.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="MP3 to write. Default: preview-<voice>.mp3 in the current directory.")
@click.pass_context
def preview(ctx, voice, text, engine, rate, pitch, out):
    """Write a short MP3 of VOICE reading TEXT (or a sample sentence in its language)."""
    try:
        path, duration = preview_voice(voice, text, engine=engine, rate=rate, pitch=pitch, out=out,
                                       cache_dir=ctx.obj["cache_dir"])
    except AudioEditionError as exc:
        _fail(exc)
    click.echo(f"{path}  ({duration:.1f} s, {voice})")
