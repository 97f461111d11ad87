from etickets.accounts.security import is_administrator

from .services import may_scan


def staff_links(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"can_scan": may_scan(user), "can_manage": is_administrator(user)}
