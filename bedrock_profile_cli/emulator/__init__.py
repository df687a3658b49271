"""A Bedrock inference-profile emulator on top of moto (the ``emulator`` extra).

moto routes the inference-profile operations to its Bedrock backend but implements none of them;
:mod:`.moto_glue` adds them, backed by :mod:`.backend` and seeded from :mod:`.catalog`.
Nothing here is imported by the CLI unless ``--emulator`` or ``bedrock-profile emulator`` is used.
"""
