"""``check``, ``serve`` and ``publish``: from a built ``--out`` to listeners."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import AudioEditionError

OUT = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                   show_default=True, help="The directory build wrote (feed.xml, episodes/).")


def _fail(exc: AudioEditionError) -> None:
    from .cli import fail

    fail(exc)


@click.command(epilog="\b\nExample:\n  audio-edition check --out public")
@OUT
def check(out_dir):
    """Check that --out holds a feed podcast apps and directories accept.

    Required tags, unique guids, enclosure lengths equal to the files, durations that match
    the MP3s, the artwork, transcripts and chapters, and what podcastparser and feedparser
    see. Prints one line per problem and exits 1 if there is any.
    """
    from .check import check_out

    report = check_out(out_dir)
    for line in report.problems:
        click.echo(line)
    if report.problems:
        click.echo(f"{len(report.problems)} problems in {out_dir}", err=True)
        sys.exit(1)
    click.echo(f"{out_dir / 'feed.xml'}: {report.episodes} episodes, no problem found")


@click.command(epilog="\b\nExamples:\n  audio-edition serve --out public\n"
               "  audio-edition serve --out public --host 0.0.0.0 --port 8080   # for a phone on the same network")
@OUT
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets other devices of the network subscribe.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one).")
def serve(out_dir, host, port):
    """Serve --out over HTTP (byte ranges, HEAD, podcast MIME types) and print the feed URL."""
    from .serve import make_server

    try:
        server = make_server(out_dir, host, port)
    except AudioEditionError as exc:
        _fail(exc)
    click.echo(f"Serving {out_dir} at {server.url}")
    click.echo(f"Feed: {server.url}feed.xml   (paste it into a podcast app; Ctrl-C stops)", err=False)
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def run_publish(out_dir: Path, dest: str, endpoint_url: str | None, quiet: bool = False) -> None:
    """Publish with a progress bar on a terminal and a summary line."""
    from .publish import publish

    progress = None
    task = None
    if sys.stderr.isatty() and not quiet:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        progress = Progress(TextColumn("publish"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                            console=Console(stderr=True))
        progress.start()

    def on_progress(done: int, total: int, key: str) -> None:
        nonlocal task
        if progress is not None:
            if task is None:
                task = progress.add_task(key, total=total)
            progress.update(task, completed=done, description=key)

    try:
        result = publish(out_dir, dest, endpoint_url=endpoint_url, on_progress=on_progress)
    finally:
        if progress is not None:
            progress.stop()
    if not quiet:
        click.echo(result.summary())


@click.command(epilog="\b\nExamples:\n  audio-edition publish --out public s3://my-bucket/podcast\n"
               "  audio-edition publish --out public s3://shows/mammam --endpoint-url https://ACCOUNT.r2.cloudflarestorage.com\n"
               "  audio-edition publish --out public /var/www/podcast")
@OUT
@click.argument("dest", metavar="DEST")
@click.option("--endpoint-url", help="S3-compatible endpoint (R2, B2, MinIO...); default: AWS.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def publish(out_dir, dest, endpoint_url, quiet):
    """Copy what changed in --out to DEST: s3://BUCKET/PREFIX or a directory.

    Media and sidecars first, feed.xml and index.html last. Credentials come from the standard
    AWS chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, AWS_PROFILE).
    """
    try:
        run_publish(out_dir, dest, endpoint_url, quiet)
    except AudioEditionError as exc:
        _fail(exc)
