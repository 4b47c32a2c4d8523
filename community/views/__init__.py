"""Thin views by feature: parse, check through accounts.access, call a service, render."""
