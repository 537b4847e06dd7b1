from django.urls import path

from . import views

app_name = "opac"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_results, name="search"),
    path("record/<int:pk>/", views.record_detail, name="record"),
]
