"""The emulator's facts: system-defined inference profiles per source region and foundation models
per region, as the live API returned them (``data/catalog.json.gz``, built from a snapshot by
:mod:`.build_catalog`; its provenance is in the file).

Loaded on first use, once per process (about 6 ms), never by the CLI outside the emulator.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "catalog.json.gz"
INFERENCE_PROFILE_ONLY = ["INFERENCE_PROFILE"]

Doc = dict[str, Any]


@dataclass(frozen=True)
class Catalog:
    provenance: Doc
    _regions: dict[str, Doc]
    _models: dict[str, Doc]
    _indexes: dict[str, dict[str, Doc]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def regions(self) -> list[str]:
        """The source regions the data covers (every other region answers as not enabled)."""
        return list(self._regions)

    def covers(self, region: str) -> bool:
        return region in self._regions

    def profiles(self, region: str) -> list[Doc]:
        """ListInferenceProfiles summaries of ``region``, in the service's order, as the snapshot has
        them (the ARNs name the snapshot's account)."""
        entry = self._regions.get(region)
        return [dict(summary) for summary in entry["profiles"]] if entry else []

    def models(self, region: str) -> list[Doc]:
        """ListFoundationModels summaries of ``region``, with that region's model ARNs.  Models the
        region's own profiles route to there but that its list lacks are added, reachable only
        through a profile (``inferenceTypesSupported: [INFERENCE_PROFILE]``), also those the snapshot's
        model list lacks altogether (then with only their ID and ARN)."""
        entry = self._regions.get(region)
        if not entry:
            return []
        found = [self._for_region(model_id, region) for model_id in entry["models"]]
        for model_id in entry["profileOnlyModels"]:
            model = self._for_region(model_id, region)
            model["inferenceTypesSupported"] = list(INFERENCE_PROFILE_ONLY)
            found.append(model)
        return found

    def model(self, region: str, model_id: str) -> Doc | None:
        """One model of :meth:`models` (a copy), by its ID; None when ``region`` has no such model."""
        found = self._model_index(region).get(model_id)
        return dict(found) if found is not None else None

    def _model_index(self, region: str) -> dict[str, Doc]:
        if region not in self._indexes:  # built once per region (a race builds it twice, the same)
            self._indexes[region] = {model["modelId"]: model for model in self.models(region)}
        return self._indexes[region]

    def _for_region(self, model_id: str, region: str) -> Doc:
        # A model only profiles name (absent from the snapshot's model list): its ID is all there is.
        model = dict(self._models.get(model_id) or {"modelId": model_id})
        model["modelArn"] = f"arn:aws:bedrock:{region}::foundation-model/{model_id}"
        return model


_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _load(path: Path) -> Catalog:
    from bedrock_profile_cli.emulator.build_catalog import decode

    data = decode(path.read_bytes())
    return Catalog(provenance=data["provenance"], _regions=data["regions"], _models=data["models"])


def load(path: Path = DATA_FILE) -> Catalog:
    """The packaged catalog (read once)."""
    with _lock:
        return _load(path)
