from django.conf import settings

from office.navigation import Links


def shell(request):
    """What the base layout needs on every page: demo banner and the person's place."""
    user = getattr(request, "user", None)
    person = getattr(user, "person", None) if user is not None and user.is_authenticated else None
    return {
        "shuniu_demo": settings.SHUNIU_DEMO,
        "classification_ceiling": settings.SHUNIU_CLASSIFICATION_CEILING,
        "current_person": person,
        "may": Links(user),  # the links this person may follow (office.navigation)
    }
