"""Settings of the web server ``bench/http_throughput.py`` starts: the product's, with the bench's own URLconf.

The bench compares the API with a bare Django JSON view on the same server; that view exists only here, never in
the product's URLs.
"""

from rex_project.settings import *  # noqa: F403 - the product's settings, unchanged but for the URLconf

ROOT_URLCONF = "bench.urls"
