"""Ghost: web posts (``article.gh-article``/``article.post``, ``.gh-content``, Koenig cards
``.kg-card``), newsletter e-mails (``.post-content``, ``.post-meta``, ``td.footer``,
``%%{unsubscribe_url}%%``) and RSS. Cards never read: ``.kg-signup-card`` (subscribe),
``.kg-cta-card`` with a sponsor label (sponsor; otherwise a call to action), ``.kg-button-card``,
``.gh-post-upgrade-cta`` (paywall). A lone ``.kg-bookmark-card`` is a link preview, not read;
several are a list of posts (a digest e-mail's latest posts), each read as one line: title and
description."""

from . import Platform

PLATFORM = Platform(
    name="ghost",
    cues=(r"<meta name=[\"']generator[\"'] content=[\"']Ghost", r"class=[\"'][^\"']*\bgh-content", r"\bkg-card\b",
          r"ghost\.io", r"Powered by Ghost", r"%%\{[a-z_]+\}%%", r"class=[\"'][^\"']*\bgh-article"),
    content=(".gh-content", ".post-content", ".article-content", ".post-full-content", ".single-content",
             ".post-content-sans-serif", "article"),
    skip=(
        (".kg-signup-card, .gh-post-upgrade-cta, .gh-subscribe, .footer-cta, .subscribe-form, "
         ".gh-signup, [data-members-form], .gh-cta", "subscribe"),
        (".kg-cta-card", "button"),  # "sponsor" when its label says so
        (".kg-button-card", "button"),
        (".kg-bookmark-card", "embed"),  # a lone link preview (several are read: see ``cards``)
        (".kg-embed-card, .kg-video-card, .kg-audio-card, .kg-file-card, .kg-product-card", "embed"),
        (".gh-article-header, .article-header, .post-header, .post-meta, .gh-article-meta, "
         ".article-byline", "header"),
        (".gh-read-next, .read-next, .gh-readmore, .related-posts, .latest-posts-section, "
         ".latest-post, .feedback-buttons", "related"),
        (".gh-comments, .article-comments, .gh-article-comments, .comments", "comment"),
        (".gh-head, .gh-navigation, .site-header, .gh-article-tag", "navigation"),
        (".gh-foot, .site-footer, .footer, td.footer, .footer-powered, .gh-powered-by", "footer"),
        (".view-online, .view-online-link, td.header-view-online", "boilerplate"),
    ),
    title=("h1.gh-article-title", "h1.article-title", "h1.post-full-title", ".post-title", "h1"),
    subtitle=(".gh-article-excerpt", ".article-excerpt", ".post-full-custom-excerpt", ".post-excerpt"),
    byline=(".gh-article-meta", ".article-byline", ".post-meta"),
    date=("time.gh-article-meta-date", "time.byline-meta-date", "time[datetime]", ".post-meta-date"),
    author=(".gh-article-author-name", ".author-name", ".byline-name", ".post-meta-author"),
    publication=(".site-title", ".gh-head-logo", ".site-title-wrapper"),
    cards=((".kg-bookmark-card", ".kg-bookmark-title", ".kg-bookmark-description"),),
)
