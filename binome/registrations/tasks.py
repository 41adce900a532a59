from django_tasks import task


@task()
def route_registration_task(registration_id):
    from binome.registrations.models import Registration
    from binome.registrations.services import route_registration

    if Registration.objects.filter(pk=registration_id).exists():
        route_registration(Registration(pk=registration_id))
