"""Tests that span the whole project (browser walk-throughs); each app keeps its own tests beside its code."""
