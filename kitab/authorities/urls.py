from django.urls import path

from . import views

app_name = "authorities"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("unlinked/", views.unlinked, name="unlinked"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/link-matching/", views.relink, name="relink"),
    path("record/<int:record_pk>/", views.record_headings, name="record"),
    path("heading/<int:link_pk>/", views.link_heading, name="link_heading"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
]
