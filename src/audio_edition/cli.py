"""The ``audio-edition`` command: thin click commands over the library.

Every ``AudioEditionError`` becomes one line on stderr and exit status 1 (2 for usage);
nothing else is caught, so any other exception is a bug worth a traceback.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import load_config
from .engines import ENGINES
from .errors import AudioEditionError

EPILOG_BUILD = """\b
Examples:
  audio-edition build examples/mammam-ia.html --engine espeak
  audio-edition build issues/ --out public --base-url https://example.org/podcast/
  audio-edition build https://example.org/feed.xml --since 2025-11-01
"""

EPILOG_SCRIPT = """\b
Examples:
  audio-edition script examples/mammam-ia.html
  audio-edition script examples/mammam-ia.html --format json | jq '.segments[].title'
  audio-edition script https://example.substack.com/feed --latest 1
"""


def fail(exc: AudioEditionError) -> None:
    click.echo(f"audio-edition: error: {exc}", err=True)
    sys.exit(exc.exit_code)


class RichReporter:
    """Per-stage progress bars on a terminal; silent otherwise."""

    def __init__(self, enabled: bool, quiet: bool = False) -> None:
        self.quiet = quiet
        self.progress: Any = None  # rich's Progress, only on a terminal
        self.task: Any = None  # its current TaskID
        if enabled and not quiet:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), console=Console(stderr=True), transient=False)
            self.progress.start()

    def stage(self, name: str, total: int | None = None) -> None:
        if self.progress is None:
            return
        if self.task is not None:
            t = self.progress.tasks[-1]
            self.progress.update(self.task, completed=t.total or 1, total=t.total or 1)
        self.task = self.progress.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.advance(self.task, n)

    def log(self, message: str) -> None:
        if self.progress is not None:
            self.progress.console.print(message)
        elif not self.quiet:
            click.echo(message, err=True)

    def close(self) -> None:
        if self.progress is not None:
            if self.task is not None:
                t = self.progress.tasks[-1]
                self.progress.update(self.task, completed=t.total or 1, total=t.total or 1)
            self.progress.stop()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="audio-edition")
def cli() -> None:
    """Turn each issue of an HTML newsletter into a podcast episode.

    \b
    Quick start (offline, no account needed):
      audio-edition script examples/mammam-ia.html      # read the spoken script first
      audio-edition build examples/mammam-ia.html --engine espeak
    The episode lands in episodes/<date-title>/ with its transcript and chapters, and
    feed.xml lists every episode built in that directory.
    """


@cli.command(epilog=EPILOG_BUILD)
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help="Text-to-speech engine: espeak (offline) or edge (Microsoft neural voices, online). "
              "Default: the voice profile's engine (edge for the built-in profiles).")
@click.option("--voices", "voices_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Voice profile (TOML): which voice reads which role. Default: [voices] profile in the "
              "config, else the built-in profile of the issue's language.")
@click.option("--fallback-engine", type=click.Choice(ENGINES), default=None,
              help="When a segment still fails after its retries, synthesize it with this engine instead "
              "(recorded in episode.json). Without it the build stops, keeping finished segments cached.")
@click.option("--concurrency", type=click.IntRange(1, 8), default=8, show_default=True,
              help="Ceiling on edge requests in flight (it starts at 6 and backs off when the service "
              "pushes back) and on espeak worker processes.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Directory that receives episodes/ and feed.xml.")
@click.option("--base-url", help="Public URL where --out is served (enclosure links in feed.xml). "
              "Defaults to [show] base_url in the config, else a file:// URL of --out.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Show config (TOML). Default: ./audio-edition.toml if present.")
@click.option("--latest", type=click.IntRange(min=1), metavar="N",
              help="Only the newest N issues of each SOURCE (feeds, directories).")
@click.option("--since", metavar="DATE", help="Only issues published on or after DATE (YYYY-MM-DD).")
@click.option("--strict", is_flag=True,
              help="Refuse to build when a segment still holds tokens a voice would stumble on (digits, "
              "symbols) after normalization; `audio-edition script` lists them.")
@click.option("--force", is_flag=True, help="Re-render episodes that are already built (after a change of voice "
              "or sound kit); their guids and numbers are kept, so podcast apps see no new episode.")
@click.option("--publish", "publish_to", metavar="DEST", help="Then publish --out to DEST (s3://BUCKET/PREFIX or a "
              "directory), as audio-edition publish does.")
@click.option("--endpoint-url", help="S3-compatible endpoint for --publish (R2, B2, MinIO...).")
@click.option("--no-music", is_flag=True,
              help="A voice-only mix (mono, -19 LUFS): no theme, stings or bed. Also: [sound] enabled = false.")
@click.option("--no-quality-gate", is_flag=True,
              help="Build even when the quality gate after the render fails (silent, clipped or truncated "
              "segment, loudness or true peak off target): its problems become warnings.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or summary.")
def build(sources, engine, voices_file, fallback_engine, concurrency, out_dir, base_url, config_path, latest,
          since, strict, force, publish_to, endpoint_url, no_music, no_quality_gate, quiet):
    """Build one episode per newsletter issue in SOURCE and update the feed.

    SOURCE is an issue's HTML file, an .eml e-mail, a newsletter's RSS/Atom feed (file or
    URL: one episode per item), a web post's http(s) URL, or a directory of issues (oldest
    first). Each episode gets an MP3 (with ID3 chapters), episode.json, chapters.json and
    transcripts (transcript.vtt, .srt, .html) under OUT/episodes/<slug>/; OUT/feed.xml is
    rebuilt from every episode there.
    """
    from .build import BuildOptions
    from .build import build as run_build

    try:
        config = load_config(config_path)
        reporter = RichReporter(enabled=sys.stderr.isatty(), quiet=quiet)
        try:
            options = BuildOptions(out_dir=out_dir, engine=engine, base_url=base_url, config=config,
                                   voices_file=voices_file, fallback_engine=fallback_engine,
                                   concurrency=concurrency, latest=latest, since=since, strict=strict,
                                   force=force, publish=publish_to, endpoint_url=endpoint_url,
                                   music=not no_music, quality_gate=not no_quality_gate)
            results = run_build(list(sources), options, reporter)
        finally:
            reporter.close()
    except AudioEditionError as exc:
        fail(exc)
    if not quiet:
        for r in results:
            click.echo(f"{r.mp3}  ({r.duration / 60:.1f} min; {r.summary})")
        click.echo(f"{out_dir / 'feed.xml'}")


@cli.command(epilog=EPILOG_SCRIPT)
@click.argument("source")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: what a producer reads before building; json: the machine-readable script.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Show config (TOML). Default: ./audio-edition.toml if present.")
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help="Engine whose voices are shown in the script (default: the voice profile's).")
@click.option("--voices", "voices_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Voice profile (TOML) whose voices are shown in the script.")
@click.option("--latest", type=click.IntRange(min=1), metavar="N",
              help="Only the newest N issues of SOURCE (feeds, directories).")
@click.option("--since", metavar="DATE", help="Only issues published on or after DATE (YYYY-MM-DD).")
@click.option("--diff", is_flag=True,
              help="With --format text: under each segment, its written and spoken lines side by side where "
              "normalization changed them.")
def script(source, fmt, config_path, engine, voices_file, latest, since, diff):
    """Print the spoken script of SOURCE without synthesising anything (dry run).

    SOURCE is anything build accepts (HTML file, .eml, feed file or URL, web URL, directory);
    a feed or directory prints one script per issue (a JSON list with --format json).

    Shows each segment (intro, transitions, stories, sections, outro) with the text the
    voice will read, and lists at the end what was deliberately not read (sponsors,
    polls, subscribe and footer boilerplate).
    """
    from .build import load_scripts
    from .normalize import diff_rows, format_diff, script_issues

    try:
        config = load_config(config_path)
        prepared = load_scripts([source], config, engine, voices_file, latest=latest, since=since)
    except AudioEditionError as exc:
        fail(exc)
    unspeakable = {id(p): script_issues(p.script.segments, p.script.language) for p in prepared}
    if fmt == "json":
        docs = [p.script.to_dict() for p in prepared]
        click.echo(json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False, indent=2))
        for p in prepared:
            for issue in unspeakable[id(p)]:
                click.echo(f"audio-edition: warning: {p.script.title[:60]}: unspeakable {issue}", err=True)
        return
    for p in prepared:
        s = p.script
        click.echo(f"# {s.title}")
        click.echo(f"# {s.language} · {s.published or 'no date'} · {len(s.segments)} segments")
        for i, seg in enumerate(s.segments, 1):
            click.echo("")
            url = f"  <{seg.url}>" if seg.url else ""
            click.echo(f"[{i}] {seg.role.upper()} — {seg.title} ({seg.voice}){url}")
            click.echo(seg.spoken)
            if diff:
                rows = diff_rows(seg.text, s.language, p.profile.lexicon)
                if rows:
                    click.echo("  ~ written │ spoken ~")
                    click.echo(format_diff(rows, width=shutil.get_terminal_size((120, 20)).columns))
        warnings = list(s.warnings) + [f"unspeakable {issue}" for issue in unspeakable[id(p)]]
        if warnings:
            click.echo("")
            click.echo(f"# Warnings ({len(warnings)})")
            for w in warnings:
                click.echo(f"- {w}")
        if s.skipped:
            click.echo("")
            click.echo(f"# Not read ({len(s.skipped)} blocks)")
            for sk in s.skipped:
                text = sk.text if len(sk.text) <= 100 else sk.text[:97] + "..."
                click.echo(f"- [{sk.kind}] {text}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage errors on one line (exit 2), library errors on one line (exit 1)."""
    try:
        cli.main(args=argv, prog_name="audio-edition", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(2)
    except click.UsageError as exc:
        hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
        click.echo(f"audio-edition: error: {exc.format_message()}{hint}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("audio-edition: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(f"audio-edition: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except AudioEditionError as exc:
        fail(exc)
    except BrokenPipeError:
        sys.exit(1)


def _register() -> None:
    from .cli_cache import cache
    from .cli_normalize import normalize_command
    from .cli_voices import voices

    cli.add_command(voices)
    cli.add_command(cache)
    cli.add_command(normalize_command)
    from .cli_init import init
    from .cli_publish import check, publish, serve
    from .cli_sounds import sounds

    for command in (init, check, serve, publish, sounds):
        cli.add_command(command)


_register()
