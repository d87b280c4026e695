"""audio-edition: turn each issue of an HTML newsletter into a podcast episode."""

__version__ = "0.1.0"
