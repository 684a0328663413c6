from django.urls import path, register_converter

from . import views
from .queries import REPORTS


class ReportName:
    regex = "|".join(REPORTS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReportName, "report")

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<report:name>.csv", views.csv, name="csv"),
    path("<report:name>.png", views.png, name="png"),
]
