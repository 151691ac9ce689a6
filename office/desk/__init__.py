"""我的工作台 (the desk): what waits for a person across every module, in one list.

Each domain app registers a ``Provider`` from its ``AppConfig.ready()`` (``providers.register``),
so the kernel names none of them. A provider answers for one person what waits for him (its
flow's inbox selectors: the rules' predicates as queries, so an item listed is one the services
accept from him), what he has done and what he started; the desk merges, sorts and counts.
"""
