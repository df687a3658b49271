"""System-defined inference profiles the emulator seeds, per source region.

Modelled on the public Bedrock documentation of cross-region inference: a geography's profile
(``us.``, ``eu.``, ``apac.``) is offered in each of that geography's source regions and routes to the
same set of destination regions; a ``global.`` profile routes to any supported commercial region.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

GEOGRAPHIES: dict[str, tuple[str, tuple[str, ...]]] = {
    # prefix: (name prefix, regions; each is both a source and a destination)
    "us": ("US", ("us-east-1", "us-east-2", "us-west-2")),
    "eu": ("EU", ("eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1")),
    "apac": ("APAC", ("ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2")),
}
GLOBAL_SOURCE_REGIONS = ("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1")


@dataclass(frozen=True)
class CatalogModel:
    model_id: str
    provider: str
    name: str
    released: datetime
    prefixes: tuple[str, ...]


def _day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


MODELS: tuple[CatalogModel, ...] = (
    CatalogModel(
        "anthropic.claude-3-haiku-20240307-v1:0",
        "Anthropic",
        "Claude 3 Haiku",
        _day("2024-08-23T19:00:00"),
        ("us", "eu", "apac"),
    ),
    CatalogModel(
        "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "Anthropic",
        "Claude 3.5 Sonnet",
        _day("2024-08-23T19:00:00"),
        ("us", "eu", "apac"),
    ),
    CatalogModel(
        "anthropic.claude-3-5-sonnet-20241022-v2:0",
        "Anthropic",
        "Claude 3.5 Sonnet v2",
        _day("2024-10-22T16:00:00"),
        ("us", "apac"),
    ),
    CatalogModel(
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        "Anthropic",
        "Claude 3.5 Haiku",
        _day("2024-11-04T16:00:00"),
        ("us",),
    ),
    CatalogModel(
        "anthropic.claude-3-7-sonnet-20250219-v1:0",
        "Anthropic",
        "Claude 3.7 Sonnet",
        _day("2025-02-24T18:00:00"),
        ("us", "eu", "apac"),
    ),
    CatalogModel(
        "anthropic.claude-sonnet-4-20250514-v1:0",
        "Anthropic",
        "Claude Sonnet 4",
        _day("2025-05-22T16:00:00"),
        ("us", "eu", "apac", "global"),
    ),
    CatalogModel(
        "anthropic.claude-opus-4-1-20250805-v1:0",
        "Anthropic",
        "Claude Opus 4.1",
        _day("2025-08-05T16:00:00"),
        ("us",),
    ),
    CatalogModel(
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "Anthropic",
        "Claude Sonnet 4.5",
        _day("2025-09-29T16:00:00"),
        ("us", "eu", "global"),
    ),
    CatalogModel(
        "anthropic.claude-haiku-4-5-20251001-v1:0",
        "Anthropic",
        "Claude Haiku 4.5",
        _day("2025-10-15T16:00:00"),
        ("us", "eu", "global"),
    ),
    CatalogModel(
        "meta.llama3-1-70b-instruct-v1:0",
        "Meta",
        "Llama 3.1 70B Instruct",
        _day("2024-09-25T18:00:00"),
        ("us",),
    ),
    CatalogModel(
        "meta.llama3-2-1b-instruct-v1:0",
        "Meta",
        "Llama 3.2 1B Instruct",
        _day("2024-09-25T18:00:00"),
        ("us", "eu"),
    ),
    CatalogModel(
        "meta.llama3-2-3b-instruct-v1:0",
        "Meta",
        "Llama 3.2 3B Instruct",
        _day("2024-09-25T18:00:00"),
        ("us", "eu"),
    ),
    CatalogModel(
        "meta.llama3-3-70b-instruct-v1:0",
        "Meta",
        "Llama 3.3 70B Instruct",
        _day("2024-12-19T18:00:00"),
        ("us",),
    ),
    CatalogModel(
        "amazon.nova-micro-v1:0", "Amazon", "Nova Micro", _day("2024-12-03T16:00:00"), ("us", "eu", "apac")
    ),
    CatalogModel(
        "amazon.nova-lite-v1:0", "Amazon", "Nova Lite", _day("2024-12-03T16:00:00"), ("us", "eu", "apac")
    ),
    CatalogModel(
        "amazon.nova-pro-v1:0", "Amazon", "Nova Pro", _day("2024-12-03T16:00:00"), ("us", "eu", "apac")
    ),
    CatalogModel(
        "mistral.pixtral-large-2502-v1:0",
        "Mistral AI",
        "Pixtral Large (25.02)",
        _day("2025-04-08T16:00:00"),
        ("us", "eu"),
    ),
    CatalogModel("deepseek.r1-v1:0", "DeepSeek", "DeepSeek-R1", _day("2025-03-10T16:00:00"), ("us",)),
)


@dataclass(frozen=True)
class SystemProfileSpec:
    profile_id: str
    name: str
    description: str
    created_at: datetime
    model_regions: tuple[str, ...]  # "" stands for "any supported commercial region" (global)
    model_id: str


def _joined(regions: tuple[str, ...]) -> str:
    return regions[0] if len(regions) == 1 else ", ".join(regions[:-1]) + " and " + regions[-1]


def system_profiles(region: str) -> list[SystemProfileSpec]:
    """The system-defined profiles a caller in ``region`` sees."""
    specs = []
    for model in MODELS:
        for prefix in model.prefixes:
            if prefix == "global":
                if region not in GLOBAL_SOURCE_REGIONS:
                    continue
                label = "GLOBAL"
                regions: tuple[str, ...] = (region, "")
                where = "globally across all supported commercial AWS Regions"
            else:
                label, geo_regions = GEOGRAPHIES[prefix]
                if region not in geo_regions:
                    continue
                regions = geo_regions
                where = f"in {_joined(geo_regions)}"
            specs.append(
                SystemProfileSpec(
                    profile_id=f"{prefix}.{model.model_id}",
                    name=f"{label} {model.provider} {model.name}",
                    description=f"Routes requests to {model.provider} {model.name} {where}.",
                    created_at=model.released,
                    model_regions=regions,
                    model_id=model.model_id,
                )
            )
    return specs
