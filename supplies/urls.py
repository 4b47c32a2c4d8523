app_name = "supplies"
urlpatterns = []
