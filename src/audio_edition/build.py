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
import fcntl
import hashlib
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import __version__, mix, sources
from .casting import VoiceProfile, jobs_for_segments, resolve_profile
from .config import ShowConfig
from .engines import ENGINES
from .engines.runner import DEFAULT_CONCURRENCY, SegmentAudio, check_concurrency, summarize, synthesize_all
from .errors import AudioError, OutputError, UsageError
from .feed import episode_url, write_feed
from .fsutil import atomic_path, atomic_write_text, check_writable_dir, episode_slug
from .models import Issue, Script
from .normalize import check_speakable
from .parse import parse_issue
from .script import build_script
from .tags import Chapter, write_tags
from .transcripts import to_html, to_srt, to_vtt, written_cues

STATE_DIR = ".audio-edition"
TRANSCRIPTS = {"text/vtt": "transcript.vtt", "application/x-subrip": "transcript.srt", "text/html": "transcript.html"}

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


@dataclass
class EpisodeResult:
    slug: str
    title: str
    mp3: Path
    duration: float
    summary: str  # "18 segments: 17 cached, 1 synthesized, 0 fallbacks, 0 retries"
    up_to_date: bool = False


# --- build -------------------------------------------------------------------------------

@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    state = out_dir / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    fh = open(state / "lock", "w")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"another build is running in {out_dir} (lock: {state / 'lock'})") from None
        yield
    finally:
        fh.close()


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
    out_dir = check_writable_dir(options.out_dir)
    base_url = options.base_url or options.config.feed.base_url or default_base_url(out_dir)
    results = []
    with build_lock(out_dir):
        for item in prepared:
            results.append(_build_episode(item, options, out_dir, base_url, reporter))
        reporter.stage("feed")
        write_feed(out_dir, options.config, base_url)
    return results


def _build_episode(item: Prepared, options: BuildOptions, out_dir: Path, base_url: str,
                   reporter: Reporter) -> EpisodeResult:
    issue, script = item.issue, item.script
    config = options.config
    slug = episode_slug(script.title, script.published)
    cache_dir = out_dir / STATE_DIR / "cache"
    reporter.stage(f"voices: {script.title[:50]}", total=len(script.segments))
    jobs = jobs_for_segments(script.segments, item.profile, item.engine, options.fallback_engine)
    synth = synthesize_all(jobs, engine_name=item.engine, cache_dir=cache_dir, concurrency=options.concurrency,
                           fallback_engine=options.fallback_engine,
                           engine_options={**(options.engine_options or {}), "lexicon": item.profile.lexicon},
                           on_progress=lambda done, total, seg: reporter.advance())
    summary = summarize(synth)

    ep_dir = out_dir / "episodes" / slug
    mix_key = _mix_key(script, synth, config)
    previous = _up_to_date(ep_dir, mix_key)
    if previous is not None:
        reporter.log(f"{slug}: {summary}; audio unchanged")
        return EpisodeResult(slug=slug, title=script.title, mp3=ep_dir / previous["audio"],
                             duration=previous["duration"], summary=summary, up_to_date=True)
    work = Path(tempfile.mkdtemp(prefix="mix-", dir=out_dir / STATE_DIR))
    try:
        reporter.stage("mix", total=len(synth))
        placed = mix.concatenate([r.audio_path for r in synth], work / "episode.wav",
                                 pause_ms=config.audio.pause_ms, on_segment=lambda _i: reporter.advance())
        reporter.stage("encode")
        expected = placed[-1].end if placed else 0.0
        mp3_name = f"{slug}.mp3"
        chapters = _chapters(script, placed)
        with atomic_path(ep_dir / mp3_name) as tmp_mp3:
            measured = mix.encode_mp3(work / "episode.wav", tmp_mp3, bitrate=config.audio.bitrate)
            duration = measured.duration
            if duration < expected:
                raise AudioError(f"encoded MP3 is truncated: {duration:.1f}s for {expected:.1f}s of audio")
            write_tags(tmp_mp3, title=script.title, show=_show_name(script, config), date=script.published,
                       language=script.language, chapters=chapters, url=script.url,
                       comment="Édition audio générée par audio-edition" if script.language == "fr" else
                       "Audio edition generated by audio-edition")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    reporter.stage("transcript and chapters")
    cue_list = written_cues(script.segments, placed, synth, item.profile.lexicon)  # the newsletter's words
    atomic_write_text(ep_dir / TRANSCRIPTS["text/vtt"], to_vtt(cue_list))
    atomic_write_text(ep_dir / TRANSCRIPTS["application/x-subrip"], to_srt(cue_list))
    atomic_write_text(ep_dir / TRANSCRIPTS["text/html"], to_html(
        script.title, script.language, _show_name(script, config), script.published,
        [(seg.role, seg.title, seg.text, p.start, seg.url) for seg, p in zip(script.segments, placed)]))
    chapters_doc = {"version": "1.2.0", "chapters": [c.to_dict() for c in chapters]}
    atomic_write_text(ep_dir / "chapters.json", json.dumps(chapters_doc, ensure_ascii=False, indent=2))
    episode = {
        "slug": slug,
        "title": script.title,
        "show": _show_name(script, config),
        "date": script.published,
        "language": script.language,
        "source": issue.source,
        "source_kind": issue.feed_meta.get("source_kind", "file"),  # file | url | feed | email
        "url": script.url,
        "audio": mp3_name,
        "audio_url": episode_url(base_url, slug, mp3_name),
        "transcript": "transcript.vtt",
        "transcripts": TRANSCRIPTS,
        "chapters": "chapters.json",
        "duration": round(duration, 3),
        "loudness_lufs": round(measured.loudness, 1),
        "size": (ep_dir / mp3_name).stat().st_size,
        "engine": item.engine,
        "fallback_engine": options.fallback_engine,
        "voice_profile": item.profile.source,
        "voices": sorted({r.voice for r in synth}),
        "report": summary,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "generator": f"audio-edition {__version__}",
        "mix_key": mix_key,
        "summary": _summary(script),
        "segments": [
            {"role": seg.role, "title": seg.title, "start": round(p.start, 3), "end": round(p.end, 3),
             **r.report(), **({"url": seg.url} if seg.url else {})}
            for seg, p, r in zip(script.segments, placed, synth)
        ],
        "skipped": [{"kind": s.kind, "text": s.text} for s in script.skipped],
    }
    atomic_write_text(ep_dir / "episode.json", json.dumps(episode, ensure_ascii=False, indent=2))
    reporter.log(f"{slug}: {summary}; {duration / 60:.1f} min")
    return EpisodeResult(slug=slug, title=script.title, mp3=ep_dir / mp3_name, duration=duration, summary=summary)


