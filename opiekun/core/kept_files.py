"""Files chosen on a form that came back with an error, kept for the next try.

A browser cannot put chosen files back into a file input, so a public form (the web form,
the portal) that fails keeps the uploads that passed their own checks in storage under
`kept/<random>/` and gives the page a signed token that names them; the next submit of the
form brings the token and the files come from storage. The signature means a token names
only what we kept; `prune_kept_files` removes what nobody came back for.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django import forms
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.tasks import task
from django.utils import timezone

from opiekun.core.files import safe_filename

KEEP_FOR = timedelta(hours=2)
_SALT = "opiekun.kept-files"
_FOLDER = "kept"


@dataclass(frozen=True)
class KeptFile:
    name: str
    path: str
    content_type: str

    def read(self) -> bytes:
        with default_storage.open(self.path, "rb") as stored:
            return bytes(stored.read())


def keep(uploads: Sequence[UploadedFile[bytes]], already: Sequence[KeptFile] = ()) -> str:
    """Store `uploads` beside the files `already` kept; the token that names them all."""
    files = list(already)
    for upload in uploads:
        name = safe_filename(upload.name or "file")
        path = default_storage.save(
            f"{_FOLDER}/{secrets.token_hex(16)}/{name}", ContentFile(upload.read())
        )
        files.append(KeptFile(name=name, path=path, content_type=upload.content_type or ""))
    if not files:
        return ""
    return signing.dumps([[f.name, f.path, f.content_type] for f in files], salt=_SALT)


def kept(token: str) -> list[KeptFile]:
    """The files a token names, if it is ours, recent and they are still there."""
    if not token:
        return []
    try:
        entries = signing.loads(token, salt=_SALT, max_age=KEEP_FOR)
    except signing.BadSignature:
        return []
    return [
        KeptFile(name=name, path=path, content_type=content_type)
        for name, path, content_type in entries
        if path.startswith(f"{_FOLDER}/") and default_storage.exists(path)
    ]


def keep_for_next_try(
    uploads: Sequence[UploadedFile[bytes]], form: forms.Form, already: Sequence[KeptFile]
) -> str:
    """The token for a form shown again: the files it kept before and this try's uploads,
    unless the uploads themselves were refused (too large: the field says why)."""
    return keep([] if "attachments" in form.errors else uploads, already)


def as_files(kept_files: Sequence[KeptFile]) -> list[tuple[str, bytes, str]]:
    """(name, content, content type) of each kept file, as the channels take attachments."""
    return [(kept_file.name, kept_file.read(), kept_file.content_type) for kept_file in kept_files]


def forget(files: Sequence[KeptFile]) -> None:
    """Remove kept files once they are sent (or no longer wanted)."""
    for kept_file in files:
        default_storage.delete(kept_file.path)


@task()
def prune_kept_files() -> int:
    """Remove kept files older than KEEP_FOR; return how many. Safe to run twice."""
    cutoff = timezone.now() - KEEP_FOR
    removed = 0
    try:
        folders, _files = default_storage.listdir(_FOLDER)
    except FileNotFoundError:
        return 0
    for folder in folders:
        stale = [
            f"{_FOLDER}/{folder}/{name}"
            for name in default_storage.listdir(f"{_FOLDER}/{folder}")[1]
            if default_storage.get_modified_time(f"{_FOLDER}/{folder}/{name}") < cutoff
        ]
        for path in stale:
            default_storage.delete(path)
        removed += len(stale)
        if stale:  # never a folder that a form is filling right now
            _remove_if_empty(f"{_FOLDER}/{folder}")
    return removed


def _remove_if_empty(folder: str) -> None:
    """Remove a kept-files folder once its files are gone. Only a file system has folders;
    an object store (S3) keeps none to remove."""
    if not isinstance(default_storage, FileSystemStorage):
        return
    path = Path(default_storage.path(folder))
    if path.is_dir() and not any(path.iterdir()):
        path.rmdir()
