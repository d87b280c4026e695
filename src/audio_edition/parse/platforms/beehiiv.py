"""beehiiv: web posts (``#content-blocks`` in ``.rendered-post``), RSS ``content:encoded``
(``.beehiiv__body`` + ``.beehiiv__footer``) and e-mails (table layout, ``link.mail.beehiiv.com``
tracking links). Ad-network placements carry ``_bhiiv=opp`` / ``bhcl_id`` links (web, RSS)
or only a "Sponsorisé"/"Sponsored" label (e-mail): handled by the common sponsor rules."""

from . import Platform

PLATFORM = Platform(
    name="beehiiv",
    cues=(r"beehiiv", r"id=[\"']content-blocks", r"class=[\"']beehiiv__body", r"media\.beehiiv\.com",
          r"link\.mail\.beehiiv\.com", r"_bhiiv=", r"bhcl_id="),
    content=("#content-blocks", ".beehiiv__body", "td.content", ".rendered-post", "#content"),
    skip=(
        (".beehiiv__footer", "footer"), (".post-footer", "subscribe"), (".keep-reading", "related"),
        ("#web-header nav", "navigation"), (".share-buttons", "share"), (".post__byline", "header"),
        (".poll", "poll"), ("[data-poll-id]", "poll"), (".recommendations", "related"),
        (".boost", "sponsor"), ("[class*=ad_network]", "sponsor"),
    ),
    title=("h1.post__title", "#web-header h1", "h1"),
    subtitle=(".post__subtitle", "#web-header h2"),
    byline=(".post__byline",),
    date=(".post__byline time[datetime]", "time[datetime]"),
    author=(".post__byline .author",),
)
