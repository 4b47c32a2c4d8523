from django.urls import path

from hotline import views

app_name = "hotline"
urlpatterns = [
    path("orders/", views.order_detail, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
]
