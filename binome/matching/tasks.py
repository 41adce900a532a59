"""Background work of matching (thin wrappers over the services)."""

from django_tasks import task


@task()
def run_matching_task(run_id):
    from binome.matching.services import run_matching

    run_matching(run_id)


@task()
def remind_unanswered_task():
    from binome.matching.services import remind_unanswered

    remind_unanswered()


@task()
def refresh_next_best_task(programme_id):
    from binome.matching.services import refresh_next_best

    refresh_next_best(programme_id)


@task()
def refresh_mentee_task(mentee_id):
    from binome.matching.services import refresh_mentee

    refresh_mentee(mentee_id)


@task()
def explain_in_run_task(run_id, mentee_id):
    from binome.matching.services import store_explanation

    store_explanation(run_id, mentee_id)
