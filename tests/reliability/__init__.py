"""Reliability and security tests: hostile dumps, hostile lexicons, safe outputs, bounded resources."""
