//! Spec runner (placeholder).
