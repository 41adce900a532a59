"""Publishing a run: its chosen pairs become proposed pairs, each mentor gets an offer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from binome.matching.enums import RunState
from binome.matching.models import MatchingRun
from binome.matching.services.offers import _propose, send_offer
from binome.matching.services.review import _lock_run
from binome.matching.services.runs import _transition


def publish_run(run, *, acting_user, site_url=""):
    """Turn the run's chosen pairs into proposed pairs and send each mentor their link.

    Under a row lock on the run: publishing twice, or two staff at once, publishes once.
    A pair that is no longer possible (the mentee was paired meanwhile…) is skipped and
    listed with its reason.
    """
    with transaction.atomic():
        locked = MatchingRun.objects.select_for_update().filter(pk=run.pk).first()
        if locked is not None and locked.state == RunState.PUBLISHED:
            raise ValidationError(_("This run is already published."))
        run = _lock_run(run)
        proposals = list(
            run.proposals.chosen().select_related("mentor", "mentee").order_by("-score", "id")
        )
        skipped = {}
        published = 0
        for proposal in proposals:
            try:
                with transaction.atomic():
                    pair = _propose(
                        proposal.mentor,
                        proposal.mentee,
                        acting_user=acting_user,
                        note=_("Matching run, score %(score)s")
                        % {"score": number_format(round(proposal.score, 1), 1)},
                    )
                    proposal.pair = pair
                    proposal.save(update_fields=["pair"])
                    send_offer(pair, run=run, site_url=site_url, acting_user=acting_user)
            except ValidationError as exc:
                skipped[str(proposal.pk)] = " ".join(exc.messages)
            else:
                published += 1
        run.published_at = timezone.now()
        run.published_by = acting_user
        run.stats = {**run.stats, "published": published, "skipped": skipped}
        _transition(
            run,
            RunState.PUBLISHED,
            acting_user=acting_user,
            update_fields=["published_at", "published_by", "stats"],
            published=published,
            skipped=len(skipped),
        )
    return run
