"""Validation of records: the JSON Schema, then the semantic rules."""

from setsafety.schema.registry import (
    CURRENT_VERSION,
    INCIDENT_SCHEMA_ID,
    INCIDENT_SCHEMA_IDS,
    PROTOCOL_SCHEMA_ID,
    fast_validator,
    incident_schema_id,
    registry,
    schema,
    validator,
)
from setsafety.schema.semantic import semantic_problems
from setsafety.schema.structural import structural_problems

__all__ = [
    "CURRENT_VERSION", "INCIDENT_SCHEMA_ID", "INCIDENT_SCHEMA_IDS", "PROTOCOL_SCHEMA_ID", "fast_validator",
    "incident_schema_id", "registry", "schema", "semantic_problems",
    "structural_problems", "validator",
]
