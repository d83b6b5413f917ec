from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_page, name="report"),
    path("reports/report.csv", views.report_csv, name="csv"),
]
