"""Tests of wildcli.readers."""
