"""The API documentation pages (Swagger UI, Redoc) under the Content-Security-Policy
(settings.py). Scripts stay ``'self'`` on all of them; what each relaxes is said here.

Swagger UI comes in the split form: the page loads its start-up script from the same URL with
``?script``, so it needs nothing beyond the site's policy. Redoc is started by a static script from
a data attribute; its styling library (styled-components) inserts ``<style>`` elements and its
search runs in a worker made from a ``blob:`` URL, so that route alone allows inline styles and blob
workers. The browsable API's allowance is in ``office.api.renderers``.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "office/api_docs/swagger_ui.html"


# Replaced, not updated: next to the print guard's hash browsers would ignore 'unsafe-inline'.
REDOC_POLICY = {"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}


@method_decorator(csp_replace(REDOC_POLICY), name="get")
class RedocView(SpectacularRedocView):
    template_name = "office/api_docs/redoc.html"
