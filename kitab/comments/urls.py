from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("record/<int:pk>/comments/", views.post, name="post"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/delete/", views.delete, name="delete"),
]
