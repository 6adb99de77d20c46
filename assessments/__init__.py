"""The Streamlead method as plain Python: role definitions, scoring, and plans (no Flask)."""
