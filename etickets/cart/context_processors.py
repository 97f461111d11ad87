from .selectors import cart_size as count_tickets


def cart_size(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"cart_size": count_tickets(user)}
