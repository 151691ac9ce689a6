"""The widgets every page form shares, rendered so that a browser with an English interface still
shows Chinese: the date box (a Chinese calendar from ``pickers.js``, the value submitted as ISO
``yyyy-mm-dd``, so the server side is unchanged) and the file box ("选择文件" / "未选择文件")."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """A date: ``<input type=date>`` with the ISO value (the native box without JavaScript);
    ``pickers.js`` puts the Chinese calendar over it, showing "2026年12月2日"."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__({"data-datepicker": "zh", **(attrs or {})}, format="%Y-%m-%d")


class FileInput(forms.ClearableFileInput):
    """A file box with a Chinese label: the input is hidden behind "选择文件" once ``pickers.js``
    runs (the browser's own box, in the browser's language, is left as it is without it)."""

    template_name = "office/widgets/file_input.html"


class MultipleFileInput(FileInput):
    allow_multiple_selected = True
