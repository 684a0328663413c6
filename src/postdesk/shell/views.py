from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from postdesk.shell.home import cards_for


@login_required
def home(request):
    """Each role's day at a glance: counts and the links that lead to the work."""
    return render(request, "shell/home.html", {"cards": cards_for(request.user)})