def _mix_key(script: Script, synth: list[SegmentAudio], config) -> str:
    """Everything the episode's audio, tags and texts depend on: unchanged key, unchanged files."""
    material = json.dumps({
        "version": __version__,
        "segments": [[s.role, s.title, s.url, Path(r.audio_path).name] for s, r in zip(script.segments, synth)],
        "title": script.title, "date": script.published, "url": script.url, "show": config.show.name,
        "audio": [config.audio.pause_ms, config.audio.bitrate],
        "skipped": [[k.kind, k.text] for k in script.skipped],
    }, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _up_to_date(ep_dir: Path, mix_key: str) -> dict | None:
    try:
        previous = json.loads((ep_dir / "episode.json").read_text(encoding="utf-8"))
        mp3 = ep_dir / previous["audio"]
        outputs = [previous["chapters"], *TRANSCRIPTS.values()]
        if previous.get("mix_key") == mix_key and mp3.stat().st_size == previous["size"] and all(
                (ep_dir / name).is_file() for name in outputs):
            return previous
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _show_name(script: Script, config: ShowConfig) -> str:
    return config.show.name or script.publication or script.title


def _summary(script: Script) -> str:
    stories = [s.title for s in script.segments if s.role in ("story", "section")]
    head = "Au sommaire : " if script.language == "fr" else "In this episode: "
    return head + " ; ".join(stories) if stories else script.title


def _chapters(script: Script, placed: list) -> list[Chapter]:
    """One chapter per intro, story, section and outro; a transition opens the chapter it announces."""
    chapters: list[Chapter] = []
    pending_start = None
    for seg, p in zip(script.segments, placed):
        if seg.role == "transition":
            pending_start = p.start if pending_start is None else pending_start
            continue
        start = pending_start if pending_start is not None else p.start
        pending_start = None
        if chapters:
            prev = chapters[-1]
            chapters[-1] = Chapter(prev.title, prev.start, start, prev.url, prev.role)
        chapters.append(Chapter(seg.title, start, p.end, seg.url, seg.role))
    if chapters and placed:
        last = chapters[-1]
        chapters[-1] = Chapter(last.title, last.start, placed[-1].end, last.url, last.role)
    if chapters:
        first = chapters[0]
        chapters[0] = Chapter(first.title, 0.0, first.end, first.url, first.role)
    return chapters
