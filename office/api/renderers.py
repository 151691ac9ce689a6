"""DRF's browsable API under the Content-Security-Policy (settings.py).

Its templates float two buttons with style attributes; its scripts are all files (the CSRF token is
a JSON ``<script type="application/json">``). So its HTML pages alone allow inline style attributes,
not ``<style>`` elements and never scripts. The one ``<style>`` element it would write, Pygments'
colours for code in descriptions, is left out (code shows uncoloured).

Kept apart from office.api.docs, which imports DRF's views: a renderer named in REST_FRAMEWORK is
imported while DRF's views are still loading.
"""

from csp.constants import UNSAFE_INLINE
from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML pages, with style attributes allowed on them (django-csp reads ``_csp_update``)."""

    def get_context(self, data, accepted_media_type, renderer_context):
        return {**super().get_context(data, accepted_media_type, renderer_context), "code_style": None}

    def render(self, data, accepted_media_type=None, renderer_context=None):
        html = super().render(data, accepted_media_type, renderer_context)
        renderer_context["response"]._csp_update = {"style-src-attr": [UNSAFE_INLINE]}
        return html
