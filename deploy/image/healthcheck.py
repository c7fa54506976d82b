#!/opt/civic/bin/python
"""civic-healthcheck [URL]: exit 0 when Civic's web server answers GET /health with status ok.

The image's HEALTHCHECK. URL defaults to http://127.0.0.1:8000/health (`civic serve`'s port in
the image). The request names the first of CIVIC_ALLOWED_HOSTS as its Host: Django answers 400
to a host it does not serve, and in production 127.0.0.1 is not one of them. /health is exempt
from the HTTPS redirect, so plain HTTP from inside the container is enough.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request

url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/health"
hosts = [h.strip().lstrip(".") for h in os.environ.get("CIVIC_ALLOWED_HOSTS", "").split(",")]
headers = {"Host": hosts[0]} if hosts[0] and "*" not in hosts[0] else {}
try:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (a fixed local URL)
    with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310
        status = json.load(response).get("status")
except Exception as error:  # any failure is "unhealthy"; say which
    print(f"civic-healthcheck: {url}: {error}", file=sys.stderr)
    sys.exit(1)
if status != "ok":
    print(f"civic-healthcheck: {url} answered status {status!r}", file=sys.stderr)
    sys.exit(1)
