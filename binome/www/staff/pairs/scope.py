from django.shortcuts import get_object_or_404

from binome.pairs.models import Pair
from binome.www.staff.permissions import visible_pairs


class PairScopeMixin:
    """The pairs the member may see, in their organisation: any other id answers 404."""

    def pairs(self):
        pairs = Pair.objects.for_organisation(self.organisation)
        return visible_pairs(self.membership, pairs).select_related(
            "mentor", "mentee", "programme__organisation"
        )

    def get_pair(self):
        return get_object_or_404(self.pairs(), pk=self.kwargs["pk"])
