from django.urls import path

from hotline import views
from hotline.views import imports

app_name = "hotline"
urlpatterns = [
    path("", views.order_list, name="orders"),
    path("queue/<slug:name>/", views.queue, name="queue"),
    path("export.xlsx", views.export, name="export"),
    path("intake/", views.intake, name="intake"),
    path("intake/history/", views.caller_history, name="caller_history"),
    path("intake/knowledge/", views.knowledge_hits, name="knowledge_hits"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/<slug:action>/", views.act, name="act"),
    path("knowledge/", views.knowledge_list, name="knowledge"),
    path("faq/", views.faq, name="faq"),
    path("emergency/", views.emergency, name="emergency"),
    path("import/", imports.import_orders, name="import"),
]
