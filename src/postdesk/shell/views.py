from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from postdesk.core.roles import role_of
from postdesk.shell.home import cards_for
from postdesk.shell.registry import role_home


@login_required
def home(request):
    """Each role's day at a glance: the first few items of each kind of work, each a
    link, and counts that lead to the rest; a role with a page of its own (registered by
    its app) starts there."""
    own = role_home(role_of(request.user))
    if own is not None:
        return redirect(own)
    cards = cards_for(request.user)
    return render(
        request,
        "shell/home.html",
        {
            "cards": cards,
            # Today's work first, each card a short list of links; the plain counts after.
            "work": [c for c in cards if c["rows"] is not None],
            "counts": [c for c in cards if c["rows"] is None],
        },
    )
