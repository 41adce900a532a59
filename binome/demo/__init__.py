"""The demo data, one builder per domain, called by ``manage.py seed_demo``.

The fixed data live in ``data`` and ``data_people``. ``builder.DemoBuilder`` makes the
associations and their programmes, with their people (``people``) and pairs (``pairs``);
``domains`` adds the federation and its routing (``federation``) and the matching runs
(``matching``) on top of it, through the real services like the rest of the demo.
No models, and importing this package imports nothing else: it is an installed app (for its
``seed_demo`` command).
"""
