"""Mailchimp and Mailchimp-style e-mails: classic templates (``#templatePreheader``,
``#templateHeader``, ``#templateBody`` with ``.mcnTextContent`` blocks, ``#templateFooter``,
``.mcnButton``, ``.mcnFollowBlock``/``.mcnShareBlock``), the new builder (``.mceText``,
``.mceFooterSection``), campaign-archive pages (``#awesomewrap`` bar) and unfilled merge tags
(``*|UNSUB|*``, ``*|ARCHIVE|*``)."""

from . import Platform

PLATFORM = Platform(
    name="mailchimp",
    cues=(r"mcnTextContent", r"templateBody", r"\*\|[A-Z_:]+\|\*", r"list-manage\.com", r"campaign-archive",
          r"mcnButton|mceButton", r"\bmceText\b", r"mailchimp", r"mc\.us\d+", r"templateFooter"),
    content=("#templateBody", ".templateBody", "#bodyTable", "#templateContainer", ".mceSectionBody", "body"),
    skip=(
        ("#templatePreheader, .templatePreheader, #templatePreheader *, .mcnPreviewText, .mceSectionHeader "
         ".mcePreheader",
         "boilerplate"),
        ("#templateFooter, .templateFooter, .mceFooterSection, #footerContent, .footerContent, "
         "[class*=mceFooter]", "footer"),
        ("#awesomewrap, #awesomebar, #awesomeshare", "navigation"),
        (".mcnFollowBlock, .mcnFollowContent, .mcnShareBlock, .mcnShareContent, .mceSocialFollowBlock, "
         ".mceSocialFollowIcon", "share"),
        (".mcnButtonBlock, .mcnButtonContentContainer, .mceButton, .mceButtonContainer", "button"),
        (".mcnDividerBlock", "separator"),
        (".mcnCaptionBottomContent .mcnTextContent:empty", "caption"),
    ),
    title=("#templateHeader h1", ".mcnTextContent h1", ".mceText h1", "h1"),
    subtitle=(),
    date=(),
)
