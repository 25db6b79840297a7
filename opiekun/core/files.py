"""Files from outside: one sanitiser for their names and one way to write them to disk.

`safe_filename` is used for every name we keep or send (email attachments, desk replies,
web form and portal uploads, downloads): no path, no control characters, no bidirectional
or zero-width controls (`invoice\\u202efdp.exe` would read as "invoiceexe.pdf"), and when a
long name is shortened its extension is kept. `real_extension` is what the agent is shown.

`write_atomically` writes a file under a temporary name in the same folder, fsyncs it and
renames it into place, so a full disk or a crash never leaves a truncated file under the
final name, and the temporary file is removed on failure. A failure raises `StorageFailed`,
which ingestion treats like a database outage (the message stays unflagged on the server and
is tried again), never as a fault of the message.
"""

import errno
import os
import re
import secrets
import unicodedata
from pathlib import Path, PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage

MAX_NAME = 200
MAX_EXTENSION = 16
FALLBACK = "attachment"

# Bidirectional controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM) and
# zero-width or invisible characters (ZWSP, ZWNJ, ZWJ, WJ, invisible operators, BOM, soft
# hyphen, Mongolian vowel separator): they change how a name reads without showing.
_INVISIBLE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060-\u2064\ufeff\u00ad\u180e]"
)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f<>:\"/\\|?*]+")
_EXTENSION = re.compile(rf"\.[A-Za-z0-9]{{1,{MAX_EXTENSION}}}$")

# Disk trouble, not a fault of the file: worth trying again once space is freed.
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS, errno.EFBIG})


class StorageFailed(Exception):
    """Writing a file failed (disk full, quota, read-only, I/O error); nothing was left."""


def safe_filename(name: str, *, fallback: str = FALLBACK) -> str:
    """A file name that is safe on every disk, in a Content-Disposition header and on screen."""
    name = unicodedata.normalize("NFC", name or "")
    name = _INVISIBLE.sub("", name)
    # Any other format character (category Cf) hides itself the same way.
    name = "".join(char for char in name if unicodedata.category(char) != "Cf")
    name = PurePosixPath(name.replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > MAX_NAME:
        extension = _EXTENSION.search(name)
        suffix = extension.group(0) if extension else ""
        name = name[: MAX_NAME - len(suffix)].rstrip(" .") + suffix
    return name or fallback


def real_extension(name: str) -> str:
    """The extension the file really has (lower case, without the dot), or ""."""
    extension = _EXTENSION.search(safe_filename(name))
    return extension.group(0)[1:].lower() if extension else ""


def write_atomically(storage: Storage, name: str, content: bytes) -> str:
    """Write `content` at `name` in `storage` (replacing a truncated copy left there by an
    older version), all or nothing; returns the stored name. Raises StorageFailed."""
    if not isinstance(storage, FileSystemStorage):
        try:
            if storage.exists(name):
                storage.delete(name)
            return storage.save(name, ContentFile(content))
        except OSError as error:
            raise StorageFailed(str(error)) from error
    path = Path(storage.path(name))
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            _write_all(descriptor, content)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
        _fsync_folder(path.parent)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise StorageFailed(f"Cannot write {name}: {error}") from error
    return name


def _write_all(descriptor: int, content: bytes) -> None:
    view = memoryview(content)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # Some file systems cannot sync a folder; the rename itself stands.
    finally:
        os.close(descriptor)


def remove_quietly(storage: Storage, names: list[str]) -> None:
    """Remove files written for work that was then undone (best effort)."""
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            continue
