"""``Document`` → ``Script``: the spoken segments of an episode.

Intro (welcome, greeting, intro, table of contents), then for each story a varying
transition and the story with its title announced, then the extra sections, then an outro
naming the show. Wording comes from per-language templates (``data/templates/<lang>.toml``)
that a show can override in its config under ``[templates]``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Any

from .casting import SEGMENT_ROLE
from .config import ShowConfig
from .errors import ConfigError
from .models import Document, Script, Segment, Skipped, Story
from .normalize import normalize_with_map
from .normalize.spans import SpanMap


@lru_cache(maxsize=8)
def _builtin_templates(lang: str) -> dict[str, Any]:
    base = resources.files("audio_edition") / "data" / "templates"
    path = base / f"{lang}.toml"
    if not path.is_file():
        path = base / "en.toml" if lang != "fr" else base / "fr.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def templates_for(lang: str, config: ShowConfig | None = None, cadence: str | None = None) -> dict[str, Any]:
    """Built-in templates of ``lang``, then their wording for the issue's ``cadence`` when it is
    not weekly ([cadence.daily], [cadence.monthly], [cadence.other]), then the show's own."""
    t = dict(_builtin_templates(lang))
    if cadence and cadence != "weekly":
        variants = t.get("cadence", {})
        t.update(variants.get(cadence) or variants.get("other", {}))
    if config is not None:
        overrides = config.raw.get("templates", {})
        if isinstance(overrides, dict):
            # [templates] applies to every language, [templates.<lang>] to one, and wins
            t.update({k: v for k, v in overrides.items() if not isinstance(v, dict)})
            if isinstance(overrides.get(lang), dict):
                t.update(overrides[lang])
    return t


def spoken_date(iso: str | None, t: dict[str, Any]) -> str | None:
    if not iso or len(iso) < 10:
        return None
    try:
        year, month, day = int(iso[0:4]), int(iso[5:7]), int(iso[8:10])
        month_name = t["months"][month - 1]
    except (ValueError, IndexError, KeyError):
        return None
    day_s = "1er" if day == 1 and t.get("months", [""])[0] == "janvier" else str(day)
    return t["date_format"].format(day=day_s, month=month_name, year=year)


def _pick(options: Any, n: int) -> str:
    if isinstance(options, list):
        return options[n % len(options)] if options else ""
    return str(options)


def story_text(story: Story) -> str:
    """The written text of a story: its blocks, sub-headings kept as "Label : text"."""
    return "\n".join(b.full_text() for b in story.blocks)


def _sentence(text: str) -> str:
    """End a block with punctuation so the voice pauses before the next one."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…:;»”\"。！？」" else text + "."


SPOKEN_LANGUAGES = ("fr", "en")  # languages with templates, normalizer rules and voices in the built-in profiles


def _foreign(story: Story, t: dict[str, Any] | None) -> Story:
    """A passage in a language the show cannot voice (not in ``SPOKEN_LANGUAGES``) is announced in
    one sentence of the show's language ("Un passage en chinois, qui n’est pas lu.") instead."""
    if t is None or not any(b.language and b.language not in SPOKEN_LANGUAGES for b in story.blocks):
        return story
    names = t.get("language_names", {})
    blocks = tuple(replace(b, text=t.get("foreign_passage", "").format(language=names.get(b.language, b.language)),
                           label=None, language=None)
                   if b.language and b.language not in SPOKEN_LANGUAGES else b for b in story.blocks)
    return replace(story, blocks=blocks)


def _spoken_blocks(story: Story) -> list[str]:
    parts = []
    for b in story.blocks:
        if b.label:
            label = b.label.rstrip(" .:")
            label = label if label.endswith(("?", "!")) else label + "."
            parts.append(f"{label} {_sentence(b.text)}" if b.text else label)
        else:
            parts.append(_sentence(b.text))
    return parts


def _spoken_story(story: Story) -> str:
    return "\n".join([_sentence(story.title.rstrip(" :"))] + _spoken_blocks(story))


# French articles contract after "de" and "à": "l’édition audio de Le Chaînon" → "du Chaînon"
_FR_CONTRACTIONS = {"de le ": "du ", "de les ": "des ", "à le ": "au ", "à les ": "aux "}
_FR_CONTRACT = re.compile(r"\b(de|à) (le|les) (?=[A-ZÀ-Ý])", re.I)


_DOUBLE_STOP = re.compile(r"([!?.…])\.")


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


