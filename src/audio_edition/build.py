"""One build: SOURCE(s) → episodes under ``--out`` and an updated ``feed.xml``.

The only module that knows the pipeline order:
sources → parse → script (normalize) → engines (cache in front) → mix → tags, chapters,
transcript → episode.json → feed. Every final file is written atomically, the episode's
``episode.json`` last (the feed only lists episodes that have one), so a build that dies
half-way leaves the previous feed and episodes intact; the segment cache makes the next
run resume where this one stopped.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, cover, fsutil, sources, staging
from .casting import VoiceProfile, jobs_for_segments, resolve_profile
from .config import ShowConfig
from .engines import ENGINES
from .engines.runner import DEFAULT_CONCURRENCY, SegmentAudio, check_concurrency, summarize, synthesize_all
from .episode import (
    RECORD,
    TRANSCRIPTS,
    Episode,
    EpisodeRecordError,
    SegmentRecord,
    SkippedRecord,
    load_episode,
    scan_episodes,
)
from .errors import UsageError
from .feed import episode_url, write_feed
from .fsutil import atomic_path, atomic_write_bytes, atomic_write_text, check_writable_dir, episode_slug
from .models import Issue, Script
from .normalize import check_speakable
from .parse import parse_issue
from .script import build_script
from .site import write_site
from .sound.settings import decoded_before, key_of, merged, resolve_files, sound_material
from .tags import Chapter, write_tags
from .timeline import Timeline, produced_timeline
from .transcripts import to_html, to_srt, to_vtt, written_cues

if TYPE_CHECKING:
    from .config import SoundSection
    from .mix import MixSettings
    from .sound.library import ShowSound

build_lock = staging.build_lock  # the lock of --out: PID, host and start time; a stale one is taken over

class Reporter:
    """Progress sink; the CLI passes a rich implementation, the library default is silent."""

    def stage(self, name: str, total: int | None = None) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def log(self, message: str) -> None: ...
    def close(self) -> None: ...


@dataclass
class BuildOptions:
    out_dir: Path
    engine: str | None = None  # None: the voice profile's engine
    base_url: str | None = None
    config: ShowConfig = field(default_factory=ShowConfig)
    voices_file: Path | None = None  # --voices: a voice profile (TOML)
    fallback_engine: str | None = None  # synthesize a failing segment with this engine instead
    concurrency: int = DEFAULT_CONCURRENCY
    strict: bool = False
    engine_options: dict | None = None  # passed to the engines (deadlines, attempts, backoff)
    latest: int | None = None  # feed sources: only the newest N issues
    since: str | None = None  # only issues published on or after this YYYY-MM-DD
    force: bool = False  # re-render episodes that are up to date (new voice, new sound kit); guids are kept
    publish: str | None = None  # after the feed: publish --out to s3://BUCKET/PREFIX or a directory
    endpoint_url: str | None = None  # S3-compatible endpoint for publish
    music: bool = True  # False (--no-music): a voice-only mono mix
    quality_gate: bool = True  # False (--no-quality-gate): a failed check is a warning


@dataclass
class EpisodeResult:
    slug: str
    title: str
    mp3: Path
    duration: float
    summary: str  # "18 segments: 17 cached, 1 synthesized, 0 fallbacks, 0 retries"
    up_to_date: bool = False


# --- build -------------------------------------------------------------------------------

def default_base_url(out_dir: Path) -> str:
    return out_dir.resolve().as_uri() + "/"


@dataclass
class Prepared:
    """An issue read, parsed and scripted, with the voices that will read it."""

    issue: Issue
    script: Script
    profile: VoiceProfile
    engine: str


def load_scripts(source_args: list[str], config: ShowConfig, engine_name: str | None = None,
                 voices_file: Path | None = None, *, latest: int | None = None,
                 since: str | None = None) -> list[Prepared]:
    """Read, parse and script every source before anything is written: bad input fails early."""
    issues: list[Issue] = []
    for s in source_args:
        issues.extend(sources.load(s, latest=latest, since=since))
    out = []
    for issue in issues:
        doc = parse_issue(issue, read_captions=config.show.read_captions, read_sponsors=config.show.read_sponsors,
                          default_language=config.show.language)
        if since and doc.published and doc.published < since[:10]:
            continue  # the date was only known once parsed
        profile = resolve_profile(voices_file, config, doc.language or config.show.language)
        engine = engine_name or profile.engine
        script = build_script(doc, config, voice_for=profile.voice_for(engine), lexicon=profile.lexicon,
                              source=issue.source)
        out.append(Prepared(issue=issue, script=script, profile=profile, engine=engine))
    return out


def build(source_args: list[str], options: BuildOptions, reporter: Reporter | None = None) -> list[EpisodeResult]:
    reporter = reporter or Reporter()
    check_concurrency(options.concurrency)
    for name in (options.engine, options.fallback_engine):
        if name is not None and name not in ENGINES:
            raise UsageError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    prepared = load_scripts(source_args, options.config, options.engine, options.voices_file,
                            latest=options.latest, since=options.since)
    if options.strict:
        for item in prepared:
            check_speakable(item.script.segments, item.script.language)
    if options.publish:
        from .publish import destination

        destination(options.publish, options.endpoint_url)  # a bad DEST fails before the build, not after
    out_dir = check_writable_dir(options.out_dir)
    base_url = options.base_url or options.config.show.base_url or default_base_url(out_dir)
    results = []
    with build_lock(out_dir) as lock, fsutil.os_errors(out_dir):
        if lock.stale is not None:
            reporter.log(f"took over the lock of a build that is gone ({lock.stale.describe()})")
        for note in staging.recover(out_dir):
            reporter.log(note)
        for item in prepared:
            # rendered whole in .audio-edition/staging/<slug>/, then renamed into episodes/
            slug = episode_slug(item.script.title, item.script.published)
            needs = staging.estimate_bytes(sum(len(s.spoken or s.text) for s in item.script.segments),
                                           len(item.script.segments), _bitrate(options))
            staging.check_space(out_dir, needs, f"episode {slug}")
            with staging.staged(out_dir, slug, needs) as stage:
                result = _build_episode(item, options, out_dir, base_url, reporter, stage.dir)
                if not result.up_to_date:
                    stage.commit()
            results.append(result)
        reporter.stage("feed")
        write_feed(out_dir, options.config, base_url)
        for problem in scan_episodes(out_dir)[1]:
            reporter.log(f"warning: {problem} (left out of the feed)")
        write_site(out_dir, options.config, base_url)
        if options.publish:
            from .publish import publish

            reporter.stage("publish")
            done = publish(out_dir, options.publish, endpoint_url=options.endpoint_url,
                           on_progress=lambda *_: reporter.advance())
            reporter.log(done.summary())
    return results


def _build_episode(item: Prepared, options: BuildOptions, out_dir: Path, base_url: str,
                   reporter: Reporter, dest: Path | None = None) -> EpisodeResult:
    """Render one episode's files into ``dest`` (its staging directory; default: in place)."""
    issue, script = item.issue, item.script
    config = options.config
    slug = episode_slug(script.title, script.published)
    cache_dir = fsutil.cache_dir(out_dir)
    render = _render_settings(item, options, cache_dir)  # bad sound files or cover fail before any work
    reporter.stage(f"voices: {script.title[:50]}", total=len(script.segments))
    jobs = jobs_for_segments(script.segments, item.profile, item.engine, options.fallback_engine)
    beside = _Beside(render)
    try:
        synth = synthesize_all(jobs, engine_name=item.engine, cache_dir=cache_dir, concurrency=options.concurrency,
                               fallback_engine=options.fallback_engine,
                               engine_options={**(options.engine_options or {}), "lexicon": item.profile.lexicon},
                               on_progress=lambda done, total, seg: reporter.advance(), on_work=beside.start)
    finally:
        beside.join()
    summary = summarize(synth)
    fell_back = [r for r in synth if r.fallback]
    if fell_back:  # said once per episode, not once per segment
        reporter.log(f"warning: {len(fell_back)} of {len(synth)} segments spoken by {options.fallback_engine} "
                     f"instead of {item.engine} ({(fell_back[0].fallback_reason or '')[:160]})")

    ep_dir = out_dir / "episodes" / slug
    dest = dest or ep_dir
    mix_key = _mix_key(script, synth, config, render.key)
    previous = None if options.force else _up_to_date(ep_dir, mix_key)
    if previous is not None:
        _write_cover(out_dir, render.cover)
        reporter.log(f"{slug}: {summary}; audio unchanged")
        return EpisodeResult(slug=slug, title=script.title, mp3=ep_dir / previous.audio,
                             duration=previous.duration, summary=summary, up_to_date=True)
    from . import mix, quality  # numpy and scipy: only when an episode is mixed

    timeline = produced_timeline(script, [r.duration for r in synth], [r.audio_path for r in synth],
                                 render.sound.cues, pause=config.audio.pause_ms / 1000, sample_rate=mix.MIX_RATE)
    mp3_name = f"{slug}.mp3"
    chapters = chapters_from(script, timeline)
    reporter.stage("mix and encode", total=len(synth))
    with atomic_path(dest / mp3_name) as tmp_mp3:
        mixed = mix.render_mp3(timeline, tmp_mp3, render.mix, render.sound.samples,
                               loop_crossfade=render.sound.loop_crossfade, on_segment=lambda _i: reporter.advance())
        write_tags(tmp_mp3, title=script.title, show=_show_name(script, config), date=script.published,
                   language=script.language, chapters=chapters, url=script.url, cover=render.embedded_cover,
                   comment="Édition audio générée par audio-edition" if script.language == "fr" else
                   "Audio edition generated by audio-edition")
        gate = quality.check(script, timeline, mixed, tmp_mp3, loudness=render.mix.loudness,
                             tolerance=render.tolerance, true_peak=render.mix.true_peak,
                             bitrate=render.mix.bitrate)
        if not gate.passed:
            if options.quality_gate:
                with contextlib.suppress(OSError):  # a new episode's directory leaves with its MP3
                    tmp_mp3.unlink()
                    ep_dir.rmdir()
                more = f" (and {len(gate.problems) - 1} more)" if len(gate.problems) > 1 else ""
                raise quality.QualityError(f"{slug}: quality gate: {gate.problems[0]}" + more)
            for problem in gate.problems:
                reporter.log(f"warning: {slug}: {problem}")
        duration = gate.figures["duration"]
    _write_cover(out_dir, render.cover)

    reporter.stage("transcript and chapters")
    voices = {p.segment: p for p in timeline.voices()}
    placed = [voices[i] for i in range(len(synth))]
    cue_list = written_cues(script.segments, placed, synth, item.profile.lexicon)  # the newsletter's words
    atomic_write_text(dest / TRANSCRIPTS["text/vtt"], to_vtt(cue_list))
    atomic_write_text(dest / TRANSCRIPTS["application/x-subrip"], to_srt(cue_list))
    atomic_write_text(dest / TRANSCRIPTS["text/html"], to_html(
        script.title, script.language, _show_name(script, config), script.published,
        [(seg.role, seg.title, seg.text, voices[i].start, seg.url) for i, seg in enumerate(script.segments)]))
    chapters_doc = {"version": "1.2.0", "chapters": [c.to_dict() for c in chapters]}
    atomic_write_text(dest / "chapters.json", json.dumps(chapters_doc, ensure_ascii=False, indent=2))
    episode = Episode(
        slug=slug,
        title=script.title,
        guid=_guid(ep_dir, slug),
        number=_number(ep_dir, out_dir),
        show=_show_name(script, config),
        date=script.published,
        language=script.language,
        source=issue.source,
        source_kind=issue.feed_meta.get("source_kind", "file"),
        url=script.url,
        audio=mp3_name,
        audio_url=episode_url(base_url, slug, mp3_name),
        duration=round(duration, 3),
        loudness_lufs=gate.figures["loudness_lufs"],  # measured while mixing, less the codec's loss
        true_peak_dbtp=gate.figures["true_peak_dbtp"],
        size=(dest / mp3_name).stat().st_size,
        channels=render.mix.channels,
        bitrate=render.mix.bitrate,
        quality=gate.figures,
        engine=item.engine,
        fallback_engine=options.fallback_engine,
        voice_profile=item.profile.source,
        voices=tuple(sorted({r.voice for r in synth})),
        report=summary,
        built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        generator=f"audio-edition {__version__}",
        mix_key=mix_key,
        summary=_summary(script),
        segments=tuple(
            SegmentRecord(role=seg.role, title=seg.title, start=round(voices[i].start, 3),
                          end=round(voices[i].end, 3), url=seg.url, **r.report())
            for i, (seg, r) in enumerate(zip(script.segments, synth, strict=False))),
        skipped=tuple(SkippedRecord(kind=s.kind, text=s.text) for s in script.skipped),
        synthesis=dict(getattr(synth, "synthesis", {})),
    )
    atomic_write_text(dest / RECORD, episode.to_json())
    reporter.log(f"{slug}: {summary}; {duration / 60:.1f} min")
    return EpisodeResult(slug=slug, title=script.title, mp3=ep_dir / mp3_name, duration=duration, summary=summary)


