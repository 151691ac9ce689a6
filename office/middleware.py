"""Chinese first: pages speak zh-hans unless the person chose English with the switcher. And no NUL
character in a query parameter or a form field ever reaches PostgreSQL."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class OfficeLocaleMiddleware:
    """Like Django's LocaleMiddleware, but a browser's Accept-Language does not choose the
    language of the pages: an office's machines often run English-language browsers, and the
    system is Chinese unless a person switches (the language cookie). Other systems calling
    ``/api/`` may still ask for English error messages with Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response

    @staticmethod
    def _chosen_language(request) -> str:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                return translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        if request.path.startswith("/api/"):
            return translation.get_language_from_request(request)
        return settings.LANGUAGE_CODE


class RefuseNulMiddleware:
    """PostgreSQL cannot hold a NUL character in text ("A string literal cannot contain NUL"): a
    path, a query parameter or a form field carrying one is refused with a 400 here, before any
    view can hand it to the database. JSON bodies are checked field by field by the serializers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        posted = request.method == "POST" and _holds_nul(request.POST)
        if "\x00" in request.path_info or _holds_nul(request.GET) or posted:
            message = _("请求中含有空字符（\\x00），无法处理。")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "null_character"}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


def _holds_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class WorkCalendarMiddleware:
    """Every due date, deadline badge and warning light a request computes reads one calendar
    (``office.workdays.services.current_calendar``): each year once, not once per date."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from office.workdays.services import calendar_scope

        with calendar_scope():
            return self.get_response(request)
