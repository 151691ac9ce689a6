"""领导驾驶舱 (the directors' dashboard): tiles, charts and short lists from every module.

Each domain app registers a ``registry.Provider`` from its ``AppConfig.ready()``, so the kernel
names none of them. A provider answers panels for a ``Scope``: the viewer, the period and whether
the figures are the viewer's own (over ``visible_to(viewer)``, the default) or organisation-wide
(only with ``confidentiality.view_global_statistics``; lists of titles stay within what he may see).
"""