@dataclass
class RenderSettings:
    """How an episode is rendered: its sounds, mix settings and cover (all known before synthesis).

    ``key`` is computed from the settings, the sound kit's version and the files' hashes
    alone; the samples (``sound``) and the mixer's settings (``mix``: numpy, scipy) are loaded
    only when an episode is mixed, so a warm rebuild imports and decodes none of it.
    """

    section: SoundSection
    music: bool
    cache_dir: Path
    channels: int
    loudness: float
    true_peak: float
    bitrate: str
    duck: float
    tolerance: float
    art: cover.Artwork
    key: str

    @property
    def cover(self) -> bytes:  # JPEG written as cover.jpg beside feed.xml
        return self.art.jpeg

    @property
    def embedded_cover(self) -> bytes:  # the APIC frame's JPEG
        return self.art.embedded

    @functools.cached_property
    def mix(self) -> MixSettings:
        from . import mix

        return mix.MixSettings(channels=self.channels, loudness=self.loudness, true_peak=self.true_peak,
                               bitrate=self.bitrate, duck=self.duck)

    @functools.cached_property
    def sound(self) -> ShowSound:
        from .sound.library import load_show_sound

        return load_show_sound(self.section, loudness=self.loudness, cache_dir=self.cache_dir, music=self.music)


