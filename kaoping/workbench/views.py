from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def home(request):
    """The workbench (工作台): what waits for this person now, each with a count and a link."""
    groups = selectors.work_groups(actor=request.user)
    return render(
        request,
        "workbench/home.html",
        {
            "groups": groups,
            "total": sum(g.total for g in groups),
            "standing": selectors.own_standing(actor=request.user),
        },
    )
