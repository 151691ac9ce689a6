from rest_framework.permissions import SAFE_METHODS, BasePermission


class SystemAdminOrReadOnly(BasePermission):
    """Everyone logged in reads; only 系统管理员 write."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or request.user.is_system_admin
