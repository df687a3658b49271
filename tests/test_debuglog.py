import io
import logging

from bedrock_profile_cli import debuglog

HEADERS = (
    "{'X-Amz-Security-Token': b'TOKENVALUE123456', 'Authorization': b'AWS4-HMAC-SHA256 "
    "Credential=AKIAFAKEKEY000000042/20261127/us-east-1/bedrock/aws4_request, "
    "SignedHeaders=host, Signature=0462265b25c7b56efbc38af70e4f0e1e8639abf72185591bef23f2c31a0242c1'}"
)


def test_redact_signatures_tokens_and_known_secrets() -> None:
    text = debuglog.redact(HEADERS + " secret=mySecretValue", ["mySecretValue"])
    for leaked in ("TOKENVALUE123456", "0462265b25c7", "AKIAFAKEKEY0000", "mySecretValue"):
        assert leaked not in text
    assert "<redacted>" in text


def test_enable_and_disable_leave_logging_as_it_was() -> None:
    stream = io.StringIO()
    debuglog.enable(stream, lambda: ["s3cr3tvalue"])
    logging.getLogger("botocore.endpoint").debug("Sending %s with s3cr3tvalue", HEADERS)
    debuglog.disable()
    logging.getLogger("botocore.endpoint").debug("after disable")
    out = stream.getvalue()
    assert "s3cr3tvalue" not in out
    assert "TOKENVALUE123456" not in out
    assert "after disable" not in out
    assert logging.getLogger("botocore.endpoint").handlers == []


def test_a_failed_write_never_dumps_raw_arguments(capsys) -> None:
    stream = io.StringIO()
    debuglog.enable(stream, lambda: [])
    stream.close()
    try:
        logging.getLogger("botocore.endpoint").debug("Sending %s", HEADERS)
    finally:
        debuglog.disable()
    assert "TOKENVALUE123456" not in capsys.readouterr().err
