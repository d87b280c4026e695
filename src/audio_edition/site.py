"""The show's web pages: ``index.html`` beside ``feed.xml`` and ``episodes/<slug>/index.html``.

Static HTML read from the episode records alone, like the feed. Every link inside the
pages is relative, so the directory works wherever it is served (``serve``, a bucket, a
share). An episode page has an HTML5 player with the VTT as its captions track, the
chapters as buttons that seek the player, and the transcript; landmarks, one ``h1``,
headings in order, a skip link, native buttons for the keyboard and alt text on images.
Every piece of text comes from a newsletter, so all of it is escaped and only http(s)
links are written.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from urllib.parse import quote, urlsplit

from .config import ShowConfig
from .episode import Episode, StoredEpisode
from .feed import (
    COVER_NAME,
    feed_url,
    load_episodes,
    pubdate,
    safe_url,
    show_description,
    show_title,
    stories,
)
from .fsutil import atomic_write_text

PAGE = "index.html"

TEXT = {
    "fr": {"skip": "Aller au contenu", "subscribe": "S’abonner", "episodes": "Épisodes", "chapters": "Chapitres",
           "transcript": "Transcription", "cover": "Pochette de {show}", "download": "Télécharger le MP3",
           "read": "Lire la lettre d’origine", "min": "min", "back": "Tous les épisodes", "captions": "Sous-titres",
           "caption_now": "Sous-titre en cours", "no_episode": "Aucun épisode pour l’instant.",
           "formats": "Autres formats", "rss": "Flux RSS", "in_episode": "Au sommaire", "play_at": "Écouter à {t}"},
    "en": {"skip": "Skip to content", "subscribe": "Subscribe", "episodes": "Episodes", "chapters": "Chapters",
           "transcript": "Transcript", "cover": "Cover art of {show}", "download": "Download the MP3",
           "read": "Read the original issue", "min": "min", "back": "All episodes", "captions": "Captions",
           "caption_now": "Current caption", "no_episode": "No episodes yet.",
           "formats": "Other formats", "rss": "RSS feed", "in_episode": "In this episode", "play_at": "Play from {t}"},
}

STYLE = """
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fdfdfb;--accent:#0b5cad;--muted:#555}
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#141414;--accent:#7ab8ff;--muted:#bbb}}
body{font:1.05rem/1.55 system-ui,sans-serif;color:var(--fg);background:var(--bg);max-width:46rem;margin:0 auto;
padding:0 1rem 3rem}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem}
header img{width:10rem;height:10rem;object-fit:cover;border-radius:.5rem;float:right;margin:0 0 1rem 1rem}
header{overflow:auto;padding-top:1rem}
nav ul,.episodes{list-style:none;padding:0}nav li{display:inline-block;margin-right:1rem}
.meta{color:var(--muted)}audio{width:100%;margin:1rem 0}
button{font:inherit;color:inherit;background:none;border:1px solid var(--muted);border-radius:.3rem;
padding:.1rem .5rem;cursor:pointer}
button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.caption{min-height:3em;font-size:1.1rem;border-left:4px solid var(--accent);padding-left:.75rem}
.caption:empty{border-color:transparent}
.transcript p{margin:.4rem 0}.transcript .active{background:rgba(120,160,255,.25)}
"""

SCRIPT = """
(function () {
  var player = document.getElementById("player");
  if (!player) return;
  document.querySelectorAll("button[data-start]").forEach(function (b) {
    b.addEventListener("click", function () {
      player.currentTime = parseFloat(b.getAttribute("data-start"));
      var p = player.play();
      if (p && p.catch) p.catch(function () {});
    });
  });
  var track = player.textTracks && player.textTracks[0];
  var box = document.getElementById("caption");
  if (!track) return;
  if (track.mode === "disabled") track.mode = "hidden";
  track.addEventListener("cuechange", function () {
    var cue = track.activeCues && track.activeCues[0];
    if (box) box.textContent = cue ? cue.text : "";
    document.querySelectorAll(".transcript .active").forEach(function (e) { e.classList.remove("active"); });
    if (cue) {
      var line = document.getElementById("cue-" + cue.id);
      if (line) line.classList.add("active");
    }
  });
})();
"""


def _t(lang: str) -> dict[str, str]:
    return TEXT["fr" if lang.startswith("fr") else "en"]


def clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


_VTT_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})")


def _seconds(stamp: str) -> float | None:
    m = _VTT_TIME.fullmatch(stamp.strip())
    if not m:
        return None
    h, mi, s, ms = m.groups()
    return int(h or 0) * 3600 + int(mi) * 60 + int(s) + int(ms) / 1000


def parse_vtt(text: str) -> list[tuple[str, float, float, str]]:
    """(id, start, end, text) of every cue of a WebVTT file; raises ValueError if it is not one."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith("WEBVTT"):
        raise ValueError("does not start with WEBVTT")
    cues: list[tuple[str, float, float, str]] = []
    for block in re.split(r"\n{2,}", text)[1:]:
        lines = [x for x in block.split("\n") if x.strip()]
        if not lines or lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        ident = ""
        if "-->" not in lines[0]:
            ident, lines = lines[0].strip(), lines[1:]
        if not lines or "-->" not in lines[0]:
            raise ValueError(f"cue without timing: {block[:40]!r}")
        a, b = lines[0].split("-->", 1)
        start, end = _seconds(a), _seconds(b.split()[0] if b.split() else "")
        if start is None or end is None or end < start:
            raise ValueError(f"bad cue timing {lines[0]!r}")
        cues.append((ident or str(len(cues) + 1), start, end, " ".join(lines[1:])))
    return cues


