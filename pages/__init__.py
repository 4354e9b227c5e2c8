"""The screens: one thin page per catalog or workflow, by area, each listed in `ui/navigation.py`."""
