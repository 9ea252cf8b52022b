"""Field validators of the actions, and the schema that translates their errors.

Every field is checked before anything is sent to Spotify: numbers must be finite
whole numbers inside the range services.yaml declares, text must be non-empty,
short enough and valid Unicode (no lone surrogates, no control characters), and a
device must look like a device name or id. A refusal is a translated
ServiceValidationError naming the field, never an echo of the value itself (which
could be anything, even text that cannot be encoded).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Final
import unicodedata

from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .schema_library import vol
from .uri import to_play_target, to_spotify_uri, uri_type

if TYPE_CHECKING:
    from collections.abc import Callable

MAX_URI_LENGTH: Final = 300
MAX_QUERY_LENGTH: Final = 500
MAX_DEVICE_LENGTH: Final = 128
# The furthest position Spotify takes (24 h), as services.yaml declares.
MAX_POSITION_MS: Final = 86_400_000
# A `..` path segment or a percent-escape: a device name is no path, nor URL-encoded.
# A lone slash is fine: speakers are called "AC/DC Room" too.
_PATH_LIKE: Final = re.compile(r"(?:^|[/\\])\.\.(?:[/\\]|$)|%[0-9A-Fa-f]{2}")


class FieldInvalid(vol.Invalid):
    """A field refused with one of our translation keys."""

    def __init__(self, translation_key: str, **placeholders: str) -> None:
        """Store the key and placeholders of the translated message."""
        super().__init__(translation_key)
        self.key = translation_key
        self.values = placeholders


def validation_error(
    translation_key: str, field: str, **placeholders: str
) -> ServiceValidationError:
    """Return the translated error refusing `field`."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=translation_key,
        translation_placeholders={"field": field, **placeholders},
    )


class ActionSchema(vol.Schema):
    """A schema whose refusals are translated ServiceValidationErrors."""

    def __call__(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        """Validate `data`; a refusal names the first field at fault."""
        try:
            return super().__call__(data, *args, **kwargs)
        except vol.Invalid as err:
            raise _translated(err) from err


def _translated(err: vol.Invalid) -> ServiceValidationError:
    first = err.errors[0] if isinstance(err, vol.MultipleInvalid) else err
    field = ".".join(str(part) for part in first.path) or "data"
    if isinstance(first, FieldInvalid):
        return validation_error(first.key, field, **first.values)
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="invalid_field",
        translation_placeholders={"field": field, "error": str(first.msg)},
    )


def whole_number(minimum: int, maximum: int) -> Callable[[Any], int]:
    """Accept a finite whole number (or its text) from `minimum` to `maximum`."""

    def validate(value: Any) -> int:
        if isinstance(value, bool):
            raise FieldInvalid("number_invalid")
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError as err:
                raise FieldInvalid("number_invalid") from err
        if not isinstance(value, int | float):
            raise FieldInvalid("number_invalid")
        if not math.isfinite(value):
            raise FieldInvalid("number_not_finite")
        if value != int(value) or not minimum <= value <= maximum:
            raise FieldInvalid(
                "number_out_of_range", min=str(minimum), max=str(maximum)
            )
        return int(value)

    return validate


def text(max_length: int) -> Callable[[Any], str]:
    """Accept non-empty text of at most `max_length` characters, valid Unicode."""

    def validate(value: Any) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise FieldInvalid("text_invalid")
        value = value.strip()
        if not value:
            raise FieldInvalid("text_empty")
        if len(value) > max_length:
            raise FieldInvalid("text_too_long", max=str(max_length))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:  # a lone surrogate
            raise FieldInvalid("text_invalid") from err
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise FieldInvalid("text_invalid")
        return str(value)

    return validate


_device_text = text(MAX_DEVICE_LENGTH)


def device(value: Any) -> str:
    """Accept a device name or id: text with no path traversal and no URL escape."""
    name = _device_text(value)
    if _PATH_LIKE.search(name) or not any(char.isalnum() for char in name):
        raise FieldInvalid("device_invalid")
    return name


def spotify_uri(allowed: frozenset[str], key: str) -> Callable[[Any], str]:
    """Accept a Spotify URI or open.spotify.com link of an `allowed` type.

    Returns the URI; `key` names the translated refusal of another type.
    """
    uri_text = text(MAX_URI_LENGTH)

    def validate(value: Any) -> str:
        value = uri_text(value)
        try:
            uri = to_spotify_uri(value)
        except ValueError as err:
            raise FieldInvalid("invalid_uri", uri=value) from err
        if (kind := uri_type(uri)) not in allowed:
            raise FieldInvalid(key, uri=uri, type=kind)
        return uri

    return validate


def checked_device(value: Any, field: str) -> str:
    """Validate a device outside a schema (select_source), translated."""
    try:
        return device(value)
    except FieldInvalid as err:
        raise validation_error(err.key, field, **err.values) from err


def checked_text(value: Any, field: str, max_length: int) -> str:
    """Validate text outside a schema (media searches), translated."""
    try:
        return text(max_length)(value)
    except FieldInvalid as err:
        raise validation_error(err.key, field, **err.values) from err


def checked_play_target(media_id: Any) -> tuple[str, str | None]:
    """Return (uri, context uri) of a play_media id, or refuse it translated."""
    media_id = checked_text(media_id, "media_content_id", MAX_URI_LENGTH)
    try:
        return to_play_target(media_id)
    except ValueError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_media_id",
            translation_placeholders={"media_id": media_id},
        ) from err
