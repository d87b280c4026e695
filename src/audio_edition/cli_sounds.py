"""``audio-edition sounds preview [ROLE]``: hear the show's theme, stings and bed before a build."""

from __future__ import annotations

from pathlib import Path

import click

from .config import SOUND_ROLES, load_config
from .errors import AudioEditionError

EPILOG = """\b
Examples:
  audio-edition sounds preview                 # intro.mp3, sting.mp3, section.mp3, outro.mp3, bed.mp3
  audio-edition sounds preview bed --out /tmp  # only the bed (20 s, looped and faded like in an episode)
  audio-edition sounds preview --voices voices/mammam-ia.toml
"""
BED_PREVIEW = 20.0  # seconds


@click.group("sounds")
def sounds() -> None:
    """The show's sound identity: theme (intro), stings, section sting, outro and music bed."""


@sounds.command("preview", epilog=EPILOG)
@click.argument("roles", nargs=-1, type=click.Choice(SOUND_ROLES), metavar="[ROLE]...")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Directory that receives one <role>.mp3 per role.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Show config (TOML) whose [sound] is previewed. Default: ./audio-edition.toml if present.")
@click.option("--voices", "voices_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Voice profile whose [sound] table is previewed (the config's [sound] keys win).")
def preview(roles, out_dir, config_path, voices_file):
    """Write a sample of each sound ROLE (default: all) as an MP3, at the level it has in an episode.

    ROLE is intro, sting, section, outro or bed. Without a [sound] file for a role, the
    default kit (generated, the same for every build) is written.
    """
    from .casting import resolve_profile
    from .fsutil import atomic_path, check_writable_dir
    from .mix import MixSettings, render_mp3
    from .sound.library import load_show_sound
    from .sound.settings import merged, resolve_files
    from .timeline import Placement, Timeline

    try:
        config = load_config(config_path)
        profile = resolve_profile(voices_file, config, config.show.language)
        base = config.path.parent if config.path is not None else None
        section = merged(profile.sound, resolve_files(config.sound, base), config.raw)
        settings = MixSettings(channels=2, loudness=section.loudness_stereo, true_peak=section.true_peak,
                               bitrate=section.bitrate_stereo)
        show = load_show_sound(section, loudness=settings.loudness, music=True)
        out = check_writable_dir(out_dir)
        for role in roles or SOUND_ROLES:
            cue = show.cues.get(role)
            if cue is None:
                click.echo(f"{role}: turned off in [sound]", err=True)
                continue
            length = BED_PREVIEW if role == "bed" else cue.duration + 0.5
            kind = {"intro": "jingle", "outro": "jingle", "bed": "bed"}.get(role, "sting")
            fade_in = cue.fade_in if role == "bed" else 0.0
            p = Placement(kind, 0.0, round(min(length, cue.duration if role != "bed" else length) * 44100) / 44100,
                          source=cue.source, gain=cue.gain, role=role, fade_in=fade_in,
                          fade_out=min(cue.fade_out, cue.duration))
            tl = Timeline(placements=(p,), duration=round(length * 44100) / 44100)
            path = out / f"{role}.mp3"
            with atomic_path(path) as tmp:
                render_mp3(tl, tmp, settings, show.samples, loop_crossfade=show.loop_crossfade)
            click.echo(f"{path}  ({role}: {cue.source}, {tl.duration:.1f} s, gain {cue.gain:+g} dB)")
    except AudioEditionError as exc:
        from .cli import fail

        fail(exc)
