from django.urls import path

from . import views

app_name = "lists"
urlpatterns = [
    path("lists/", views.my_lists, name="mine"),
    path("lists/add/", views.list_add, name="add"),
    path("lists/<int:pk>/", views.list_detail, name="detail"),
    path("lists/<int:pk>/delete/", views.list_delete, name="delete"),
    path("lists/<int:pk>/new-link/", views.list_new_link, name="new_link"),
    path("lists/<int:pk>/remove/", views.list_remove, name="remove"),
    path("lists/<int:pk>/export/<slug:fmt>/", views.list_export, name="export"),
    path("lists/shared/<str:token>/", views.shared_list, name="shared"),
    path("lists/shared/<str:token>/export/<slug:fmt>/", views.shared_export, name="shared_export"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/remove/", views.cart_remove, name="cart_remove"),
    path("cart/clear/", views.cart_clear, name="cart_clear"),
    path("cart/email/", views.cart_email, name="cart_email"),
    path("cart/print/", views.cart_print, name="cart_print"),
    path("cart/export/<slug:fmt>/", views.cart_export, name="cart_export"),
]