def load_chapters(path: Path) -> list[dict]:
    """The chapters of a ``chapters.json`` (Podcasting 2.0 JSON chapters); raises ValueError if invalid."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    chapters = doc.get("chapters") if isinstance(doc, dict) else None
    if not isinstance(chapters, list):
        raise ValueError("no chapters list")  # noqa: TRY004 (a bad file, not a bad argument)
    for c in chapters:
        if not isinstance(c, dict) or not isinstance(c.get("startTime"), (int, float)) or \
                not isinstance(c.get("title"), str):
            raise ValueError("a chapter needs a startTime and a title")  # noqa: TRY004
    return chapters


def subscribe_links(base_url: str, lang: str) -> list[tuple[str, str]]:
    """(label, href) of the feed and the apps that take a feed URL in a link."""
    url = feed_url(base_url)
    links = [(_t(lang)["rss"], url)]
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        bare = url.split("://", 1)[1]
        links += [("Apple Podcasts", f"podcast://{bare}"),
                  ("Overcast", f"overcast://x-callback-url/add?url={quote(url, safe='')}"),
                  ("Pocket Casts", f"pktc://subscribe/{bare}"),
                  ("AntennaPod", f"antennapod-subscribe://{bare}")]
    return links


def _head(title: str, lang: str, root: str, extra: str = "") -> str:
    return (f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
            f'<link rel="alternate" type="application/rss+xml" title="{escape(title)}" href="{root}feed.xml">\n'
            f"{extra}<style>{STYLE}</style>\n</head>\n<body>\n"
            f'<a class="skip" href="#main">{_t(lang)["skip"]}</a>\n')


def _nav(base_url: str, lang: str, root: str) -> str:
    items = []
    for label, href in subscribe_links(base_url, lang):
        href = f"{root}feed.xml" if href == feed_url(base_url) else href
        items.append(f'<li><a href="{escape(href)}">{escape(label)}</a></li>')
    return f'<nav aria-label="{_t(lang)["subscribe"]}">\n<ul>\n' + "\n".join(items) + "\n</ul>\n</nav>\n"


def _meta(ep: Episode, stored: StoredEpisode, lang: str) -> str:
    day = pubdate(ep.date, stored.mtime).date().isoformat()
    minutes = max(1, round(ep.duration / 60))
    return f'<time datetime="{day}">{day}</time> · {minutes} {_t(lang)["min"]}'


def index_page(out_dir: Path, config: ShowConfig, base_url: str, episodes: list[StoredEpisode]) -> str:
    title = show_title(config, episodes)
    lang = config.show.language if not episodes or "language" in (config.raw.get("show") or {}) \
        else episodes[-1].episode.language
    t = _t(lang)
    parts = [_head(title, lang, "")]
    parts.append("<header>\n")
    if (out_dir / COVER_NAME).is_file():
        parts.append(f'<img src="{COVER_NAME}" alt="{escape(t["cover"].format(show=title))}">\n')
    parts.append(f"<h1>{escape(title)}</h1>\n<p>{escape(show_description(config, title, lang))}</p>\n")
    parts.append(_nav(base_url, lang, ""))
    parts.append('</header>\n<main id="main">\n')
    parts.append(f'<h2 id="episodes">{t["episodes"]}</h2>\n')
    if not episodes:
        parts.append(f"<p>{t['no_episode']}</p>\n")
    else:
        parts.append('<ul class="episodes" aria-labelledby="episodes">\n')
        for stored in reversed(episodes):
            ep = stored.episode
            href = f"episodes/{quote(ep.slug)}/"
            parts.append(f'<li><article>\n<h3><a href="{href}">{escape(ep.title)}</a></h3>\n'
                         f'<p class="meta">{_meta(ep, stored, ep.language)}</p>\n')
            titles = [s for s, _ in stories(ep)]
            if titles:
                parts.append(f"<p>{escape(' · '.join(titles))}</p>\n")
            parts.append("</article></li>\n")
        parts.append("</ul>\n")
    parts.append("</main>\n<footer>\n")
    if config.show.copyright:
        parts.append(f"<p>{escape(config.show.copyright)}</p>\n")
    parts.append("</footer>\n</body>\n</html>\n")
    return "".join(parts)


def episode_page(out_dir: Path, config: ShowConfig, base_url: str, stored: StoredEpisode,
                 show: str) -> str:
    ep = stored.episode
    lang = ep.language
    t = _t(lang)
    d = stored.directory
    parts = [_head(f"{ep.title} · {show}", lang, "../../")]
    parts.append(f'<header>\n<p><a href="../../">{escape(show)}</a> · <a href="../../#episodes">{t["back"]}</a></p>\n')
    parts.append(_nav(base_url, lang, "../../"))
    parts.append('</header>\n<main id="main">\n<article>\n')
    if ep.image and (d / ep.image).is_file():
        parts.append(f'<img src="{quote(ep.image)}" alt="{escape(t["cover"].format(show=ep.title))}" width="160">\n')
    elif (out_dir / COVER_NAME).is_file():
        parts.append(f'<img src="../../{COVER_NAME}" alt="{escape(t["cover"].format(show=show))}" width="160">\n')
    parts.append(f"<h1>{escape(ep.title)}</h1>\n<p class=\"meta\">{_meta(ep, stored, lang)}")
    origin = safe_url(ep.url)
    if origin:
        parts.append(f' · <a href="{escape(origin)}">{t["read"]}</a>')
    parts.append("</p>\n")
    vtt = ep.transcripts.get("text/vtt", "transcript.vtt")
    has_vtt = (d / vtt).is_file()
    parts.append(f'<audio id="player" controls preload="metadata" src="{quote(ep.audio)}">\n')
    if has_vtt:
        parts.append(f'<track kind="captions" src="{quote(vtt)}" srclang="{escape(lang)}" label="{t["captions"]}" '
                     "default>\n")
    parts.append(f'<a href="{quote(ep.audio)}">{t["download"]}</a>\n</audio>\n')
    if has_vtt:
        parts.append(f'<p id="caption" class="caption" aria-label="{t["caption_now"]}"></p>\n')
    parts.append(f'<p><a href="{quote(ep.audio)}" download>{t["download"]}</a></p>\n')
    chapters = []
    if ep.chapters and (d / ep.chapters).is_file():
        try:
            chapters = load_chapters(d / ep.chapters)
        except (ValueError, OSError):
            chapters = []
    if chapters:
        parts.append(f'<section aria-labelledby="chapters-title">\n'
                     f'<h2 id="chapters-title">{t["chapters"]}</h2>\n<ol>\n')
        for c in chapters:
            start = float(c["startTime"])
            link = safe_url(c.get("url"))
            more = f' <a href="{escape(link)}">{escape(urlsplit(link).hostname or link)}</a>' if link else ""
            parts.append(f'<li><button type="button" data-start="{start:.3f}" '
                         f'aria-label="{escape(t["play_at"].format(t=clock(start)))}: {escape(c["title"])}">'
                         f'<span aria-hidden="true">{clock(start)}</span></button> {escape(c["title"])}{more}</li>\n')
        parts.append("</ol>\n</section>\n")
    if has_vtt:
        try:
            cues = parse_vtt((d / vtt).read_text(encoding="utf-8"))
        except (ValueError, OSError, UnicodeDecodeError):
            cues = []
        if cues:
            parts.append(f'<section aria-labelledby="transcript-title">\n<h2 id="transcript-title">{t["transcript"]}'
                         '</h2>\n<div class="transcript">\n')
            for ident, start, _end, text in cues:
                parts.append(f'<p id="cue-{escape(ident)}"><button type="button" data-start="{start:.3f}" '
                             f'aria-label="{escape(t["play_at"].format(t=clock(start)))}">{clock(start)}</button> '
                             f"{escape(text)}</p>\n")
            parts.append("</div>\n")
            formats = [f'<a href="{quote(name)}">{mime.split("/")[-1].replace("x-subrip", "srt").upper()}</a>'
                       for mime, name in ep.transcripts.items() if (d / name).is_file()]
            parts.append(f"<p>{t['formats']} : {' · '.join(formats)}</p>\n</section>\n" if lang.startswith("fr") else
                         f"<p>{t['formats']}: {' · '.join(formats)}</p>\n</section>\n")
    parts.append("</article>\n</main>\n")
    parts.append(f"<script>{SCRIPT}</script>\n</body>\n</html>\n")
    return "".join(parts)


def _write_if_changed(path: Path, text: str) -> bool:
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write_text(path, text)
    return True


def write_site(out_dir: str | Path, config: ShowConfig, base_url: str,
               episodes: list[StoredEpisode] | None = None) -> Path:
    """Write ``index.html`` and each episode's page (only those whose HTML changed)."""
    out_dir = Path(out_dir)
    if episodes is None:
        episodes = load_episodes(out_dir)
    show = show_title(config, episodes)
    for stored in episodes:
        _write_if_changed(stored.directory / PAGE, episode_page(out_dir, config, base_url, stored, show))
    target = out_dir / PAGE
    _write_if_changed(target, index_page(out_dir, config, base_url, episodes))
    return target
