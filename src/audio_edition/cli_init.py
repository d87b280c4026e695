"""``audio-edition init``: a commented ``audio-edition.toml`` and a ``voices/`` profile for a new show.

The questions and the file come from the config schema (``config.schema()``): every
``[show]`` key is a flag; on a terminal, the main ones left out are asked. What is written
is validated like any config before it lands, so ``init`` never writes a file ``build``
would refuse.
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path

import click

from .config import (
    CONFIG_NAME,
    ShowSection,
    commented_config,
    parse_config,
    schema,
    toml_value,
)
from .errors import AudioEditionError, ConfigError
from .fsutil import atomic_write_text, slugify

SHOW_KEYS = [k for k in schema() if k.table == "show"]


def _option_name(name: str) -> str:
    return "--" + name.replace("_", "-")


def voice_profile_text(name: str, language: str) -> str:
    """The built-in profile of ``language`` (fr or en), renamed for the show."""
    lang = "fr" if language.startswith("fr") else "en"
    text = (resources.files("audio_edition") / "data" / "voices" / f"{lang}.toml").read_text(encoding="utf-8")
    return re.sub(r'(?m)^name = .*$', f"name = {toml_value(name)}", text, count=1)


def write_show(directory: Path, values: dict, force: bool = False) -> tuple[Path, Path]:
    """Write ``audio-edition.toml`` and ``voices/<show>.toml`` in ``directory``; returns both paths."""
    show = {k: v for k, v in values.items() if v is not None}
    name = show.get("name") or show.get("title") or "My show"
    show.setdefault("name", name)
    profile_rel = f"voices/{slugify(name)}.toml"
    config_path = directory / CONFIG_NAME
    profile_path = directory / profile_rel
    for p in (config_path, profile_path):
        if p.exists() and not force:
            raise ConfigError(f"{p} already exists (use --force to replace it)")
    data = {"show": show, "voices": {"profile": profile_rel}}
    parse_config(data, "init")  # the same checks as build: a bad category or e-mail names its key
    atomic_write_text(config_path, commented_config(data))
    atomic_write_text(profile_path, voice_profile_text(name, show.get("language", ShowSection.language)))
    return config_path, profile_path


def interactive() -> bool:
    """Ask questions only when a person is typing."""
    return sys.stdin.isatty()


def _options(func):
    for k in reversed(SHOW_KEYS):
        if k.type == "boolean":
            func = click.option(f"{_option_name(k.name)}/--no-{k.name.replace('_', '-')}", k.name, default=None,
                                help=k.doc)(func)
        else:
            func = click.option(_option_name(k.name), k.name, metavar=k.type.upper().split()[0],
                                help=k.doc + (f" ({' or '.join(k.choices)})" if k.choices else ""))(func)
    return func


@click.command(epilog="\b\nExamples:\n  audio-edition init\n"
               '  audio-edition init --name "MAMMAM IA!" --owner-email podcast@example.org \\\n'
               "      --category Technology --base-url https://example.org/podcast/")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Where to write audio-edition.toml and voices/.")
@click.option("--force", is_flag=True, help="Replace an existing audio-edition.toml or voice profile.")
@_options
def init(directory, force, **values):
    """Start a show: write a commented audio-edition.toml and a voices/ profile.

    Every [show] key of the config is a flag. On a terminal, the main ones you leave out
    are asked (Enter keeps the default); otherwise the others keep their defaults.
    """
    if interactive():
        for k in SHOW_KEYS:
            if k.init and values.get(k.name) is None:
                default = k.default if k.default is not None else ""
                answer = click.prompt(f"{k.name} ({k.doc})", default=default, show_default=bool(default))
                values[k.name] = answer if answer != "" else None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        config_path, profile_path = write_show(directory, values, force)
    except AudioEditionError as exc:
        from .cli import fail

        fail(exc)
    click.echo(f"wrote {config_path} and {profile_path}")
    click.echo(f"next: audio-edition build ISSUE.html --config {config_path}")
