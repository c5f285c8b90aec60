from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hwallyu.org import selectors


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "org/department_list.html",
        {"departments": selectors.departments(), "breadcrumbs": [("조직 관리", None), ("부서", None)]},
    )
