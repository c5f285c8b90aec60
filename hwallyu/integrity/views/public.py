"""The public channel: file a counsel request or report, follow it up with the receipt.

No login, no session, no cookie (``ReporterPrivacyMiddleware`` strips the client's data on
the way in and every ``Set-Cookie`` on the way out).  The forms are CSRF-exempt and
protected by a same-origin check and a signed form token (see :mod:`..forms`).  Uploads stay
in memory (never a temporary file on disk) until they are encrypted.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hwallyu.api.base import ServiceError
from hwallyu.integrity import crypto
from hwallyu.integrity.attachments import ALLOWED_LABEL, AttachmentError, PreparedFile, max_bytes, max_files, prepare
from hwallyu.integrity.demo import demo_receipts
from hwallyu.integrity.forms import (
    CROSS_SITE,
    DiscloseForm,
    FilingForm,
    ReceiptForm,
    ReplyForm,
    form_token,
    same_origin,
)
from hwallyu.integrity.models import Category, Step
from hwallyu.integrity.services import cases as case_services

TOO_LARGE = "보낸 내용이 너무 큽니다. 첨부파일의 크기와 개수를 줄여 주세요."


class InMemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps every upload in memory (no temporary file), dropping bytes past the size limit."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.too_large or self.buffer.tell() + len(raw_data) > max_bytes():
            self.too_large = True
            return None
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile:
        self.buffer.seek(0)
        upload = InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.buffer.getbuffer().nbytes,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
        upload.too_large = self.too_large  # type: ignore[attr-defined]
        return upload


def _prepare_uploads(request: HttpRequest, *, strip: bool) -> list[PreparedFile]:
    uploads = [f for f in request.FILES.getlist("attachments") if f.name]
    if len(uploads) > max_files():
        raise AttachmentError(f"첨부파일은 {max_files()}개까지 올릴 수 있습니다.")
    prepared = []
    for upload in uploads:
        if getattr(upload, "too_large", False):
            raise AttachmentError(
                f"‘{upload.name}’ 파일이 너무 큽니다. "
                f"파일 하나는 {max_bytes() // (1024 * 1024)}MB까지 올릴 수 있습니다."
            )
        prepared.append(prepare(upload.name or "", upload.read(), strip_metadata=strip))
    return prepared


def _begin(request: HttpRequest) -> HttpResponse | None:
    """Set up an anonymous POST: memory-only uploads, total size cap, same-origin check."""
    request.upload_handlers = [InMemoryOnlyUploadHandler(request)]
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_files() * max_bytes() + 2 * 1024 * 1024:
        return _page(request, "integrity/public/refused.html", {"message": TOO_LARGE}, status=413)
    if not same_origin(request):
        return _page(request, "integrity/public/refused.html", {"message": CROSS_SITE}, status=403)
    return None


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    base = {
        "token": form_token(),
        "categories": Category.choices,
        "max_mb": max_bytes() // (1024 * 1024),
        "max_files": max_files(),
        "allowed_label": ALLOWED_LABEL,
        "steps": [label for _, label in Step.choices],
        "demo_receipts": demo_receipts() if getattr(settings, "DEMO_MODE", False) else [],
    }
    return render(request, template, {**base, **context}, status=status)


def _case_page(
    request: HttpRequest, receipt: str, *, notice: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    case, private = case_services.receipt_open(receipt=receipt)
    view = case_services.reporter_view(case, private)
    return _page(
        request,
        "integrity/public/case.html",
        {
            "view": view,
            "receipt": receipt,
            "notice": notice,
            "error": error,
            "reply_form": ReplyForm(initial={"token": form_token()}),
            "disclose_form": DiscloseForm(initial={"token": form_token()}),
        },
        status=status,
    )


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    return _page(request, "integrity/public/home.html", {})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, "integrity/public/new.html", {"form": FilingForm(initial={"token": form_token()})})
    refused = _begin(request)
    if refused is not None:
        return refused
    form = FilingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            files = _prepare_uploads(request, strip=data["strip_metadata"])
            _, receipt = case_services.case_file(
                kind=data["kind"], category=data["category"], title=data["title"], body=data["body"], files=files
            )
        except AttachmentError as exc:
            form.add_error(None, str(exc))
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return _page(
                request,
                "integrity/public/receipt.html",
                {
                    "receipt": crypto.receipt_display(receipt),
                    "confirm_form": ReceiptForm(initial={"token": form_token()}),
                },
            )
    return _page(request, "integrity/public/new.html", {"form": form})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, "integrity/public/check.html", {"form": ReceiptForm(initial={"token": form_token()})})
    refused = _begin(request)
    if refused is not None:
        return refused
    form = ReceiptForm(request.POST)
    if form.is_valid():
        try:
            notice = (
                "접수번호를 확인했습니다. 이 번호로 언제든 답변을 볼 수 있습니다."
                if request.POST.get("confirm")
                else ""
            )
            return _case_page(request, form.cleaned_data["receipt"], notice=notice)
        except ServiceError as exc:
            form.add_error("receipt", exc.message)
            status = exc.status
    else:
        status = 200
    return _page(
        request,
        "integrity/public/check.html",
        {"form": ReceiptForm(initial={"token": form_token()}), "errors": form.errors},
        status=status if status in (404, 429) else 200,
    )


@csrf_exempt
@require_http_methods(["POST"])
def reply(request: HttpRequest) -> HttpResponse:
    refused = _begin(request)
    if refused is not None:
        return refused
    form = ReplyForm(request.POST)
    receipt = request.POST.get("receipt", "")
    if not form.is_valid():
        return _retry(request, receipt, " ".join(str(e) for errs in form.errors.values() for e in errs))
    data = form.cleaned_data
    try:
        files = _prepare_uploads(request, strip=data["strip_metadata"])
        case_services.reporter_reply(receipt=data["receipt"], body=data["body"], files=files)
    except AttachmentError as exc:
        return _retry(request, receipt, str(exc))
    except ServiceError as exc:
        return _retry(request, receipt, exc.message, exc.status)
    return _case_page(request, data["receipt"], notice="답글을 보냈습니다. 담당자에게 전달됩니다.")


@csrf_exempt
@require_http_methods(["POST"])
def disclose(request: HttpRequest) -> HttpResponse:
    refused = _begin(request)
    if refused is not None:
        return refused
    form = DiscloseForm(request.POST)
    receipt = request.POST.get("receipt", "")
    if not form.is_valid():
        return _retry(request, receipt, " ".join(str(e) for errs in form.errors.values() for e in errs))
    try:
        case_services.reporter_disclose_name(receipt=form.cleaned_data["receipt"], name=form.cleaned_data["name"])
    except ServiceError as exc:
        return _retry(request, receipt, exc.message, exc.status)
    return _case_page(request, form.cleaned_data["receipt"], notice="이름을 암호화하여 담당자에게만 알렸습니다.")


def _retry(request: HttpRequest, receipt: str, error: str, status: int = 200) -> HttpResponse:
    """Show the case again with the error, or the receipt form when the receipt itself failed."""
    try:
        if status in (404, 429):
            raise ServiceError(error, status=status)
        return _case_page(request, receipt, error=error)
    except ServiceError as exc:
        return _page(
            request,
            "integrity/public/check.html",
            {"form": ReceiptForm(initial={"token": form_token()}), "errors": {"receipt": [exc.message]}},
            status=exc.status if exc.status in (404, 429) else status,
        )
