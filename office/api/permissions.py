from rest_framework.permissions import SAFE_METHODS, BasePermission

from office.org import rights


class SystemAdminOrReadOnly(BasePermission):
    """Everyone logged in reads; only 系统管理员 write."""

    open_to_readers = True  # the schema declares its 403 on writes only (office.api.schema)

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or request.user.is_system_admin


class PeopleAdminsOrReadOnly(BasePermission):
    """Everyone logged in reads the directory; the 系统管理员 and the 安全保密管理员 may write, each
    only the fields :mod:`office.org.rights` gives them (the service decides, field by field)."""

    open_to_readers = True

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or rights.may_manage_people(request.user)
