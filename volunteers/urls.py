from django.urls import path

from volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.index, name="index"),
    path("join/<str:code>/", views.signup, name="signup"),
    path("join/<str:code>/thanks/", views.signup_thanks, name="signup_thanks"),
    path("join/<str:code>/poster/", views.signup_poster, name="signup_poster"),
    path("honour/<str:code>/", views.honour, name="honour"),
    path("signups/", views.signup_list, name="signup_list"),
    path("signups/<int:pk>/", views.signup_detail, name="signup_detail"),
    path("posts/", views.post_list, name="post_list"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/templates/", views.post_template_add, name="post_template_add"),
    path("posts/<int:pk>/generate/", views.post_generate, name="post_generate"),
    path("posts/<int:pk>/print/", views.post_print, name="post_print"),
    path("posts/<int:pk>/roster.xlsx", views.post_export, name="post_export"),
    path("posts/<int:pk>/qr/", views.post_qr, name="post_qr"),
    path("shifts/<int:pk>/assign/", views.shift_assign, name="shift_assign"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("assignments/<int:pk>/check-in/", views.assignment_check_in, name="check_in"),
    path("assignments/<int:pk>/check-out/", views.assignment_check_out, name="check_out"),
    path("duty/", views.duty, name="duty"),
    path("hours/", views.hours, name="hours"),
    path("me/", views.my_shifts, name="my_shifts"),
    path("c/<str:token>/", views.scan, name="scan"),
]
