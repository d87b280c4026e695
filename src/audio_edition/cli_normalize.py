"""``audio-edition normalize``: show what a voice will say for a piece of written text.

    audio-edition normalize "Le 3 novembre, OpenAI signe 38 milliards $ avec AWS."
    audio-edition normalize --explain "-74% sur NordVPN"
    audio-edition normalize --lexicon voices/show.toml - < article.txt
    audio-edition normalize --engine espeak "ChatGPT et Nvidia"   # what espeak receives

A click command; the main CLI registers it with ``cli.add_command(normalize_command)``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import AudioEditionError

EPILOG = """\b
Examples:
  audio-edition normalize "Le 3 novembre 2025, OpenAI signe 38 milliards $ avec AWS."
  audio-edition normalize --explain "Basique : 2,99€/mois × 24 mois = 80,73€ (-74%)"
  audio-edition normalize --lang en "$38B deal on 11/3/2025"
  audio-edition normalize --engine espeak "ChatGPT et Nvidia, etc."
  echo "GPT-5 et DALL-E 3" | audio-edition normalize -
"""


def _fail(exc: AudioEditionError) -> None:
    click.echo(f"audio-edition: error: {exc}", err=True)
    sys.exit(exc.exit_code)


@click.command("normalize", epilog=EPILOG)
@click.argument("text")
@click.option("--lang", default="fr", show_default=True,
              help="Language of the text: fr (full rules), en (basic rules); others: emoji, URLs and spaces only.")
@click.option("--lexicon", "lexicon_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Pronunciation lexicon (TOML), or a voice profile with a [lexicon] table; "
                   "applied before the general rules, on top of the built-in one.")
@click.option("--engine", type=click.Choice(["espeak", "edge"]), default=None,
              help="Show what this engine receives: the spoken text with the engine's pronunciation "
                   "lexicon applied (its respellings). Default: the engine-neutral spoken text.")
@click.option("--explain", is_flag=True,
              help="After the spoken text, list each rewrite: written → spoken [rule].")
def normalize_command(text: str, lang: str, lexicon_file: Path | None, engine: str | None, explain: bool) -> None:
    """Print the spoken form of TEXT ("-" reads standard input): what the voice will read.

    Numbers, money, percents, dates, units, abbreviations, acronyms and model names
    become plain words; URLs are shortened; emoji and decorative symbols are dropped.
    Tokens a voice would still stumble on are reported on standard error.
    """
    from .normalize import apply_engine_lexicon, load_lexicon, normalize, speakability_issues
    from .normalize import explain as explain_rewrites

    if text == "-":
        text = sys.stdin.read()
    try:
        lexicon = load_lexicon(lexicon_file) if lexicon_file else None
        spoken = normalize(text, lang, lexicon)
        rewrites = explain_rewrites(text, lang, lexicon) if explain else []
        if engine:
            spoken = apply_engine_lexicon(spoken, engine, lang, lexicon, rewrites if explain else None)
    except AudioEditionError as exc:
        _fail(exc)
        return
    click.echo(spoken)
    if explain:
        click.echo("")
        if not rewrites:
            click.echo("(no rewrite)")
        width = max((len(repr(r.written)) for r in rewrites), default=0)
        width = min(width, 40)
        for r in rewrites:
            spoken_form = repr(r.spoken) if r.spoken.strip() else "(dropped)"
            click.echo(f"{repr(r.written):<{width}} → {spoken_form}  [{r.rule}]")
    issues = speakability_issues(spoken, lang)
    if issues:
        click.echo(f"audio-edition: warning: a voice may stumble on: {', '.join(issues)}", err=True)
