"""Domain errors shared by every service. Messages are English msgids (see common.i18n)."""

from __future__ import annotations

from common.i18n import N_, fill


class DomainError(Exception):
    """A rule refused the request. `message` is a translatable id, `params` fill it."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(fill(message, params) if params else message)
        self.message = message
        self.params = params


class ValidationError(DomainError):
    """One or more fields are wrong. `errors` maps field name -> (message, params)."""

    def __init__(self, errors: dict[str, tuple[str, dict[str, object]]]) -> None:
        self.errors = errors
        first = next(iter(errors.values()))
        super().__init__(first[0], **first[1])


class FieldErrors:
    """Collects field errors while a service validates, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, tuple[str, dict[str, object]]] = {}

    def add(self, field: str, message: str, **params: object) -> None:
        self.errors.setdefault(field, (message, params))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def too_long(self, field: str, value: str, most: int) -> None:
        """A value longer than its column gets a message, not a database error."""
        if len(value.strip()) > most:
            self.add(field, N_("Too long (at most {n} characters)."), n=most)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(dict(self.errors))


class PermissionDenied(DomainError):
    pass


class NotFound(DomainError):
    pass


class RecordChanged(DomainError):
    """The record was saved by someone else after this form was opened: nothing was saved.

    Raised by `core.services.versions.check_version` with who changed it and when (the
    activity log's newest row, in the company's time zone), or, when two saves meet in the
    same instant, by the unit of work with the general message."""

    CHANGED_BY = N_("Changed by {who} at {when} since you opened it — reload to see the changes; nothing was saved.")
    AT_ONCE = N_("Someone else saved this record at the same moment — reload to see the changes; nothing was saved.")

    def __init__(self, who: str | None = None, when: str | None = None) -> None:
        if who is None or when is None:
            super().__init__(self.AT_ONCE)
        else:
            super().__init__(self.CHANGED_BY, who=who, when=when)
