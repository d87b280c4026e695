"""Substack: web posts (``.available-content > .body.markup``, ``h1.post-title``,
``h3.subtitle``), e-mails (``.email-body-container``, ``.post-ufi`` buttons, ``.footer`` with
the postal address) and RSS ``content:encoded`` (the bare ``.body.markup`` HTML). Widgets:
``.subscription-widget-wrap``, ``.button-wrapper`` (subscribe/share/comment buttons),
``.captioned-image-container``, embedded posts, footnotes."""

from . import Platform

PLATFORM = Platform(
    name="substack",
    cues=(r"substack", r"substackcdn\.com", r"class=[\"'][^\"']*subscription-widget", r"class=[\"']available-content",
          r"class=[\"']body markup", r"class=[\"'][^\"']*captioned-image-container", r"class=[\"']button-wrapper"),
    content=(".available-content .body.markup", ".available-content", ".body.markup", ".post-content",
             ".email-body-container .body", "article"),
    skip=(
        (".subscription-widget-wrap, .subscription-widget-wrap-editor, .subscription-widget, .subscribe-widget",
         "subscribe"),
        ("p.button-wrapper, div.button-wrapper, .button-wrapper", "button"),
        (".paywall, .paywall-jump, .paywall-title", "subscribe"),
        (".post-ufi, .post-ufi-button, .like-button-container, .restack-button", "share"),
        (".embedded-post-wrap, .embedded-post, .digest-post-embed, .embedded-publication-wrap", "related"),
        (".tweet, .twitter-embed, .youtube-wrap, .instagram, .spotify-wrap, .embedded-video", "embed"),
        (".footnote-anchor", "footnote"), (".footnote, .footnotes", "footnote"),
        (".post-header, .post-meta, .meta-author-wrap, .byline-wrapper", "header"),
        (".footer, .email-footer, .footer-wrap", "footer"),
        (".comments-section, .comments-page, .comment-list", "comment"),
        (".recommendations, .post-footer, .single-post-section, .subscribe-footer", "related"),
        (".topbar, .main-menu, .navbar", "navigation"),
    ),
    title=("h1.post-title", ".post-title", "h1"),
    subtitle=("h3.subtitle", ".subtitle", "h3.post-subtitle"),
    byline=(".post-meta", ".post-header .byline-wrapper", ".meta-author-wrap"),
    date=(".post-date time[datetime]", ".post-date", "time[datetime]"),
    author=(".post-meta .profile-hover-card-target", ".byline-names",
            "a.frontend-pencraft-Text-module__decoration-hover-underline"),
    publication=(".navbar-title", ".publication-name"),
)
