"""Pages of this package, included by petitions/urls.py (namespace ``petitions``)."""

urlpatterns: list = []
