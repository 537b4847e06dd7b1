from django.urls import path

from . import views

app_name = "oaipmh"

urlpatterns = [
    path("", views.oai, name="oai"),
]
