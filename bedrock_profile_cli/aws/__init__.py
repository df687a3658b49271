"""The AWS side, by concern; no typer or rich here, and botocore is imported only when a call is made.

- :mod:`.settings`: where and as whom to call (plain data, from the common options).
- :mod:`.session`: botocore's session: credential chain, config files, default region, secrets.
- :mod:`.clients`: one Bedrock client per region, with retries, timeouts and bounded responses.
- :mod:`.bounded`: reading a response body in chunks, refusing what is not a Bedrock answer.
- :mod:`.operations`: the calls the commands make (GetInferenceProfile, ListInferenceProfiles).
- :mod:`.translate`: botocore's exceptions become :class:`BedrockProfileError` with exit code and hint.
"""
