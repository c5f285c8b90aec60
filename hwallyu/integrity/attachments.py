"""Attachment checks: size, a type allow-list by content (magic bytes), image metadata removal.

A file's type is read from its first bytes, never from its name or the browser's claim;
the name's extension must then belong to that type, so a disguised file (an executable
called ``사진.jpg``, a PNG called ``문서.pdf``) is refused.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings


class AttachmentError(ValueError):
    """A file was refused; the message is for the reporter (Korean)."""


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: frozenset[str]
    image_format: str = ""  # Pillow format name when metadata can be removed


PDF = FileType("pdf", "PDF", "application/pdf", frozenset({"pdf"}))
PNG = FileType("png", "PNG 그림", "image/png", frozenset({"png"}), "PNG")
JPEG = FileType("jpeg", "JPEG 사진", "image/jpeg", frozenset({"jpg", "jpeg"}), "JPEG")
GIF = FileType("gif", "GIF 그림", "image/gif", frozenset({"gif"}), "GIF")
WEBP = FileType("webp", "WebP 그림", "image/webp", frozenset({"webp"}), "WEBP")
HWP = FileType("hwp", "한글·오피스(구 형식)", "application/x-hwp", frozenset({"hwp", "doc", "xls", "ppt"}))
HWPX = FileType("hwpx", "한글(HWPX)", "application/hwp+zip", frozenset({"hwpx"}))
DOCX = FileType(
    "docx", "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", frozenset({"docx"})
)
XLSX = FileType(
    "xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", frozenset({"xlsx"})
)
PPTX = FileType(
    "pptx",
    "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    frozenset({"pptx"}),
)
MP3 = FileType("mp3", "MP3 음성", "audio/mpeg", frozenset({"mp3"}))
MP4 = FileType("mp4", "MP4·M4A 녹음·영상", "video/mp4", frozenset({"mp4", "m4a"}))
TEXT = FileType("txt", "텍스트", "text/plain; charset=utf-8", frozenset({"txt"}))

ALLOWED_LABEL = "PDF, 한글(HWP·HWPX), Word·Excel·PowerPoint, JPG·PNG·GIF·WebP 그림, MP3·MP4·M4A, TXT"


def max_bytes() -> int:
    return int(getattr(settings, "HWALLYU_INTEGRITY_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


def max_files() -> int:
    return int(getattr(settings, "HWALLYU_INTEGRITY_MAX_ATTACHMENTS", 5))


def _zip_type(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as fh:
                    if fh.read(64).strip() == b"application/hwp+zip":
                        return HWPX
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
                if any(n.startswith("ppt/") for n in names):
                    return PPTX
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "cp949"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def detect(data: bytes) -> FileType | None:
    """The allowed type these bytes are, by their content; None when not allowed."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return HWP
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return MP3
    if head[4:8] == b"ftyp" and head[8:12] in (b"isom", b"iso2", b"mp41", b"mp42", b"M4A ", b"avc1", b"3gp4", b"3gp5"):
        return MP4
    if _is_text(data):
        return TEXT
    return None


def clean_name(name: str) -> str:
    """The file's own name without folders or control characters, at most 120 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.strip().strip(".") or "첨부파일"
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[:110] + dot + ext[:8]) if dot else base[:120]
    return base


def extension(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


@dataclass(frozen=True)
class PreparedFile:
    name: str
    content_type: str
    data: bytes
    stripped: bool


def strip_image_metadata(data: bytes, file_type: FileType) -> bytes:
    """The image redrawn from its pixels only: no EXIF (GPS, camera, time), no comments, no XMP."""
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                upright = ImageOps.exif_transpose(img) or img
                mode = upright.mode
                if mode not in ("1", "L", "LA", "RGB", "RGBA", "P", "CMYK"):
                    upright = upright.convert("RGBA" if "A" in mode else "RGB")
                    mode = upright.mode
                clean = Image.frombytes(mode, upright.size, upright.tobytes())
                if mode == "P":
                    palette = upright.getpalette()
                    if palette:
                        clean.putpalette(palette)
                    if "transparency" in upright.info:
                        clean.info["transparency"] = upright.info["transparency"]
                out = io.BytesIO()
                options: dict[str, object] = {}
                if file_type.image_format == "JPEG":
                    if clean.mode not in ("L", "RGB", "CMYK"):
                        clean = clean.convert("RGB")
                    options = {"quality": 92}
                clean.save(out, format=file_type.image_format, **options)
                return out.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AttachmentError(
            "그림 파일을 읽을 수 없어 정보(메타데이터)를 지우지 못했습니다. 파일을 확인해 주세요."
        ) from exc


def prepare(name: str, data: bytes, *, strip_metadata: bool) -> PreparedFile:
    """Check one upload and return what will be encrypted; AttachmentError when refused."""
    clean = clean_name(name)
    if not data:
        raise AttachmentError(f"‘{clean}’ 파일이 비어 있습니다.")
    limit = max_bytes()
    if len(data) > limit:
        raise AttachmentError(
            f"‘{clean}’ 파일이 너무 큽니다. 파일 하나는 {limit // (1024 * 1024)}MB까지 올릴 수 있습니다."
        )
    file_type = detect(data)
    if file_type is None:
        raise AttachmentError(f"‘{clean}’ 파일은 올릴 수 없는 형식입니다. 올릴 수 있는 형식: {ALLOWED_LABEL}.")
    if extension(clean) not in file_type.extensions:
        raise AttachmentError(
            f"‘{clean}’ 파일의 이름(확장자)과 실제 내용({file_type.label})이 다릅니다. 원래 형식의 파일을 올려 주세요."
        )
    stripped = False
    if strip_metadata and file_type.image_format:
        data = strip_image_metadata(data, file_type)
        stripped = True
    return PreparedFile(name=clean, content_type=file_type.content_type, data=data, stripped=stripped)
