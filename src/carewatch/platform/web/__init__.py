"""The web shell: base layout, landing page, language switching, PWA files."""
