"""The shell: the top floor of the pages. The navigation bar, the home page's cards and
the front door (sign-in, sign-out), filled with what the apps register; it imports no app.
"""
