"""End-to-end tests: a real Home Assistant, the emulator and a real browser."""
