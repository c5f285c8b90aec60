from django.urls import path

from hwallyu.integrity.views import cases, program, public

app_name = "integrity"

urlpatterns = [
    # The anonymous channel (no login, no cookie, nothing logged).
    path("public/", public.home, name="public_home"),
    path("public/new", public.new, name="public_new"),
    path("public/check", public.check, name="public_check"),
    path("public/reply", public.reply, name="public_reply"),
    path("public/disclose", public.disclose, name="public_disclose"),
    # Handlers.
    path("cases/", cases.case_list, name="case_list"),
    path("cases/key", cases.key, name="key"),
    path("cases/key/create", cases.key_create, name="key_create"),
    path("cases/key/unlock", cases.key_unlock, name="key_unlock"),
    path("cases/key/lock", cases.key_lock, name="key_lock"),
    path("cases/key/passphrase", cases.key_passphrase, name="key_passphrase"),
    path("cases/handlers", cases.handlers, name="handlers"),
    path("cases/handlers/<int:pk>/designate", cases.handler_designate, name="handler_designate"),
    path("cases/handlers/<int:pk>/revoke", cases.handler_revoke, name="handler_revoke"),
    path("cases/<str:number>/", cases.case_detail, name="case_detail"),
    path("cases/<str:number>/messages", cases.case_message, name="case_message"),
    path("cases/<str:number>/step", cases.case_advance, name="case_advance"),
    path("cases/<str:number>/assign", cases.case_assign, name="case_assign"),
    path("cases/<str:number>/action", cases.case_action, name="case_action"),
    path("cases/<str:number>/attachments/<int:pk>", cases.attachment, name="attachment"),
    # Integrity index and measures.
    path("index/", program.index, name="index"),
    path("index/<int:year>/edit", program.index_edit, name="index_edit"),
    path("scheme/", program.scheme, name="scheme"),
    path("measures/", program.measures, name="measures"),
    path("measures/<int:year>/", program.measures, name="measures_year"),
    path("measures/<int:year>/plan", program.plan_save, name="plan_save"),
    path("measures/<int:year>/measures", program.measure_add, name="measure_add"),
    path("measures/<int:year>/measures/<int:pk>", program.measure_edit, name="measure_edit"),
    path("measures/<int:year>/broadcasts", program.broadcast_add, name="broadcast_add"),
    path("measures/<int:year>/broadcasts/relay", program.broadcast_relay, name="broadcast_relay"),
    path("measures/<int:year>/broadcasts/<int:pk>/done", program.broadcast_done, name="broadcast_done"),
    path("measures/<int:year>/auditors", program.auditor_add, name="auditor_add"),
    path("measures/<int:year>/activities", program.activity_add, name="activity_add"),
    path("measures/<int:year>/guide", program.guide_add, name="guide_add"),
    path("measures/<int:year>/calendar", program.measures_calendar, name="measures_calendar"),
    path("measures/<int:year>/report.<str:fmt>", program.measures_report, name="measures_report"),
]
