from django.urls import path

from community.views import checkpoints, dashboard, doorstep, gate, public, quarantine, residents

app_name = "community"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("gates/", gate.gate_list, name="gates"),
    path("gates/<int:pk>/", gate.gate_page, name="gate"),
    path("gates/<int:pk>/qr/", gate.gate_qr, name="gate_qr"),
    path("entries/", gate.entry_list, name="entries"),
    path("alerts/", gate.alert_list, name="alerts"),
    path("alerts/<int:pk>/", gate.alert_detail, name="alert"),
    path("residents/", residents.resident_list, name="residents"),
    path("residents/import/", residents.resident_import, name="resident_import"),
    path("residents/template.xlsx", residents.import_template, name="import_template"),
    path("residents/<int:pk>/code/", residents.personal_code, name="personal_code"),
    path("households/new/", residents.household_add, name="household_add"),
    path("households/<int:pk>/", residents.household_detail, name="household"),
    path("households/<int:pk>/add/", residents.resident_add, name="resident_add"),
    path("quarantine/", quarantine.case_list, name="cases"),
    path("quarantine/new/<int:resident_pk>/", quarantine.case_new, name="case_new"),
    path("quarantine/<int:pk>/", quarantine.case_detail, name="case"),
    path("services/", doorstep.service_list, name="services"),
    path("services/<int:pk>/", doorstep.service_detail, name="service"),
    path("inspections/", checkpoints.inspection_list, name="inspections"),
    path("inspections/new/<int:pk>/", checkpoints.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", checkpoints.inspection_detail, name="inspection"),
    path("g/<str:token>/", public.self_register, name="self_register"),
    path("q/<str:token>/", public.resident_link, name="resident_link"),
]
