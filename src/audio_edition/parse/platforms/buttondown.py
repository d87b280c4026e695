"""Buttondown (and plain Markdown-rendered newsletters): headings, paragraphs, lists and
``<hr>`` separators with little markup, a web archive page (``.email-body-content``) or an
e-mail with a short footer ("Powered by Buttondown", unsubscribe link)."""

from . import Platform

PLATFORM = Platform(
    name="buttondown",
    cues=(r"buttondown\.(email|com)", r"Buttondown", r"class=[\"'][^\"']*email-body-content",
          r"class=[\"'][^\"']*email-detail"),
    content=(".email-body-content", ".email-body", ".email-detail__body", ".email-detail", "article", "main",
             "body"),
    skip=(
        (".email-detail__header, .email-header, .subject-line", "header"),
        (".email-footer, .footer, .unsubscribe, .buttondown-footer, .powered-by", "footer"),
        (".subscribe-form, .embeddable-buttondown-form, form", "subscribe"),
        (".email-navigation, .archive-navigation, .email-detail__nav", "navigation"),
    ),
    title=(".email-detail__subject", "h1.subject", ".subject", "h1"),
    date=(".email-detail__date", "time[datetime]", ".publish-date", ".date"),
)
