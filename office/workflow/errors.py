"""The one exception a disallowed state transition raises, in every module.

The API answers it with 409 ``{"detail", "code": "transition_not_allowed"}``; pages show its
message. It carries a message for people, in Chinese."""


class TransitionNotAllowed(Exception):
    code = "transition_not_allowed"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
