from django.urls import path

from hwallyu.org import views

app_name = "org"

urlpatterns = [
    path("departments/", views.department_list, name="departments"),
]
