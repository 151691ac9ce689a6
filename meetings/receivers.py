"""What the 会议 app answers of other apps' hooks (being written)."""


def connect() -> None:
    """Connect to the hooks this app answers (``AppConfig.ready``)."""
