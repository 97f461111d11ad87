from .services import may_scan


def staff_links(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"can_scan": may_scan(user), "can_manage": user.is_staff and user.is_superuser}
