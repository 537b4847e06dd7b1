from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.StaffLogoutView.as_view(), name="logout"),
    path("record/<int:pk>/marc/", views.record_marc, name="record_marc"),
    path("record/<int:pk>/marc.mrc", views.record_iso2709, name="record_iso2709"),
    path("record/<int:pk>/marc.xml", views.record_marcxml, name="record_marcxml"),
]
