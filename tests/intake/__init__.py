"""The press-intake development set: hand-written articles, their expected extractions, and the scorer's tests."""
