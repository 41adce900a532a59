from django_tasks import task


@task()
def deliver_email(outbox_id):
    from binome.notifications.services import deliver

    deliver(outbox_id)
