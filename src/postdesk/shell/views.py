from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from postdesk.core.roles import role_of
from postdesk.shell.home import cards_for
from postdesk.shell.registry import role_home


@login_required
def home(request):
    """Each role's day at a glance: counts and the links that lead to the work; a role
    with a page of its own (registered by its app) starts there."""
    own = role_home(role_of(request.user))
    if own is not None:
        return redirect(own)
    return render(request, "shell/home.html", {"cards": cards_for(request.user)})
