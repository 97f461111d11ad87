def sync_help_articles_after_migrate(sender, **kwargs):
    from .services import sync_help_articles

    sync_help_articles()