# a title that opens with an article is lower-cased after a comma; a name ("Google Maps") is not
_ARTICLE_START = re.compile(r"^(?:Le|La|Les|L['’]|Un|Une|Des|Du|Notre|Nos|The|A|An|Our)(?=\s|(?<=['’]))")


def _fmt(t: dict[str, Any], key: str, turn: int = 0, /, **fields: Any) -> str:
    """Template ``key`` (a string, or alternatives picked in turn by ``n``) with ``fields``;
    a show's override naming an unknown placeholder is a config error, not a crash."""
    try:
        pattern = _pick(t[key], turn)
    except KeyError:
        raise ConfigError(f"templates.{key}: missing from the templates") from None
    story = fields.get("story")
    if story and re.search(r",\s*\{story\}", pattern):  # "Et maintenant, l'outil de la semaine"
        fields = {**fields, "story": _ARTICLE_START.sub(lambda m: m.group(0).lower(), story)}
    try:
        text = _DOUBLE_STOP.sub(r"\1", pattern.format_map(_Fields(fields)))  # "C'était Salut !." → "Salut !"
        return _FR_CONTRACT.sub(lambda m: _FR_CONTRACTIONS[m.group(0).lower()], text) if fields.get("_fr") else text
    except KeyError as exc:
        raise ConfigError(f"templates.{key}: unknown placeholder {{{exc.args[0]}}} "
                          f"(known: {', '.join('{' + k + '}' for k in fields if not k.startswith('_'))})") from None
    except (ValueError, IndexError) as exc:
        raise ConfigError(f"templates.{key}: {exc}") from None


def build_script(
    doc: Document,
    config: ShowConfig | None = None,
    *,
    voice_for: Callable[[str], str] | None = None,
    lexicon=None,
    source: str | None = None,
) -> Script:
    """The episode's script with ``spoken`` normalized: ``draft_script`` then ``speak``."""
    return speak(draft_script(doc, config, voice_for=voice_for, source=source), lexicon)


def speak(script: Script, lexicon=None) -> Script:
    """The normalize stage over a whole script: each segment's reading text → what the voice says
    (with its span map, so captions show the reading text's own words), in the segment's language;
    a line in another language (``Segment.passages``) is normalized in its own."""
    segments = []
    for seg in script.segments:
        lang = seg.language or script.language
        lines = seg.spoken.split("\n")
        if seg.passages and len(seg.passages) == len(lines) and any(p and p != lang for p in seg.passages):
            spoken, spans = _normalize_lines(lines, [p or lang for p in seg.passages], lexicon)
        else:
            spoken, spans = normalize_with_map(seg.spoken, lang, lexicon)
        segments.append(replace(seg, spoken=spoken, spans=spans))
    return replace(script, segments=tuple(segments))


def _normalize_lines(lines: list[str], langs: list[str], lexicon=None):
    """Normalize each line in its language; one span map over the whole, lines joined by "\n"."""
    spoken_parts: list[str] = []
    pieces: list = []
    w_off = s_off = 0
    for k, (line, lang) in enumerate(zip(lines, langs, strict=False)):
        if k:
            pieces.append((s_off, s_off + 1, w_off, w_off + 1, True))
            spoken_parts.append("\n")
            w_off, s_off = w_off + 1, s_off + 1
        spoken, spans = normalize_with_map(line, lang, lexicon)
        pieces.extend((cs + s_off, ce + s_off, ws + w_off, we + w_off, c) for cs, ce, ws, we, c in spans.pieces)
        spoken_parts.append(spoken)
        w_off += len(line)
        s_off += len(spoken)
    spoken = "".join(spoken_parts)
    return spoken, SpanMap("\n".join(lines), spoken, tuple(pieces))


def _languages(story: Story, lang: str, with_title: bool) -> tuple[str | None, tuple[str | None, ...]]:
    """(segment language, language per spoken line) of a story: the segment takes the language
    most of its words are in; a line keeps its own when it differs from the segment's."""
    words: dict[str, int] = {}
    for b in story.blocks:
        key = b.language or lang
        words[key] = words.get(key, 0) + len(b.full_text().split())
    if not words or all(b.language is None for b in story.blocks):
        return None, ()
    main = max(words, key=words.__getitem__)
    seg_lang = main if main != lang and words[main] > 0.6 * sum(words.values()) else lang
    lines = ([None] if with_title else []) + [None if (b.language or lang) == seg_lang else (b.language or lang)
                                              for b in story.blocks]
    return (seg_lang if seg_lang != lang else None), tuple(lines) if any(lines) else ()


