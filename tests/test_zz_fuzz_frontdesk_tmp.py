
import tests.test_api_fuzz as base
from tests.test_api_fuzz import *  # noqa

_orig = base._fuzz

def _only_frontdesk(url, token, config):
    import subprocess
    real = subprocess.run
    def run(args, **kw):
        args = list(args)
        i = args.index("run")
        args[i+2:i+2] = ["--include-path-regex", "frontdesk|runner-tasks"]
        return real(args, **kw)
    subprocess.run = run
    try:
        return _orig(url, token, config)
    finally:
        subprocess.run = real

base._fuzz = _only_frontdesk
