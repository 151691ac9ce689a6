"""主动公开: a 发文 whose 公开属性 is 主动公开 gets a ``Publication`` when it is 核发."""


def connect() -> None:
    """Connect to ``documents.hooks.document_issued``."""
