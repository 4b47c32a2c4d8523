from django.urls import path

from supplies import public, views

app_name = "supplies"
urlpatterns = [
    path("", views.home, name="home"),
    path("needs/", views.need_board, name="needs"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<str:code>/", views.need_detail, name="need_detail"),
    path("needs/<str:code>/close/", views.need_close, name="need_close"),
    path("donations/", views.donation_list, name="donation_list"),
    path("donations/new/", views.donation_create, name="donation_create"),
    path("donations/import/", views.donation_import, name="donation_import"),
    path("donations/import/template.xlsx", views.import_template, name="import_template"),
    path("donations/<str:code>/", views.donation_detail, name="donation_detail"),
    path("donations/<str:code>/<str:action>/", views.donation_action, name="donation_action"),
    path("export.xlsx", views.export, name="export"),
    path("stock/", views.stock_index, name="stock_index"),
    path("stock/<str:code>/", views.stock, name="stock"),
    path("lots/<str:code>/", views.lot_trace, name="lot_trace"),
    path("allocations/", views.allocation_list, name="allocation_list"),
    path("allocations/new/", views.allocation_create, name="allocation_create"),
    path("allocations/<str:code>/", views.allocation_detail, name="allocation_detail"),
    path("allocations/<str:code>/<str:action>/", views.allocation_action, name="allocation_action"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="certificate_pdf"),
    # Public, no login.
    path("thanks/", public.thanks, name="thanks"),
    path("verify/", public.verify, name="verify"),
    path("t/<str:token>/", public.donor_trace, name="donor_trace"),
    path("t/<str:token>/certificate.pdf", public.donor_certificate, name="donor_certificate"),
]
