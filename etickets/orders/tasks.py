from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_order_confirmation(order_id: int) -> None:
    """Render and send the confirmation e-mail away from the buyer's request."""
    from .models import Order
    from .services import send_order_confirmation as send

    send(Order.objects.select_related("user").get(pk=order_id))
