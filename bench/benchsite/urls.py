"""Hwallyu's URLs plus ``/__bench__/insert``: the smallest view that writes one row, as a baseline."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hwallyu.surveys.models import AnswerBuffer
from hwallyu.urls import urlpatterns as app_urlpatterns


@csrf_exempt
@require_POST
def minimal_insert(request: HttpRequest) -> HttpResponse:
    """Insert one row into the answer buffer (the table the answer POST writes) and answer 200."""
    AnswerBuffer.objects.create(survey_id=int(request.POST["survey"]), payload={"v": request.POST.get("v", "")})
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/insert", minimal_insert), *app_urlpatterns]
