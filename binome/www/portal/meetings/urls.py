# Portal pages of a pair's meetings (names in the portal namespace).

urlpatterns = []
