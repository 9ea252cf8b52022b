"""Tests of the Spotify Player integration."""
