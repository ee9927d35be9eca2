"""nianbao: government information-disclosure annual reports → a clean SQL dataset."""

__version__ = "0.1.0"
