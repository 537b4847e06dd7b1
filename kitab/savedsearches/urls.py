from django.urls import path

from . import views

app_name = "savedsearches"
urlpatterns = [
    path("searches/", views.index, name="index"),
    path("searches/save/", views.save, name="save"),
    path("searches/history/clear/", views.clear_history, name="clear_history"),
    path("searches/<int:pk>/run/", views.run, name="run"),
    path("searches/<int:pk>/alert/", views.alert, name="alert"),
    path("searches/<int:pk>/delete/", views.delete, name="delete"),
]