def draft_script(
    doc: Document,
    config: ShowConfig | None = None,
    *,
    voice_for: Callable[[str], str] | None = None,
    source: str | None = None,
) -> Script:
    """``Document`` → segments whose ``spoken`` is still written French (sub-headings and
    sentence ends marked for the voice), ready for the normalize stage (``speak``)."""
    config = config or ShowConfig()
    lang = doc.language or config.show.language
    t = templates_for(lang, config, doc.cadence)
    show = config.show.name or doc.publication or t.get("show_fallback") or doc.title
    date = spoken_date(doc.published, t)
    voice_for = voice_for or (lambda role: SEGMENT_ROLE.get(role, role))  # the casting role, no profile
    fields = {"show": show, "title": doc.title, "date": date or "", "count": len(doc.main_stories),
              "_fr": lang == "fr"}

    def seg(role: str, title: str, text: str, spoken: str | None = None, url: str | None = None) -> Segment:
        return Segment(role=role, title=title, text=text, spoken=spoken if spoken is not None else text,
                       voice=voice_for(role), url=url)

    segments: list[Segment] = []
    intro_lines = [_fmt(t, "welcome" if date else "welcome_no_date", **fields)]
    if doc.greeting:
        intro_lines.append(_sentence(doc.greeting))
    intro_lines.extend(doc.intro)
    if doc.toc:
        intro_lines.append(_fmt(t, "toc", **fields))
        intro_lines.extend(_sentence(entry.rstrip(" .")) for entry in doc.toc)
    segments.append(seg("intro", doc.title, "\n".join(intro_lines)))

    stories = doc.main_stories
    story_n = 0
    section_n = 0
    unread: list[Skipped] = []
    for part in doc.stories:
        unread.extend(Skipped(kind="language", text=b.full_text()) for b in part.blocks
                      if b.language and b.language not in SPOKEN_LANGUAGES)
        part = _foreign(part, t)
        if part.kind == "sponsor":
            if not config.show.read_sponsors:
                continue
            opening = _fmt(t, "sponsor", **fields)
            closing = _fmt(t, "sponsor_end", **fields)
            body = [part.title] if part.title and part.title != "Sponsor" else []
            text = "\n".join([opening, *body, story_text(part), closing])
            spoken = "\n".join([opening, *(_sentence(x) for x in body), *_spoken_blocks(part), closing])
            segments.append(seg("sponsor", part.title, text, spoken=spoken, url=part.url))
            continue
        if part.kind == "story":
            if len(stories) == 1:
                line = _fmt(t, "only_story", 0, **fields, story=part.title, n=1)
            elif story_n == 0:
                line = _fmt(t, "first_story", 0, **fields, story=part.title, n=1)
            elif story_n == len(stories) - 1:
                line = _fmt(t, "last_story", 0, **fields, story=part.title, n=story_n + 1)
            else:
                line = _fmt(t, "next_story", story_n - 1, **fields, story=part.title, n=story_n + 1)
            story_n += 1
            segments.append(seg("transition", line, line))
            language, passages = _languages(part, lang, with_title=True)
            segments.append(replace(seg("story", part.title, part.title + "\n" + story_text(part),
                                        spoken=_spoken_story(part), url=part.url),
                                    language=language, passages=passages))
        else:
            line = _fmt(t, "section", section_n, **fields, story=part.title, n=section_n + 1)
            section_n += 1
            segments.append(seg("transition", line, line))
            language, passages = _languages(part, lang, with_title=False)
            segments.append(replace(seg("section", part.title, part.title + "\n" + story_text(part),
                                        spoken="\n".join(_spoken_blocks(part)), url=part.url),
                                    language=language, passages=passages))

    outro_lines = [_sentence(x) for x in doc.closing]
    outro_lines.append(_fmt(t, "outro" if date else "outro_no_date", **fields))
    segments.append(seg("outro", show, "\n".join(outro_lines)))
    return Script(
        title=doc.title,
        language=lang,
        published=doc.published,
        segments=tuple(segments),
        skipped=tuple(Skipped(kind=s.kind, text=s.text) for s in doc.skipped) + tuple(unread),
        publication=doc.publication,
        source=source,
        url=doc.url,
        warnings=doc.warnings,
    )
