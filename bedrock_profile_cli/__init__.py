"""bedrock-profile: inspect Amazon Bedrock inference profiles from the command line."""

__version__ = "0.1.0"
