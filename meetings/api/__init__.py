"""The 会议 API (being written)."""


def register() -> None:
    """Register the API routes (``AppConfig.ready``)."""
