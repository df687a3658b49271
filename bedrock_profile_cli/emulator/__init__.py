"""A Bedrock emulator (the ``emulator`` extra): inference profiles and foundation models per source
region, from a snapshot of the live API (:mod:`.catalog`, built by :mod:`.build_catalog`).

:mod:`.service` answers each request from :mod:`.backend`; :mod:`.server` serves it over HTTP or
puts it under botocore in process; :mod:`.moto_glue` hands moto the operations not modelled here.
Nothing here is imported by the CLI unless ``--emulator`` or ``bedrock-profile emulator`` is used.
"""
