from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("stage/", views.batch_stage, name="batch_stage"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("<int:pk>/options/", views.batch_options, name="batch_options"),
    path("<int:pk>/run/", views.batch_run, name="batch_run"),
    path("<int:pk>/undo/", views.batch_undo, name="batch_undo"),
    path("<int:pk>/discard/", views.batch_discard, name="batch_discard"),
    path("export/", views.export, name="export"),
]
