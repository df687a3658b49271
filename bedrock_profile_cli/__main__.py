"""``python -m bedrock_profile_cli``."""

from bedrock_profile_cli.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
