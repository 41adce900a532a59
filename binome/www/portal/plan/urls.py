# Portal pages of a pair's plan (names in the portal namespace).

urlpatterns = []
