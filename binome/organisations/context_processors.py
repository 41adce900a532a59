def current_organisation(request):
    membership = getattr(request, "membership", None)
    if membership is None or not membership:
        return {"current_membership": None, "current_organisation": None}
    return {"current_membership": membership, "current_organisation": membership.organisation}
