"""Validation of records: the JSON Schema, then the semantic rules."""

from setsafety.schema.registry import (
    INCIDENT_SCHEMA_ID,
    PROTOCOL_SCHEMA_ID,
    fast_validator,
    registry,
    schema,
    validator,
)
from setsafety.schema.semantic import semantic_problems
from setsafety.schema.structural import structural_problems

__all__ = [
    "INCIDENT_SCHEMA_ID", "PROTOCOL_SCHEMA_ID", "fast_validator", "registry", "schema", "semantic_problems",
    "structural_problems", "validator",
]
