"""Action items from 1-on-1s: `/geese todo`, `/geese todo add ...`, Done and Undo."""