class _Beside:
    """The mixer made ready in a thread while the requests stream (an online engine waits on the
    network most of the time): numpy and scipy imported, the sound kit loaded, the APIC cover
    made. Started only when there is something to synthesize, so a warm rebuild loads none of it.
    What fails here is done again, and reported, where it is used."""

    def __init__(self, render: RenderSettings) -> None:
        self.render = render
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="prepare-mix", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        with contextlib.suppress(Exception):
            from . import mix, quality  # noqa: F401 - imported for the mix that follows
            self.render.mix  # noqa: B018 - cached on the settings
            self.render.sound  # noqa: B018
            self.render.embedded_cover  # noqa: B018

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()


def _bitrate(options: BuildOptions) -> str:
    """The MP3 bitrate an episode is encoded at (for the disk estimate before rendering)."""
    sound = options.config.sound
    return sound.bitrate_stereo if options.music and sound.enabled else sound.bitrate_mono


def _render_settings(item: Prepared, options: BuildOptions, cache_dir: Path) -> RenderSettings:
    config = options.config
    base = config.path.parent if config.path is not None else None
    section = merged(item.profile.sound, resolve_files(config.sound, base), config.raw)
    music = options.music and section.enabled
    channels = 2 if music else 1
    loudness = section.loudness_stereo if music else section.loudness_mono
    legacy = "bitrate" in (config.raw.get("audio") or {})  # [audio] bitrate predates [sound]
    bitrate = section.bitrate_stereo if music else (config.audio.bitrate if legacy else section.bitrate_mono)
    material = sound_material(section, loudness=loudness, music=music)  # a missing sound file fails here
    art = cover.Artwork(config.show.image, _show_name(item.script, config), config.resolve, cache_dir)
    key = hashlib.sha256(json.dumps([key_of(material), [channels, loudness, section.true_peak, bitrate, section.duck],
                                     section.tolerance, art.digest]).encode()).hexdigest()
    render = RenderSettings(section=section, music=music, cache_dir=cache_dir, channels=channels, loudness=loudness,
                            true_peak=section.true_peak, bitrate=bitrate, duck=section.duck,
                            tolerance=section.tolerance, art=art, key=key)
    if not decoded_before(material, cache_dir):
        render.sound  # noqa: B018 - a sound file no build has decoded yet is checked before any work
    return render


