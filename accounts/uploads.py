"""The profile form's upload handler: an avatar is kept only while it is within its limit.

Django's default handlers spool any upload over 2.5 MB to a temporary file, however big,
before a view can look at it. The profile edit view replaces them with this one, so an
avatar is counted as it streams in and kept in memory up to ``AVATAR_MAX_BYTES``; past that
it is dropped and the rest of the request body read and thrown away, so the page can still
say what went wrong. Nothing else the form does not take is kept at all.
"""

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

AVATAR_FIELD = "avatar_upload"


class AvatarUploadHandler(FileUploadHandler):
    """Keeps the one avatar file, in memory, while it is at most ``AVATAR_MAX_BYTES``.

    ``too_big`` says whether an avatar was dropped for its size. Other file fields, and a
    second avatar, are skipped.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.max_bytes: int = settings.AVATAR_MAX_BYTES
        self.too_big = False
        self.kept: BytesIO | None = None
        self._seen_avatar = False

    def new_file(self, field_name: str, *args, **kwargs) -> None:
        if field_name != AVATAR_FIELD or self._seen_avatar:
            raise SkipFile
        self._seen_avatar = True
        super().new_file(field_name, *args, **kwargs)
        self.kept = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > self.max_bytes:
            self.too_big = True
            self.kept = None
            # The parser reads the rest of this file's bytes and throws them away, then
            # carries on with the other fields (the CSRF token among them).
            raise SkipFile
        self.kept.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.kept.seek(0)
        return InMemoryUploadedFile(
            file=self.kept,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