def _write_cover(out_dir: Path, jpeg: bytes) -> None:
    """``cover.jpg`` beside ``feed.xml``: the show artwork the feed points at (rewritten only when it changes)."""
    path = out_dir / cover.COVER_NAME
    try:
        if path.read_bytes() == jpeg:
            return
    except OSError:
        pass
    atomic_write_bytes(path, jpeg)


def _guid(ep_dir: Path, slug: str) -> str:
    """The episode's guid: the one it already has, so a rebuild never changes it."""
    try:
        return load_episode(ep_dir / RECORD).guid
    except EpisodeRecordError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, slug))


def _number(ep_dir: Path, out_dir: Path) -> int:
    """itunes:episode: the number it already has, else one more than the show's highest."""
    try:
        number = load_episode(ep_dir / RECORD).number
        if number is not None:
            return number
    except EpisodeRecordError:
        pass
    others = [s.episode for s in scan_episodes(out_dir)[0] if s.directory != ep_dir]
    return max([len(others)] + [e.number for e in others if e.number is not None]) + 1


def _mix_key(script: Script, synth: list[SegmentAudio], config, render_key: str = "") -> str:
    """Everything the episode's audio, tags and texts depend on: unchanged key, unchanged files."""
    material = json.dumps({
        "version": __version__,
        "segments": [[s.role, s.title, s.url, Path(r.audio_path).name]
                     for s, r in zip(script.segments, synth, strict=False)],
        "title": script.title, "date": script.published, "url": script.url, "show": config.show.name,
        "audio": [config.audio.pause_ms, config.audio.bitrate],
        "record": 3,  # episode.json v3: true peak, channels, cover, quality figures
        "render": render_key,  # sound kit and files, loudness, channels, bitrate, cover
        "skipped": [[k.kind, k.text] for k in script.skipped],
    }, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _up_to_date(ep_dir: Path, mix_key: str) -> Episode | None:
    try:
        previous = load_episode(ep_dir / RECORD)
        mp3 = ep_dir / previous.audio
        outputs = [previous.chapters, *TRANSCRIPTS.values()]
        if previous.mix_key == mix_key and mp3.stat().st_size == previous.size and all(
                (ep_dir / name).is_file() for name in outputs):
            return previous
    except (OSError, EpisodeRecordError):
        pass
    return None


def _show_name(script: Script, config: ShowConfig) -> str:
    return config.show.name or script.publication or script.title


def _summary(script: Script) -> str:
    stories = [s.title for s in script.segments if s.role in ("story", "section")]
    head = "Au sommaire : " if script.language == "fr" else "In this episode: "
    return head + " ; ".join(stories) if stories else script.title


def chapters_from(script: Script, timeline: Timeline) -> list[Chapter]:
    """One chapter per intro, story, section and outro, from the timeline.

    A chapter starts where the first placement that belongs to it starts (its sting or the
    transition announcing it) and ends where the next one starts; the first starts at 0 and
    the last ends with the episode.
    """
    starts: dict[int, float] = {}
    for p in timeline.placements:
        if p.story is not None and p.story not in starts:
            starts[p.story] = p.start
    order = sorted(starts, key=lambda i: starts[i])
    chapters: list[Chapter] = []
    for n, i in enumerate(order):
        seg = script.segments[i]
        start = 0.0 if n == 0 else starts[i]
        end = starts[order[n + 1]] if n + 1 < len(order) else timeline.duration
        chapters.append(Chapter(seg.title, start, end, seg.url, seg.role))
    return chapters
